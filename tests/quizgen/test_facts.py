"""The fact models: dates at their precision, values within their scales, disputes and wrong answers that make sense."""

from __future__ import annotations

import re

import pytest
from facts_builders import cast, dated, dispute, fact, show
from pydantic import ValidationError

from quizgen import FACT_KINDS
from quizgen._facts import PartialDate
from quizgen._normalize import slugify


@pytest.mark.parametrize("text, precision, iso", [
    ("2020-12-14", "day", "2020-12-14"), ("2021-11", "month", "2021-11"), ("2019", "year", "2019"),
    (" 2024-02-29 ", "day", "2024-02-29"), ("1900-01-01", "day", "1900-01-01"), ("2100-12", "month", "2100-12"),
])
def test_a_date_keeps_its_precision(text, precision, iso):
    d = PartialDate.parse(text)
    assert (d.precision, d.iso()) == (precision, iso)


@pytest.mark.parametrize("text, message", [
    ("2021-02-30", "February 2021 has 28 days"), ("2023-02-29", "February 2023 has 28 days"),
    ("2021-04-31", "April 2021 has 30 days"), ("2021-13", "month 13 is not 1-12"), ("2021-00", "month 0"),
    ("2021-01-00", "January 2021 has 31 days"), ("Dec 2020", "is not a date"), ("2020/12/14", "is not a date"),
    ("20201214", "is not a date"), ("", "is not a date"), ("0000", "year 0 is out of range"),
    ("9999-12-31", "year 9999 is out of range"), ("1899", "year 1899 is out of range"),
])
def test_a_date_that_does_not_exist_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        PartialDate.parse(text)


def test_a_date_given_field_by_field_is_checked_too():
    with pytest.raises(ValidationError, match="February 2021 has 28 days"):
        PartialDate(year=2021, month=2, day=30)
    with pytest.raises(ValidationError, match="year 0 is out of range"):
        PartialDate(year=0, precision="year")


def test_a_year_may_be_written_as_a_number():
    [f] = show([dated("premiere", 2019)]).facts
    assert (f.date.precision, f.date.iso()) == ("year", "2019")


def test_dates_compare_by_value():
    assert PartialDate.parse("2021-11") == PartialDate.parse("2021-11")
    assert PartialDate.parse("2021-11") != PartialDate.parse("2021-11-01")


def test_every_kind_is_a_model():
    from typing import get_args

    from quizgen._facts import Fact

    union = get_args(get_args(Fact)[0])
    assert {m.model_fields["kind"].annotation.__args__[0] for m in union} == set(FACT_KINDS)


@pytest.mark.parametrize("bad_fact, message", [
    (fact("score", source="RT", metric="critics", value=101, scale=100, as_of="2021"), "above its scale of 100"),
    (fact("score", source="RT", metric="critics", value=7.5, scale=5, as_of="2021"), "above its scale of 5"),
    (fact("score", source="RT", metric="critics", value=-1, scale=100, as_of="2021"), "greater than or equal to 0"),
    (fact("score", source="RT", metric="critics", value=0, scale=0, as_of="2021"), "greater than 0"),
    (fact("score", source="RT", metric="critics", value=5, scale=1001, as_of="2021"), "less than or equal to 1000"),
    (fact("score", source="RT", metric="critics", value=5, scale="10", as_of="2021"), "valid number"),
    (fact("score", source="RT", metric="critics", value=5, scale=10), "as_of\n  Field required"),
    (fact("person", role="author", name="Lena Moss"), "an author needs `work`"),
    (fact("work", relation="sequel", title="Night Ferry"), "a sequel needs `of`"),
    (fact("work", relation="prequel", title="Low Water"), "a prequel needs `of`"),
    (fact("count", what="episodes", value=-2), "greater than or equal to 0"),
    (fact("count", what="episodes", value=True), "valid integer"),
    (fact("count", what="episodes", value="10"), "valid integer"),
    (fact("score", source="RT", metric="critics", value=True, scale=100, as_of="2021"), "valid number"),
    (dated("finale", "2020-01-01", season=True), "valid integer"),
    (dated("finale", "2020-01-01", season=0), "greater than or equal to 1"),
    (fact("chart_run", chart="Top 10", days=0), "greater than or equal to 1"),
    (cast("Ada Quill", "Nora Vale", colour="red"), "Extra inputs are not permitted"),
    (cast("Ada Quill", ""), "at least 1 character"),
    (cast("Ada Quill", "Nora Vale", sources=[]), "at least 1 item"),
    (cast("Ada Quill", "Nora Vale", sources=[{"article": "a.txt", "sentence": "Too short"}]), "at least 10"),
    (cast("Ada Quill", "Nora Vale", id="Not A Slug"), "should match pattern"),
    (cast("Ada Quill", "Nora Vale", gender="woman"), "'female', 'male' or 'nonbinary'"),
    (fact("work", relation="adaptation", title="Night Ferry"), "'source', 'source_novel', 'sequel'"),
    (fact("work", relation="source", title="Night Ferry", medium="opera"), "Input should be 'novel'"),
])
def test_a_fact_that_cannot_be_true_is_refused(bad_fact, message):
    with pytest.raises(ValidationError, match=message):
        show([bad_fact])


@pytest.mark.parametrize("disputed, message", [
    (dispute("Ada Quill"), "is the fact's own value: nothing is disputed"),
    (dispute("ADA  QUILL!"), "is the fact's own value"),           # the same after normalisation
    (dispute("Nora Vale", field="character"), "is the fact's own value"),
    (dispute("red", field="colour"), "'colour' is not a field of a cast fact"),
    (dispute("x", field="sources"), "'sources' is not a field"),
])
def test_a_dispute_must_name_a_field_and_differ_from_it(disputed, message):
    with pytest.raises(ValidationError, match=message):
        show([cast("Ada Quill", "Nora Vale", disputed=[disputed])])


def test_a_disputed_value_must_itself_be_valid():
    score = fact("score", source="RT", metric="critics", value=53, scale=100, as_of="2021", disputed=[dispute(153)])
    with pytest.raises(ValidationError, match="disputed value 153 is not a valid value: value 153 is above its scale"):
        show([score])
    when = dated("premiere", "2020-12-14", disputed=[dispute("2020-12-32")])
    with pytest.raises(ValidationError, match="is not a valid value"):
        show([when])


def test_disputed_dates_and_numbers_compare_as_values():
    with pytest.raises(ValidationError, match="own value"):
        show([dated("premiere", "2020-12-14", disputed=[dispute("2020-12-14")])])
    with pytest.raises(ValidationError, match="own value"):
        show([fact("score", source="RT", metric="critics", value=53, scale=100, as_of="2021",
                   disputed=[dispute(53.0)])])
    ok = show([fact("score", source="RT", metric="critics", value=53, scale=100, as_of="2021", disputed=[dispute(52)])])
    assert ok.facts[0].disputed_fields() == {"value"}


@pytest.mark.parametrize("wrong, message", [
    ({"actor": ["Ben Ortiz", "ada quill"]}, "wrong answer 'ada quill' for actor is the fact's own (right) value"),
    ({"actor": ["Ada Quil"]}, "wrong answer 'Ada Quil' for actor is a disputed value, so it may be right"),
    ({"role": ["Lead"]}, "wrong_answers names 'role', which is not an answer field of a cast fact"),
    ({"actor": [""]}, "at least 1 character"),
])
def test_a_wrong_answer_must_be_wrong(wrong, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        show([cast("Ada Quill", "Nora Vale", wrong_answers=wrong, disputed=[dispute("Ada Quil")])])


@pytest.mark.parametrize("good_fact", [
    fact("score", source="Letterboxd", value=3.5, scale=5, as_of="2021"),
    fact("score", source="Some Poll", value=7, scale=7, as_of="2021-05"),   # any scale above 0, up to 1000
    fact("score", source="Some Poll", value=812.5, scale=1000, as_of="2021-05-02"),
    cast("Ada Quill", None),                                                  # the character may be unknown
    cast("Ada Quill", "Nora Vale", gender="female", actor_aliases=["A. Quill"], character_aliases=["Nora"]),
    fact("work", relation="source", title="Night Ferry", medium="podcast"),
    fact("work", relation="source_novel", title="Night Ferry"),              # older files' name for `source`
    fact("person", role="creator", name="Lena Moss", gender="nonbinary", aliases=["L. Moss"]),
])
def test_a_fact_that_may_be_true_is_accepted(good_fact):
    show([good_fact])


@pytest.mark.parametrize("citation, message", [
    ({"article": "a.txt"}, "give either `sentence`"),
    ({"article": "a.txt", "sentence": "A sentence the tests cite.", "dateline": True}, "give either `sentence`"),
    ({"article": "a.txt", "dateline": False}, "give either `sentence`"),
    ({"article": "a.txt", "dateline": "yes please"}, "valid boolean"),
])
def test_a_citation_gives_a_sentence_or_the_articles_date_line(citation, message):
    with pytest.raises(ValidationError, match=message):
        show([dated("premiere", "2019", sources=[citation])])


def test_a_date_line_citation_is_a_citation():
    [f] = show([dated("premiere", "2019", sources=[{"article": "a.txt", "dateline": True}])]).facts
    assert (f.sources[0].sentence, f.sources[0].dateline) == (None, True)


def test_a_fact_key_is_made_from_its_key_fields_or_its_id():
    facts = show([cast("Zoë Lane", "The Doctor"), dated("finale", "2021-03", season=2), dated("premiere", "2019"),
                  fact("score", source="Rotten Tomatoes", metric="critics", value=5, scale=100, as_of="2021"),
                  fact("status", status="cancelled", as_of="2021-04"), fact("count", what="episodes", value=10),
                  cast("Ada Quill", "Nora Vale", id="lead")]).facts
    # a date counts as written, at its precision; an empty field (the count's season) is skipped
    assert [f.key() for f in facts] == ["the-doctor-zoe-lane", "finale-2", "premiere", "rotten-tomatoes-critics-2021",
                                        "cancelled-2021-04", "episodes", "lead"]
    assert show([cast("Ada Quill", None)]).facts[0].key() == "ada-quill"  # an unknown character is skipped too


def test_the_same_score_at_another_date_is_another_fact():
    early, late = show([fact("score", source="IMDb", value=7.1, scale=10, as_of=when) for when in ("2021", "2022")]).facts
    assert early.key() != late.key()


def test_slugify():
    assert slugify("Tiny Pretty Things: Season 2!") == "tiny-pretty-things-season-2"
    assert slugify("Zoë  Façade") == "zoe-facade"
    assert slugify("!!!") == "x"
    assert len(slugify("a" * 200)) == 80


def test_a_show_needs_facts_and_a_known_format():
    with pytest.raises(ValidationError, match="at least 1 item"):
        show([])
    from quizgen import ShowFacts

    with pytest.raises(ValidationError, match="Input should be 1"):
        ShowFacts.model_validate({"format": 2, "show": {"id": "x", "title": "X"}, "facts": [cast("A B", "C D")]})


def test_facts_are_frozen():
    f = show([cast("Ada Quill", "Nora Vale")]).facts[0]
    with pytest.raises(ValidationError):
        f.actor = "Someone Else"
