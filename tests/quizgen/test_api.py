"""The calls most users need: check a file, load shows, build a pack, write the schemas."""

from __future__ import annotations

import json

import pytest
from facts_builders import DATA, REPO, TPT_FACTS

from quizgen import (FactFileError, GenerationError, build_pack, check_file, dumps_pack, file_kind, load_shows,
                     write_schemas)

NEW_SHOW = DATA / "lantern-row.yaml"


@pytest.mark.parametrize("name, kind", [("a.yaml", "facts"), ("A.YML", "facts"), ("a.json", "pack"),
                                        ("a.yaml.json", "pack"), ("noext", "pack")])
def test_file_kind_goes_by_suffix(name, kind):
    assert file_kind(name) == kind


def test_check_file_on_the_real_facts_reports_conflicts_but_no_problems():
    result = check_file(TPT_FACTS)
    assert (result.kind, result.problems, len(result.conflicts)) == ("facts", [], 2)
    assert result.facts is not None and result.pack is None


def test_check_file_on_the_committed_pack():
    result = check_file(REPO / "questions" / "packs" / "tiny-pretty-things.json")
    assert (result.kind, result.problems, result.conflicts) == ("pack", [], [])
    assert result.pack.id == "tiny-pretty-things"


def test_check_file_reports_a_broken_pack(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"format": 1, "questions": [', encoding="utf-8")
    [problem] = check_file(path).problems
    assert str(problem).startswith(f"{path}:1: JSON syntax error")
    path.write_bytes(b"\xff\xfe{}")
    assert "not UTF-8" in str(check_file(path).problems[0])


def test_load_shows_refuses_the_same_show_twice(tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(TPT_FACTS.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(FactFileError) as caught:
        load_shows([TPT_FACTS, copy])
    assert str(caught.value) == f"{copy}:1: show.id: show 'tiny-pretty-things' is also defined in {TPT_FACTS}"


def test_a_pack_of_two_shows_is_named_after_both():
    pack = build_pack([TPT_FACTS, NEW_SHOW], seed=0, count=4)
    assert (pack.id, pack.title) == ("tiny-pretty-things-lantern-row", "Tiny Pretty Things + Lantern Row")
    assert [s.id for s in pack.shows] == ["tiny-pretty-things", "lantern-row"]
    named = build_pack([TPT_FACTS], pack_id="my-quiz", title="My Quiz", count=1)
    assert (named.id, named.title) == ("my-quiz", "My Quiz")


def test_build_pack_records_how_it_was_made():
    pack = build_pack([TPT_FACTS], seed=5, count=3, difficulty="hard", kinds=["date", "cast"])
    assert pack.seed == 5
    assert pack.generator == {"count": 3, "difficulty": "hard", "kinds": ["cast", "date"]}
    assert len(pack.questions) == 3 and {q.kind for q in pack.questions} <= {"cast", "date"}


def test_build_pack_passes_generation_errors_on():
    with pytest.raises(GenerationError):
        build_pack([TPT_FACTS], difficulty="impossible")


def test_build_pack_is_deterministic():
    assert dumps_pack(build_pack([TPT_FACTS], seed=2)) == dumps_pack(build_pack([TPT_FACTS], seed=2))


def test_the_committed_schemas_match_the_models(tmp_path):
    written = write_schemas(tmp_path)
    assert [p.name for p in written] == ["facts.schema.json", "pack.schema.json"]
    for path in written:
        committed = REPO / "questions" / "schema" / path.name
        assert path.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), \
            f"{committed} is stale: run `quizgen schema` and commit the result"
        assert json.loads(path.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")
