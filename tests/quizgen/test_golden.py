"""The Tiny Pretty Things pack at seed 0, pinned byte for byte, and what it must hold whatever Faker draws.

Regenerate the golden file deliberately, after checking that the change is intended:

    QUIZGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/quizgen/test_golden.py

which is the same as

    quizgen generate questions/tiny-pretty-things.yaml --seed 0 -o tests/quizgen/golden/tiny-pretty-things.seed0.json
"""

from __future__ import annotations

import os

import pytest
from facts_builders import GOLDEN, TPT_FACTS, assert_well_formed, in_stem

from quizgen import build_pack, dumps_pack, load_facts, loads_pack

GOLDEN_PACK = GOLDEN / "tiny-pretty-things.seed0.json"
HOW_TO_UPDATE = ("If the change is intended, regenerate the golden file with\n"
                 "    QUIZGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/quizgen/test_golden.py\n"
                 "and review its diff before committing it.")


@pytest.fixture(scope="module")
def golden():
    return loads_pack(GOLDEN_PACK.read_text(encoding="utf-8"))


def first_difference(new: str, old: str) -> str:
    for n, (a, b) in enumerate(zip(new.splitlines(), old.splitlines()), start=1):
        if a != b:
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            start = max(0, at - 60)
            return f"line {n}, column {at + 1}:\n  golden:    …{b[start:at + 60]}…\n  generated: …{a[start:at + 60]}…"
    return f"the golden file has {len(old.splitlines())} lines, the generated pack {len(new.splitlines())}"


def test_the_pack_is_byte_for_byte_the_golden_one(cli):
    result = cli("generate", TPT_FACTS, "--seed", "0")
    assert result.exit_code == 0
    if os.environ.get("QUIZGEN_UPDATE_GOLDEN") == "1":
        GOLDEN_PACK.write_bytes(result.stdout_bytes)
        pytest.skip(f"rewrote {GOLDEN_PACK}: review its diff and commit it")
    if result.stdout_bytes != GOLDEN_PACK.read_bytes():
        pytest.fail(f"the generated pack differs from {GOLDEN_PACK.name} at "
                    f"{first_difference(result.stdout, GOLDEN_PACK.read_text(encoding='utf-8'))}\n{HOW_TO_UPDATE}")


def test_the_api_builds_the_same_pack_as_the_command_line():
    assert dumps_pack(build_pack([TPT_FACTS], seed=0)).encode() == GOLDEN_PACK.read_bytes(), HOW_TO_UPDATE


def test_the_golden_file_is_canonical(golden):
    assert dumps_pack(golden).encode() == GOLDEN_PACK.read_bytes()


# ------------------------------------------------------------- facts of the pack that do not depend on Faker

UNDISPUTED_CAST = [(f.actor, f.character) for f in load_facts(TPT_FACTS).facts.facts
                   if f.kind == "cast" and not f.disputed]


def test_the_header(golden):
    assert (golden.id, golden.title, golden.seed, golden.format) == ("tiny-pretty-things", "Tiny Pretty Things", 0, 1)
    assert [(s.id, s.network, s.year) for s in golden.shows] == [("tiny-pretty-things", "Netflix", 2020)]
    assert golden.generator == {"count": None, "difficulty": "mixed", "kinds": None}


def test_every_question_is_well_formed(golden):
    assert len({q.id for q in golden.questions}) == len(golden.questions) > 30
    for q in golden.questions:
        assert_well_formed(q)


def test_the_disputed_cast_member_is_neither_asked_nor_offered(golden):
    for q in golden.questions:
        for name in ("Shane McRae", "Brennan Clost", "Brennan Close"):
            assert not in_stem(name, q.stem) and name not in q.options, q


def test_the_disputed_critics_score_is_not_asked(golden):
    scores = [q for q in golden.questions if q.kind == "score"]
    assert [q.stem for q in scores] == [
        "As of February 15, 2021, what was the Rotten Tomatoes audience score of Tiny Pretty Things?"]
    assert scores[0].correct == "52%"


def test_the_novel_named_like_the_show_is_not_asked(golden):
    assert not [q for q in golden.questions if q.template == "source"]
    assert [q.correct for q in golden.questions if q.template == "sequel"] == ["Shiny Broken Pieces"]


def test_the_eleven_undisputed_characters_are_asked_for(golden):
    asked = {(q.template, q.correct) for q in golden.questions if q.kind == "cast"}
    assert len(UNDISPUTED_CAST) == 11
    for actor, character in UNDISPUTED_CAST:
        assert ("plays-whom", character) in asked
    assert sum(("who-plays", actor) in asked for actor, _ in UNDISPUTED_CAST) >= 10


def test_all_eleven_undisputed_cast_pairs_are_asked_both_ways(golden):
    asked = {(q.template, q.stem, q.correct) for q in golden.questions if q.kind == "cast"}
    expected = {("who-plays", f"Who plays {c} in Tiny Pretty Things?", a) for a, c in UNDISPUTED_CAST}
    expected |= {("plays-whom", f"Which character does {a} play in Tiny Pretty Things?", c) for a, c in UNDISPUTED_CAST}
    assert asked == expected


def test_the_co_authors_are_asked_with_each_other_named(golden):
    authors = {q.correct: q.stem for q in golden.questions if q.template == "author"}
    assert authors == {
        "Sona Charaipotra": "Who co-wrote the novel Tiny Pretty Things with Dhonielle Clayton?",
        "Dhonielle Clayton": "Who co-wrote the novel Tiny Pretty Things with Sona Charaipotra?"}


def test_dates_and_renewals(golden):
    dates = {q.stem: q.correct for q in golden.questions if q.kind == "date"}
    assert dates == {
        "On what date did production of season 1 of Tiny Pretty Things begin?": "August 6, 2019",
        "On what date did production of season 1 of Tiny Pretty Things end?": "December 3, 2019",
        "On what date did Tiny Pretty Things premiere on Netflix?": "December 14, 2020",
        "In which month and year was Tiny Pretty Things cancelled?": "November 2021",
    }
    status = [(q.as_of, q.correct) for q in golden.questions if q.template == "status"]
    assert status == [("2021-02-15", "No decision yet"), ("2021-09-22", "No decision yet"), ("2021-11", "Cancelled")]


def test_ids_do_not_depend_on_the_seed(golden):
    other = build_pack([TPT_FACTS], seed=11)
    by_stem = {q.stem: q.id for q in golden.questions}
    common = [q for q in other.questions if q.stem in by_stem]
    assert len(common) > 30
    assert all(by_stem[q.stem] == q.id for q in common)
