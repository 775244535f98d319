"""Facts models built in code for the tests: short builders with defaults, and the question checks every test shares."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from quizgen import Question, ShowFacts
from quizgen._normalize import fold, option_key

REPO = Path(__file__).resolve().parents[2]
TPT_FACTS = REPO / "questions" / "tiny-pretty-things.yaml"
DATA = Path(__file__).resolve().parent / "data"
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"
GOLDEN = Path(__file__).resolve().parent / "golden"

ARTICLE = "a.txt"
SENTENCE = "A sentence the tests cite as their source."


def cite(sentence: str = SENTENCE, article: str = ARTICLE) -> dict:
    return {"article": article, "sentence": sentence}


def fact(kind: str, **fields) -> dict:
    """A fact as the YAML would give it, citing the default sentence unless told otherwise."""
    fields.setdefault("sources", [cite()])
    return {"kind": kind, **fields}


def cast(actor: str, character: str, **fields) -> dict:
    return fact("cast", actor=actor, character=character, **fields)


def dated(role: str, when: str, **fields) -> dict:
    return fact("date", role=role, date=when, **fields)


def dispute(value, field: str | None = None, sentence: str = "Another article says something else.") -> dict:
    out = {"value": value, "sources": [cite(sentence, "b.txt")]}
    if field:
        out["field"] = field
    return out


def show(facts: list[dict], *, id: str = "harbour-street", title: str = "Harbour Street",
         network: str | None = "BBC One", year: int | None = 2019) -> ShowFacts:
    """A checked facts model for one show."""
    return ShowFacts.model_validate({"format": 1, "show": {"id": id, "title": title, "network": network,
                                                            "year": year}, "facts": facts})


# one gender for all five, so that each cast question has four of its gender to choose from
FIVE_CAST = [cast(actor, character, gender="female") for actor, character in (
    ("Ada Quill", "Nora Vale"), ("Bea Ortiz", "Sara Reyes"), ("Cleo Park", "Ivy Lund"), ("Dana Rao", "Tess Fisk"),
    ("Eve Stone", "Mia Hart"))]


def keys(texts) -> list[str]:
    return [option_key(t) for t in texts]


def in_stem(text: str, stem: str) -> bool:
    """Whether an option is written in the stem, as whole words after normalisation."""
    key = option_key(text)
    return bool(key) and f" {key} " in f" {fold(stem)} "


_DATE_FORMATS = ("%B %d, %Y", "%B %Y", "%Y")


def parse_date_option(text: str) -> tuple[str, datetime]:
    """A date option read back: its precision (by format) and its value."""
    for fmt in _DATE_FORMATS:
        try:
            return fmt, datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise AssertionError(f"{text!r} is not a date option")


def parse_number_option(text: str) -> float:
    """A count ('10'), a percentage ('53%') or a score out of N ('7.4/10') read back as a number."""
    return float(text.removesuffix("%").split("/")[0])


def assert_well_formed(q: Question) -> None:
    """The rules every question obeys, whatever its facts."""
    assert len(q.options) == 4, q
    assert len(set(keys(q.options))) == 4, f"options not distinct after normalisation: {q.options}"
    assert 0 <= q.answer < 4
    assert not in_stem(q.correct, q.stem), f"the answer is in the stem: {q.stem!r} / {q.correct!r}"
    assert not any(in_stem(w, q.stem) for w in q.wrong), f"a wrong option is in the stem: {q}"
    assert q.time_limit in (5, 10, 20, 30, 60, 90, 120, 240)
    assert q.correct.casefold() in q.explanation.casefold(), "the explanation does not name the answer"
    assert q.sources and q.explanation.endswith(".") and q.sources[0].name() in q.explained()
    if q.kind == "date":
        parsed = [parse_date_option(o) for o in q.options]
        assert len({fmt for fmt, _ in parsed}) == 1, f"dates at different precisions: {q.options}"
        values = [v for _, v in parsed]
        assert values == sorted(values) and len(set(values)) == 4, f"dates not in order: {q.options}"
    if q.kind in ("count", "score") or q.template == "days":
        values = [parse_number_option(o) for o in q.options]
        assert values == sorted(values) and len(set(values)) == 4, f"numbers not ascending: {q.options}"
