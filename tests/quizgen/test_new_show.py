"""A new show needs only a new facts file: Lantern Row (made up, in ``data/``) validates, generates, and lends its
values as distractors to Tiny Pretty Things, and the other way round."""

from __future__ import annotations

import shutil

import pytest
from facts_builders import DATA, TPT_FACTS, assert_well_formed

from quizgen import load_facts, loads_pack
from quizgen._normalize import option_key

NEW_SHOW = DATA / "lantern-row.yaml"


def text_values(path) -> set[str]:
    """The option keys of a show's own names, places and titles (not dates or numbers)."""
    values = set()
    for f in load_facts(path).facts.facts:
        if f.disputed:
            continue
        for field in ("actor", "character", "name", "title"):
            if isinstance(getattr(f, field, None), str):
                values.add(option_key(getattr(f, field)))
    return values


def test_it_validates_with_its_one_conflict(cli):
    result = cli("validate", NEW_SHOW)
    assert result.exit_code == 0
    [conflict] = result.stdout.splitlines()
    assert conflict.startswith(f"{NEW_SHOW}:")
    assert "conflict: score imdb-audience-2023-01 value: '7.8' in lantern-row-renewal.txt; '7.9' in" in conflict


def test_it_generates_every_kind_it_has_facts_for(cli):
    result = cli("generate", NEW_SHOW)
    assert result.exit_code == 0
    pack = loads_pack(result.stdout)
    assert (pack.id, pack.title) == ("lantern-row", "Lantern Row")
    assert {q.kind for q in pack.questions} == {"cast", "date", "score", "place", "person", "count"}
    assert "As of January 15, 2023, what was the Rotten Tomatoes critics score of Lantern Row?" in \
        {q.stem for q in pack.questions}
    assert not [q for q in pack.questions if "IMDb" in q.stem]  # disputed
    for q in pack.questions:
        assert_well_formed(q)


def test_it_is_built_from_a_questions_folder_of_its_own(cli, tmp_path):
    folder = tmp_path / "questions"
    shutil.copytree(DATA / "sources", folder / "sources")
    shutil.copy(NEW_SHOW, folder / NEW_SHOW.name)
    result = cli("build", "--questions", folder)
    assert result.exit_code == 0
    pack = loads_pack((folder / "packs" / "lantern-row.json").read_text(encoding="utf-8"))
    assert len(pack.questions) >= 15


def test_every_citation_is_checked_against_its_articles(tmp_path):
    folder = tmp_path / "questions"
    shutil.copytree(DATA / "sources", folder / "sources")
    text = NEW_SHOW.read_text(encoding="utf-8").replace("wrapped on March 11, 2022", "wrapped on March 12, 2022")
    (folder / NEW_SHOW.name).write_text(text, encoding="utf-8")
    from quizgen import FactFileError

    with pytest.raises(FactFileError, match="sentence not found in lantern-row-first-look.txt"):
        load_facts(folder / NEW_SHOW.name)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_show_short_of_its_own_values_borrows_from_the_other_show_of_the_run(cli, seed):
    pack = loads_pack(cli("generate", TPT_FACTS, NEW_SHOW, "--seed", seed).stdout)
    values = {"tiny-pretty-things": text_values(TPT_FACTS), "lantern-row": text_values(NEW_SHOW)}
    borrowed = {show: 0 for show in values}
    for q in pack.questions:
        theirs = next(v for s, v in values.items() if s != q.show) - values[q.show]
        borrowed[q.show] += any(option_key(w) in theirs for w in q.wrong)
        assert option_key(q.correct) not in theirs  # the answer is always the show's own
    # Tiny Pretty Things has enough of its own; Lantern Row's smaller cast needs the other show's
    assert borrowed["lantern-row"] > 0, borrowed
