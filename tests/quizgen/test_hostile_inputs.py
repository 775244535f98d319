"""Files made to hurt: each is refused with a located line, quickly, in little memory, with no traceback.

The bounds are generous (5 s, 100 MB): they catch a hang or a blow-up, not a slow machine.
"""

from __future__ import annotations

import json
import re
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import pytest
from facts_builders import TPT_FACTS

from quizgen import check_file, load_facts
from quizgen._locate import MAX_PROBLEMS

SECONDS, MEGABYTES = 5, 100


@contextmanager
def bounded():
    """Fail when the block takes more than SECONDS or allocates more than MEGABYTES at once."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < MEGABYTES * 2**20, f"peaked at {peak / 2**20:.0f} MB"


def problems(path: Path) -> list[str]:
    with bounded():
        result = check_file(path)
    return [str(p) for p in result.problems]


def alias_bomb(levels: int = 9) -> str:
    """A "billion laughs": each level is ten aliases of the one before, so nine levels make 10^9 strings."""
    lines = ["format: 1", 'a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_where_it_starts(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    assert path.stat().st_size < 600
    assert problems(path) == [f"{path}:2: aliases expand to more than 100,000 values and characters: an alias "
                              "repeats all its anchor holds, so aliases of aliases multiply; use fewer of them"]


def test_aliases_that_repeat_a_little_still_work(tmp_path):
    sentence = "Ada Quill plays Nora Vale in Harbour Street, a show about a harbour and the street beside it."
    facts = "".join(f"  - kind: cast\n    actor: Actor {i}\n    sources: [{{article: a.txt, sentence: *s}}]\n"
                    for i in range(1, 60))
    path = tmp_path / "show.yaml"
    path.write_text(f"format: 1\nshow: {{id: x, title: X}}\nfacts:\n  - kind: cast\n    actor: Actor 0\n"
                    f"    sources: [{{article: a.txt, sentence: &s {sentence!r}}}]\n{facts}", encoding="utf-8")
    assert problems(path) == []
    assert {f.sources[0].sentence for f in load_facts(path).facts.facts} == {sentence}
    assert load_facts(TPT_FACTS).facts.facts[0].sources[0].sentence.startswith("The main cast members are")


def test_an_alias_inside_itself_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("format: 1\nshow: &loop [*loop]\n", encoding="utf-8")
    assert problems(path) == [f"{path}:2: lists and mappings nested more than 50 levels deep: a facts file needs 7"]


@pytest.mark.parametrize("depth", [60, 500, 5000])
def test_deep_yaml_is_refused_on_the_line_where_it_passes_the_limit(tmp_path, depth):
    # the mapping is level 1, so the 50th bracket (on line 50) opens level 51
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[\n" * depth + "]" * depth + "\n", encoding="utf-8")
    assert problems(path) == [f"{path}:50: lists and mappings nested more than 50 levels deep: a facts file needs 7"]


@pytest.mark.parametrize("text", ["a: " + "[" * 500, "a: " + "{a: " * 500, "show: " + "[" * 500 + "]" * 500])
def test_deep_yaml_on_one_line_is_refused(tmp_path, text):
    path = tmp_path / "deep.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    assert problems(path) == [f"{path}:1: lists and mappings nested more than 50 levels deep: a facts file needs 7"]


def test_aliases_cannot_nest_deeper_than_the_limit(tmp_path):
    # each anchor is 9 levels deep and holds the one before, so six of them nest 55 levels
    lines = ["format: 1", "l0: &l0 [x]"]
    lines += [f"l{i}: &l{i} " + "[" * 9 + f"*l{i - 1}" + "]" * 9 for i in range(1, 7)]
    path = tmp_path / "deep-aliases.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = problems(path)
    assert re.fullmatch(rf"{re.escape(str(path))}:\d: lists and mappings nested more than 50 levels deep: .*", problem)


# Python's json module gives up at some depth (about 1,000 levels before 3.12, a few thousand after); a pack it
# can read however deep is refused by the schema, which no deep list passes. 100,000 levels it never reads.
def test_a_pack_too_deep_to_read_is_refused_on_the_line_where_it_passes_the_limit(tmp_path):
    # the object is level 1, so the 50th bracket (on line 51) opens level 51
    path = tmp_path / "deep.json"
    path.write_text('{"format": 1, "id": "x", "title": "X", "questions":\n' + "[\n" * 100_000 + "]" * 100_000 + "}",
                    encoding="utf-8")
    assert problems(path) == [f"{path}:51: arrays and objects nested more than 50 levels deep: a pack needs 6"]


def test_a_pack_too_deep_to_read_on_one_line_is_refused(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": 1, "title": "[[[", "questions": [' + '{"a": [' * 100_000 + "]}" * 100_000 + "]}",
                    encoding="utf-8")
    assert problems(path) == [f"{path}:1: arrays and objects nested more than 50 levels deep: a pack needs 6"]


def test_a_pack_nested_1000_deep_is_one_located_problem(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": 1, "id": "x", "title": "X", "questions": [\n' + "[" * 1000 + "]" * 1000 + "]}",
                    encoding="utf-8")
    [problem] = problems(path)
    assert problem in (f"{path}:2: arrays and objects nested more than 50 levels deep: a pack needs 6",
                       f"{path}:2: questions[0]: Input should be a dictionary or an instance of Question")


def one_line_pack(question: str, size: int) -> str:
    count = size // (len(question) + 1)
    return '{"format":1,"id":"x","title":"x","questions":[' + ",".join([question] * count) + "]}"


def test_a_big_one_line_pack_of_broken_questions_is_told_in_a_screenful(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(one_line_pack('{"id":"not-hex","answer":"one"}', 400_000), encoding="utf-8")
    found = problems(path)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[0] == f"{path}:1: questions[0].id: String should match pattern '^[0-9a-f]{{16}}$'"
    assert re.fullmatch(rf"{re.escape(str(path))}:1: … and \d+ more problems; [\d,]+ more questions not checked "
                        rf"\(checking stops after {MAX_PROBLEMS} problems\)", found[-1]), found[-1]


def test_a_pack_of_empty_questions_is_told_in_a_screenful(tmp_path):
    path = tmp_path / "empty-questions.json"
    text = one_line_pack("{}", 300_000)
    path.write_text(text, encoding="utf-8")
    count = text.count("{}")
    found = problems(path)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[0] == f"{path}:1: questions[0].id: this field is required"
    assert "questions[1]" in found[MAX_PROBLEMS - 1]  # a question has 13 required fields: 7 of the second are shown
    assert found[-1] == (f"{path}:1: … and 6 more problems; {count - 2:,} more questions not checked (checking stops "
                         f"after {MAX_PROBLEMS} problems)")


def test_the_cap_names_the_line_where_the_untold_problems_start(tmp_path):
    path = tmp_path / "many.json"
    path.write_text('{"format": 1, "id": "x", "title": "X", "questions": [\n' + ",\n".join(['{"id": 1}'] * 30) + "\n]}",
                    encoding="utf-8")
    found = problems(path)
    assert found[-1] == (f"{path}:3: … and 6 more problems; 28 more questions not checked (checking stops after "
                         f"{MAX_PROBLEMS} problems)")


def test_a_facts_file_of_many_broken_facts_is_told_in_a_screenful(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: 1\nshow: {id: x, title: X}\nfacts:\n" + "  - {kind: cast}\n" * 2000, encoding="utf-8")
    found = problems(path)
    assert found[:2] == [f"{path}:4: facts[0].sources: this field is required",
                         f"{path}:4: facts[0].actor: this field is required"]
    assert found[MAX_PROBLEMS:] == [f"{path}:14: … and 3,980 more problems"]  # two a fact, every fact checked


def write_show(folder: Path, article: str, listed: str | None = None) -> Path:
    """A facts file in folder/show citing ``article``, beside a secret the citation's sentence nearly quotes."""
    (folder / "secret.txt").write_text("The vault code is 4711. Keep it safe.\n", encoding="utf-8")
    show = folder / "show"
    (show / "sources").mkdir(parents=True)
    (show / "sources" / "a.txt").write_text("Ada Quill plays Nora Vale.\n", encoding="utf-8")
    path = show / "show.yaml"
    path.write_text(f"""\
format: 1
show: {{id: x, title: X}}
articles:
  - file: {json.dumps(listed or 'a.txt')}
facts:
  - kind: cast
    actor: Ada Quill
    sources:
      - article: {json.dumps(article)}
        sentence: The vault code is 1234.
""", encoding="utf-8")
    return path


@pytest.mark.parametrize("article", ["../secret.txt", "..\\secret.txt", "sources/../../secret.txt", "..",
                                     "C:secret.txt", "/etc/hostname", "/etc/passwd"])
def test_a_citation_cannot_read_outside_the_sources_folder(tmp_path, article):
    article = str(tmp_path / "secret.txt") if article == "/etc/passwd" else article
    path = write_show(tmp_path, article)
    assert problems(path) == [f"{path}:9: article: cites {article!r}, a path: articles are read only from the "
                              "sources/ folder beside the facts file; give the article's file name alone"]


def test_a_link_in_the_sources_folder_cannot_read_outside_it(tmp_path):
    path = write_show(tmp_path, "a.txt")
    link = tmp_path / "show" / "sources" / "a.txt"
    link.unlink()
    link.symlink_to(tmp_path / "secret.txt")  # the secret the citation's sentence nearly quotes
    found = problems(path)
    assert found == [f"{link}: is a link to a file outside the sources/ folder: put the article's text there"]
    assert not any(word in line for line in found for word in ("vault", "4711"))


def test_an_article_listed_by_a_path_is_refused_once_and_never_read(tmp_path):
    path = write_show(tmp_path, "../../../../../../../../etc/passwd", listed="../../../../../../../../etc/passwd")
    found = problems(path)
    assert found == [f"{path}:4: articles[0].file: '../../../../../../../../etc/passwd' is a path: articles are read "
                     "only from the sources/ folder beside the facts file; give the article's file name alone"]
    assert not any(word in line for line in found for word in ("x:0:0", "vault", "4711"))


@pytest.mark.parametrize("name, text", [
    ("bomb.yaml", alias_bomb()),
    ("deep.yaml", "a: " + "[" * 500),
    ("deep.json", '{"format": 1, "questions": [' + "[" * 1000),
    ("broken.json", one_line_pack("{}", 300_000)),
    ("path.yaml", "format: 1\nshow: {id: x, title: X}\narticles: [{file: /etc/hostname}]\n"
                  "facts: [{kind: cast, actor: A B, sources: [{article: /etc/hostname, sentence: 0123456789}]}]\n"),
])
def test_validate_says_it_in_located_lines_and_exits_1(cli, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with bounded():
        result = cli("validate", path)
    assert result.exit_code == 1
    assert result.stderr == "1 file(s) checked, 1 invalid\n"
    lines = result.stdout.splitlines()
    assert 1 <= len(lines) <= MAX_PROBLEMS + 1
    assert all(re.match(rf"{re.escape(str(path))}:\d+: \S", line) for line in lines), lines
