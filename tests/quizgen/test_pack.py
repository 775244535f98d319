"""The pack: canonical JSON that reads back to the same bytes, refused with a located message when it is wrong."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from quizgen import (Pack, PackError, Question, ShowRef, Source, atomic_writer, check_pack_text, dumps_pack, load_pack,
                     loads_pack, question_dict, write_pack_stream)


def question(n: int = 0, **changes) -> Question:
    fields = dict(id=f"{n:016x}", show="harbour-street", kind="cast", template="who-plays",
                  stem=f"Who plays Nora Vale {n} in Harbour Street?", options=("Ada Quill", "Zoë Lane", "Ben Ortiz",
                                                                              "Cleo Park"),
                  answer=n % 4, explanation="Ada Quill plays Nora Vale.",
                  sources=(Source("a.txt", "Ada Quill plays Nora Vale."),), difficulty="hard", category="Cast",
                  tags=("harbour-street", "cast", "who-plays"), time_limit=20)
    fields.update(changes)
    return Question(**fields)


def pack(questions=(question(0), question(1), question(2))) -> Pack:
    return Pack(id="harbour-street", title="Harbour Street", questions=tuple(questions),
                shows=(ShowRef("harbour-street", "Harbour Street", "BBC One", 2019),), seed=3,
                generator={"count": None, "difficulty": "mixed", "kinds": ["cast"]})


def test_a_pack_is_written_one_question_per_line():
    text = dumps_pack(pack())
    lines = text.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith('{"format":1,"id":"harbour-street","title":"Harbour Street","seed":3,')
    assert lines[0].endswith('"questions":[')
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:4]] == [f"{n:016x}" for n in range(3)]
    assert lines[4] == "]}" and text.endswith("]}\n")
    assert "Zoë" in text  # UTF-8, not \u escapes


def test_text_and_binary_streams_get_the_same_bytes():
    kwargs = dict(pack_id="harbour-street", title="Harbour Street", shows=(), seed=2**70, generator={"n": 2**65})
    text, binary = io.StringIO(), io.BytesIO()
    write_pack_stream(text, questions=pack().questions, **kwargs)
    write_pack_stream(binary, questions=pack().questions, **kwargs)
    assert binary.getvalue() == text.getvalue().encode()
    assert json.loads(binary.getvalue())["seed"] == 2**70  # past orjson's 64 bits: written all the same


def _values(n: int = 0) -> dict:
    """One distinct value per field, so that a value set in the wrong slot shows."""
    return dict(id=f"{n:016x}", show="harbour-street", kind="cast", template="who-plays", stem=f"Who plays Nora {n}?",
                options=("Ada Quill", "Zoë Lane", "Ben Ortiz", "Cleo Park"), answer=2, explanation="Ben plays Nora.",
                sources=(Source("a.txt", "Ben Ortiz plays Nora Vale."),), difficulty="medium", category="Cast",
                tags=("harbour-street", "cast"), time_limit=30, as_of="2021-04", facts=("harbour-street/cast/nora",))


def test_question_init_takes_its_fields_in_order():
    values = _values()
    by_position = Question(*values.values())
    assert {f.name: getattr(by_position, f.name) for f in dataclasses.fields(Question)} == values
    assert Question(**values) == by_position
    assert Question(**dataclasses.asdict(by_position) | {"sources": by_position.sources}) == by_position
    assert Question(*list(values.values())[:-2]).as_of is None  # the two defaults
    assert Question(*list(values.values())[:-2]).facts == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        by_position.stem = "changed"


def test_a_long_sentence_is_cut_around_the_marked_answer():
    words = [f"w{i}" for i in range(60)]
    sentence = " ".join(words[:30] + ["Ada", "Quill"] + words[30:]) + "."
    start = sentence.index("Ada Quill")
    source = Source("a.txt", sentence, "The Review", (start, start + len("Ada Quill")))
    before, marked, after = source.excerpt()
    assert marked == "Ada Quill"
    assert before.startswith("… ") and after.endswith(" …")
    assert len((before + marked + after).split()) < len(sentence.split())
    assert sentence[start - 20:start] in before and sentence[start + 9:start + 29] in after


def test_a_long_list_is_cut_to_the_clause_of_the_answer_so_it_answers_no_other_question():
    sentence = ("The main cast members are Ada Quill as Nora Vale, Bea Ortiz as Sara Reyes, Cleo Park as Ivy Lund, "
                "and Dana Rao as Tess Fisk among others.")
    start = sentence.index("Bea Ortiz")
    before, marked, after = Source("a.txt", sentence, mark=(start, start + 9)).excerpt()
    shown = before + marked + after
    assert marked == "Bea Ortiz" and "Sara Reyes" in shown
    assert not any(name in shown for name in ("Ada Quill", "Nora Vale", "Cleo Park", "Dana Rao"))


def test_a_dates_own_comma_does_not_end_its_clause():
    sentence = "Season one production began on August 6, 2019, and ended on December 3, 2019, in Toronto, Canada."
    start = sentence.index("August")
    assert "".join(Source("a.txt", sentence, mark=(start, start + 14)).excerpt()) == \
        "Season one production began on August 6, 2019 …"


def test_a_short_sentence_is_quoted_whole_and_a_title_names_the_article():
    sentence = "Ada Quill plays Nora Vale."
    source = Source("a.txt", sentence, "Harbour Street review", (0, 9))
    assert source.excerpt() == ("", "Ada Quill", " plays Nora Vale.")
    assert source.name() == "Harbour Street review"
    assert Source("a.txt", sentence).name() == "a.txt"
    q = question(0, sources=(source,), explanation="Ada Quill plays Nora Vale.")
    assert q.explained() == "Ada Quill plays Nora Vale. Source: Harbour Street review, “Ada Quill plays Nora Vale.”"


def test_a_date_line_source_quotes_the_articles_date():
    source = Source("a.txt", None, "Harbour Street review", None, "June 1, 2022")
    assert source.quote() == "dated June 1, 2022"
    assert source.excerpt() == ("", "", "")


def test_new_source_fields_read_back_and_old_packs_without_them_still_load():
    q = question(0, sources=(Source("a.txt", "Ada Quill plays Nora Vale.", "T", (0, 9)),), facts=("s/cast/k",))
    text = dumps_pack(pack(questions=(q,)))
    assert loads_pack(text).questions[0] == q
    old = json.loads(text)
    for item in old["questions"]:
        del item["facts"]
        item["sources"] = [{"article": s["article"], "sentence": s["sentence"]} for s in item["sources"]]
    loaded = loads_pack(json.dumps(old)).questions[0]
    assert loaded.facts == () and loaded.sources[0].title is None and loaded.sources[0].mark is None


def test_a_pack_reads_back_to_the_same_bytes():
    text = dumps_pack(pack())
    again = loads_pack(text)
    assert again == pack()
    assert dumps_pack(again) == text


def test_an_empty_pack_reads_back_too():
    text = dumps_pack(pack(questions=()))
    assert dumps_pack(loads_pack(text)) == text


def test_question_dict_keeps_a_fixed_key_order():
    assert list(question_dict(question())) == ["id", "show", "kind", "template", "stem", "options", "answer",
                                               "explanation", "sources", "difficulty", "category", "tags",
                                               "time_limit", "as_of", "facts"]


def test_a_question_knows_its_right_and_wrong_options():
    q = question(2)
    assert q.correct == "Ben Ortiz"
    assert q.wrong == ("Ada Quill", "Zoë Lane", "Cleo Park")


def test_write_pack_stream_takes_questions_one_at_a_time():
    def stream():
        for n in range(3):
            yield question(n)

    out = io.StringIO()
    written = write_pack_stream(out, pack_id="harbour-street", title="Harbour Street",
                                shows=pack().shows, seed=3, generator=pack().generator, questions=stream())
    assert written == 3
    assert out.getvalue() == dumps_pack(pack())


def edited(path_to_change, value):
    """Canonical pack text with one question field changed."""
    data = json.loads(dumps_pack(pack()))
    index, key = path_to_change
    data["questions"][index][key] = value
    head = json.dumps({k: v for k, v in data.items() if k != "questions"}, ensure_ascii=False)[:-1]
    body = ",".join("\n" + json.dumps(q, ensure_ascii=False) for q in data["questions"])
    return head + ', "questions": [' + body + "\n]}\n"


@pytest.mark.parametrize("where, value, message", [
    ((1, "answer"), 4, "<pack>:3: questions[1].answer: Input should be less than or equal to 3"),
    ((1, "answer"), True, "<pack>:3: questions[1].answer: Input should be a valid integer"),
    ((1, "answer"), "1", "<pack>:3: questions[1].answer: Input should be a valid integer"),
    ((2, "options"), ["a", "b", "c"], "<pack>:4: questions[2].options: Tuple should have at least 4 items"),
    ((2, "options"), ["a", "b", "c", "d", "e"], "<pack>:4: questions[2].options: Tuple should have at most 4 items"),
    ((0, "options"), ["Zoë Lane", "b", "c", "zoe lane!"],
     "<pack>:2: questions[0].options: two options are the same answer"),
    ((2, "id"), "0000000000000001", "<pack>:4: questions[2].id: question id 0000000000000001 is already used by "
                                    "questions[1]"),
    ((0, "id"), "Q1", "<pack>:2: questions[0].id: String should match pattern"),
    ((1, "difficulty"), "insane", "<pack>:3: questions[1].difficulty: Input should be 'easy', 'medium' or 'hard'"),
    ((1, "time_limit"), 241, "<pack>:3: questions[1].time_limit: Input should be less than or equal to 240"),
    ((1, "sources"), [], "<pack>:3: questions[1].sources: Tuple should have at least 1 item"),
    ((1, "stem"), "", "<pack>:3: questions[1].stem: String should have at least 1 character"),
])
def test_a_broken_question_is_refused_at_its_line(where, value, message):
    with pytest.raises(PackError) as caught:
        loads_pack(edited(where, value))
    assert str(caught.value).startswith(message)


def test_a_missing_field_is_named():
    data = json.loads(dumps_pack(pack()))
    del data["questions"][0]["stem"]
    with pytest.raises(PackError, match=r"questions\[0\].stem: this field is required"):
        loads_pack(json.dumps(data))


@pytest.mark.parametrize("text, message", [
    ('{"format": 1, "questions": [}', "<pack>:1: JSON syntax error: Expecting value"),
    ("[]", "<pack>:1: expected a JSON object with `format` and `questions`"),
    ('{"format": 2, "questions": []}', "<pack>:1: format: unsupported pack format 2: this quizgen reads format 1"),
    ('{"questions": []}', "<pack>:1: format: unsupported pack format None"),
    ('{"format": 1, "title": "X", "questions": []}', "<pack>:1: id: this field is required"),
])
def test_text_that_is_not_a_pack_is_refused(text, message):
    with pytest.raises(PackError) as caught:
        loads_pack(text)
    assert str(caught.value).startswith(message)


def test_check_pack_text_returns_every_problem():
    data = json.loads(dumps_pack(pack()))
    data["questions"][0]["answer"] = 9
    data["questions"][2]["difficulty"] = "insane"
    found, problems = check_pack_text(json.dumps(data), "p.json")
    assert found is None
    assert [p.field for p in problems] == ["questions[0].answer", "questions[2].difficulty"]


def test_load_pack_names_the_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(dumps_pack(pack()), encoding="utf-8")
    assert load_pack(path) == pack()
    path.write_text(edited((0, "answer"), 7), encoding="utf-8")
    with pytest.raises(PackError, match=rf"^{path}:2: questions\[0\].answer"):
        load_pack(path)
    path.write_bytes(b"")
    with pytest.raises(PackError, match="the file is empty"):
        load_pack(path)


def test_atomic_writer_writes_the_whole_file(tmp_path):
    target = tmp_path / "deep" / "pack.json"
    with atomic_writer(target) as fh:
        fh.write("ä\n")
    assert target.read_bytes() == "ä\n".encode()
    with atomic_writer(target, binary=True) as fh:
        fh.write(b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["pack.json"]


def test_atomic_writer_leaves_nothing_when_writing_fails(tmp_path):
    target = tmp_path / "pack.json"
    with pytest.raises(RuntimeError), atomic_writer(target) as fh:
        fh.write("half a pack")
        raise RuntimeError("generation failed")
    assert list(tmp_path.iterdir()) == []


def test_atomic_writer_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "pack.json"
    target.write_text("the old pack", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_writer(target) as fh:
        fh.write("half a new pack")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "the old pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.json"]
