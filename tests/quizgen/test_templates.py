"""Where a question is born: each kind's stems in plain English, the give-away rule, ids, explanations, time limits."""

from __future__ import annotations

import re

import pytest
from facts_builders import FIVE_CAST, cast, cite, dated, dispute, fact, show

from quizgen._pack import TIME_LIMITS
from quizgen._templates import Numbers, format_date, plans_for_show, time_limit_for

KAHOOT_TIME_LIMITS = {5, 10, 20, 30, 60, 90, 120, 240}

# One fact per template, each with the stem and answer a quiz host would read out.
EVERY_TEMPLATE = [
    (cast("Ada Quill", "Nora Vale"), "who-plays", "Who plays Nora Vale in Harbour Street?", "Ada Quill"),
    (cast("Ada Quill", "Nora Vale"), "plays-whom", "Which character does Ada Quill play in Harbour Street?",
     "Nora Vale"),
    (dated("premiere", "2019-03-04"), "when", "On what date did Harbour Street premiere on BBC One?", "March 4, 2019"),
    (dated("production_start", "2018-05-14", season=1), "when",
     "On what date did production of season 1 of Harbour Street begin?", "May 14, 2018"),
    (dated("production_end", "2018-09", season=1), "when",
     "In which month and year did production of season 1 of Harbour Street end?", "September 2018"),
    (dated("filming_start", "2018-06", season=2), "when",
     "In which month and year did filming of season 2 of Harbour Street begin?", "June 2018"),
    (dated("filming_end", "2018-10-02"), "when", "On what date did filming of Harbour Street end?", "October 2, 2018"),
    (dated("cancellation", "2022"), "when", "In which year was Harbour Street cancelled?", "2022"),
    (dated("renewal", "2019-05-20"), "when", "On what date was Harbour Street renewed?", "May 20, 2019"),
    (dated("finale", "2019-04-29", season=1), "when",
     "On what date did the final episode of season 1 of Harbour Street air?", "April 29, 2019"),
    (dated("announcement", "2017-11"), "when", "In which month and year was Harbour Street first announced?",
     "November 2017"),
    (fact("score", source="Rotten Tomatoes", metric="critics", value=87, scale=100, as_of="2021-05-01"), "value",
     "As of May 1, 2021, what was the Rotten Tomatoes critics score of Harbour Street?", "87%"),
    (fact("score", source="IMDb", metric="audience", value=7.4, scale=10, as_of="2021-05"), "value",
     "As of May 2021, what was the IMDb rating of Harbour Street?", "7.4/10"),
    (fact("score", source="Metacritic", metric="audience", value=4, scale=5, as_of="2021"), "value",
     "As of 2021, what was the Metacritic user score of Harbour Street?", "4.0/5"),
    (fact("score", source="IMDb", metric="rating", value=6.2, scale=10, as_of="2022-06"), "value",
     "As of June 2022, what was the IMDb rating of Harbour Street?", "6.2/10"),
    (fact("score", source="Metacritic", metric="score", name="Metascore", value=64, scale=100, as_of="2022"), "value",
     "As of 2022, what was the Metascore of Harbour Street?", "64/100"),
    (fact("work", relation="source", medium="short_story", title="The Drowned Light"), "source",
     "Harbour Street is based on which short story?", "The Drowned Light"),
    (fact("person", role="creator", name="Mara Lind"), "creator", "Who created Harbour Street?", "Mara Lind"),
    (fact("person", role="showrunner", name="Omar Vance"), "showrunner", "Who was the showrunner of Harbour Street?",
     "Omar Vance"),
    (fact("person", role="director", name="Pia Holm"), "director", "Who directed Harbour Street?", "Pia Holm"),
    (fact("person", role="composer", name="Rex Wynn"), "composer", "Who composed the music for Harbour Street?",
     "Rex Wynn"),
    (fact("person", role="author", name="Tess Gray", work="The Tide Book"), "author",
     "Who wrote the book The Tide Book?", "Tess Gray"),
    (fact("work", relation="source_novel", title="The Tide Book"), "source", "Harbour Street is based on which novel?",
     "The Tide Book"),
    (fact("work", relation="sequel", title="Night Ferry", of="The Tide Book"), "sequel",
     "What is the title of the sequel to the novel The Tide Book?", "Night Ferry"),
    (fact("work", relation="prequel", title="Low Water", of="The Tide Book"), "prequel",
     "What is the title of the prequel to the novel The Tide Book?", "Low Water"),
    (fact("work", relation="spin_off", title="Harbour Lights", medium="series"), "spin_off",
     "What is the title of the spin-off of Harbour Street?", "Harbour Lights"),
    (fact("place", role="setting_city", name="Whitby"), "setting", "In which city is Harbour Street set?", "Whitby"),
    (fact("place", role="filming_location", name="Scarborough", region="England", season=1), "filmed",
     "In which city was season 1 of Harbour Street filmed?", "Scarborough"),
    (fact("place", role="school", name="St Hild Academy", description="sixth-form college"), "school",
     "What is the name of the sixth-form college in Harbour Street?", "St Hild Academy"),
    (fact("place", role="school", name="St Hild Academy"), "school",
     "What is the name of the school in Harbour Street?", "St Hild Academy"),
    (fact("count", what="episodes", value=8, season=1), "episodes",
     "How many episodes does season 1 of Harbour Street have?", "8"),
    (fact("count", what="episodes", value=24), "episodes", "How many episodes does Harbour Street have?", "24"),
    (fact("count", what="seasons", value=3), "seasons", "How many seasons does Harbour Street have?", "3"),
    (fact("count", what="seasons", value=1), "seasons", "How many seasons does Harbour Street have?", "1"),
    (fact("chart_run", chart="BBC iPlayer chart", days=12, preceded_by="Line of Duty"), "days",
     "For how many days was Harbour Street number one on the BBC iPlayer chart?", "12"),
    (fact("chart_run", chart="BBC iPlayer chart", position=3, days=4), "days",
     "For how many days was Harbour Street number 3 on the BBC iPlayer chart?", "4"),
    (fact("chart_run", chart="BBC iPlayer chart", days=12, preceded_by="Line of Duty"), "replaced",
     "Which series did Harbour Street replace at number one on the BBC iPlayer chart?", "Line of Duty"),
    (fact("chart_run", chart="BBC iPlayer chart", days=12, succeeded_by="Happy Valley"), "replaced-by",
     "Which series took the number one spot on the BBC iPlayer chart from Harbour Street?", "Happy Valley"),
    (fact("status", status="renewal_pending", as_of="2019-05-20"), "status",
     "As of May 20, 2019, what was the renewal status of Harbour Street?", "No decision yet"),
    (fact("status", status="renewed", as_of="2019-06"), "status",
     "As of June 2019, what was the renewal status of Harbour Street?", "Renewed"),
    (fact("status", status="ended", as_of="2023"), "status",
     "As of 2023, what was the renewal status of Harbour Street?", "Ended as planned"),
    (fact("status", status="cancelled", as_of="2022-01", how_known="The creator said so on a podcast"), "status",
     "As of January 2022, what was the renewal status of Harbour Street?", "Cancelled"),
    (fact("status", status="cancelled", as_of="2022-01", how_known="The creator said so on a podcast"), "how-known",
     "How did the news that Harbour Street had been cancelled become public?", "The creator said so on a podcast"),
]


NATURAL_STEM_CASES = EVERY_TEMPLATE


def plans(facts, **kw):
    return list(plans_for_show(show(facts, **kw), 0))


def plan_for(facts, template):
    found = [p for p in plans(facts) if p.template == template]
    assert len(found) == 1, [p.template for p in plans(facts)]
    return found[0]


@pytest.mark.parametrize("the_fact, template, stem, answer", NATURAL_STEM_CASES)
def test_each_template_asks_a_natural_question(the_fact, template, stem, answer):
    plan = plan_for([the_fact], template)
    assert (plan.stem, plan.answer.text) == (stem, answer)


def test_every_kind_has_a_template_here():
    from quizgen import FACT_KINDS

    from quizgen._templates import TEMPLATE_NAMES

    assert {case[0]["kind"] for case in EVERY_TEMPLATE} == set(FACT_KINDS)
    assert {case[1] for case in EVERY_TEMPLATE} == {t for names in TEMPLATE_NAMES.values() for t in names}
    assert set(TEMPLATE_NAMES) == set(FACT_KINDS)


def test_cast_is_asked_both_ways():
    asked = {(p.template, p.stem, p.answer.text) for p in plans(FIVE_CAST[:2])}
    assert asked == {
        ("who-plays", "Who plays Nora Vale in Harbour Street?", "Ada Quill"),
        ("plays-whom", "Which character does Ada Quill play in Harbour Street?", "Nora Vale"),
        ("who-plays", "Who plays Sara Reyes in Harbour Street?", "Bea Ortiz"),
        ("plays-whom", "Which character does Bea Ortiz play in Harbour Street?", "Sara Reyes"),
    }


def test_a_co_author_is_named_in_the_stem():
    facts = [fact("person", role="author", name=n, work="Night Ferry") for n in ("Lena Moss", "Kit Roe", "Ida Fox")]
    stems = {p.answer.text: p.stem for p in plans(facts)}
    assert stems == {"Lena Moss": "Who co-wrote the book Night Ferry with Kit Roe and Ida Fox?",
                     "Kit Roe": "Who co-wrote the book Night Ferry with Lena Moss and Ida Fox?",
                     "Ida Fox": "Who co-wrote the book Night Ferry with Lena Moss and Kit Roe?"}


def test_an_author_question_names_the_medium_of_the_work():
    facts = [fact("work", relation="source_novel", title="Night Ferry", medium="comic"),
             fact("person", role="author", name="Lena Moss", work="Night Ferry")]
    assert plan_for(facts, "author").stem == "Who wrote the comic Night Ferry?"


def test_the_source_novel_is_not_asked_when_it_shares_the_shows_title():
    # "Tiny Pretty Things is based on which novel?" would give away "Tiny Pretty Things".
    same = [fact("work", relation="source_novel", title="Tiny Pretty Things")]
    assert plans(same, id="tiny-pretty-things", title="Tiny Pretty Things") == []
    also_same = [fact("work", relation="source_novel", title="The Tiny, Pretty Things!")]
    assert plans(also_same, id="tiny-pretty-things", title="Tiny Pretty Things") == []
    other = [fact("work", relation="source_novel", title="Shiny Broken Pieces")]
    assert [p.answer.text for p in plans(other, id="tiny-pretty-things", title="Tiny Pretty Things")] == \
        ["Shiny Broken Pieces"]


def test_an_answer_written_in_the_stem_drops_only_that_question():
    facts = [cast("Ada Quill", "Nora Vale")]
    asked = {p.template for p in plans(facts, id="ada-quill-investigates", title="Ada Quill Investigates")}
    assert asked == {"plays-whom"}


def test_a_disputed_fact_is_never_asked():
    facts = [cast("Ada Quill", "Nora Vale", disputed=[dispute("Ada Quil")]), cast("Ben Ortiz", "Sam Reyes"),
             fact("score", source="RT", metric="critics", value=53, scale=100, as_of="2021",
                  disputed=[dispute(52)])]
    asked = {p.answer.text for p in plans(facts)}
    assert asked == {"Ben Ortiz", "Sam Reyes"}


def test_a_dispute_about_any_field_keeps_the_whole_fact_out():
    facts = [cast("Ada Quill", "Nora Vale", disputed=[dispute("Norah Vale", field="character")])]
    assert plans(facts) == []


def test_kinds_limits_the_plans():
    facts = FIVE_CAST[:1] + [dated("premiere", "2019-03-04"), fact("count", what="seasons", value=3)]
    assert {p.kind for p in plans_for_show(show(facts), 0, frozenset({"date", "count"}))} == {"date", "count"}


# --------------------------------------------------------------------------- ids


def ids_by_question(facts, **kw):
    return {(p.kind, p.template, p.answer.text): p.id for p in plans(facts, **kw)}


def test_ids_are_sixteen_hex_digits_and_unique():
    ids = [p.id for p in plans(FIVE_CAST + [dated("premiere", "2019-03-04")])]
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids)
    assert len(set(ids)) == len(ids) == 11


def test_ids_survive_new_facts_and_a_new_order():
    before = ids_by_question(FIVE_CAST)
    after = ids_by_question([dated("premiere", "2019-03-04"), *reversed(FIVE_CAST), cast("Fay Dunn", "Una Lowe")])
    assert {k: after[k] for k in before} == before


def test_ids_depend_on_the_show():
    assert set(ids_by_question(FIVE_CAST).values()).isdisjoint(
        ids_by_question(FIVE_CAST, id="other-show").values())


def test_an_explicit_fact_id_keeps_the_question_id_when_a_spelling_is_fixed():
    before = ids_by_question([cast("Ada Quil", "Nora Vale", id="nora")])
    after = ids_by_question([cast("Ada Quill", "Nora Vale", id="nora")])
    assert before[("cast", "plays-whom", "Nora Vale")] == after[("cast", "plays-whom", "Nora Vale")]
    without_id = ids_by_question([cast("Ada Quil", "Nora Vale")])
    assert without_id[("cast", "plays-whom", "Nora Vale")] != before[("cast", "plays-whom", "Nora Vale")]


# --------------------------------------------------------------------------- explanations and time limits


@pytest.mark.parametrize("the_fact, template, stem, answer", EVERY_TEMPLATE)
def test_the_explanation_is_one_sentence_naming_the_answer(the_fact, template, stem, answer):
    plan = plan_for([the_fact], template)
    assert answer.lower() in plan.explanation.lower()
    assert plan.explanation.endswith(".") and "Source:" not in plan.explanation
    assert not re.search(r"\b1 (seasons|episodes|days)\b", plan.explanation)


def test_the_sentence_that_states_the_answer_comes_first_with_the_answer_marked():
    vague = cite("The series was a hit with viewers everywhere.", "vague.txt")
    proof = cite("After a long wait, Ada Quill took the part of Nora Vale in the end.", "proof.txt")
    plan = plan_for([cast("Ada Quill", "Nora Vale", sources=[vague, proof])], "who-plays")
    first = plan.sources[0]
    assert first.article == "proof.txt" and plan.sources[1].article == "vague.txt"
    assert first.sentence[first.mark[0]:first.mark[1]] == "Ada Quill"
    assert plan.sources[1].mark is None


def test_a_date_is_marked_however_the_article_writes_it():
    proof = cite("Filming wrapped on October 2nd, 2018, in Whitby.", "proof.txt")
    plan = plan_for([{**dated("filming_end", "2018-10-02"), "sources": [proof]}], "when")
    start, end = plan.sources[0].mark
    assert plan.sources[0].sentence[start:end] == "October 2nd, 2018"


def test_a_count_is_marked_when_the_article_spells_it_out():
    proof = cite("It stayed on top for a total of eight days in all.", "proof.txt")
    plan = plan_for([{**fact("chart_run", chart="BBC iPlayer chart", days=8), "sources": [proof]}], "days")
    start, end = plan.sources[0].mark
    assert plan.sources[0].sentence[start:end] == "eight"
    assert plan.explanation == "Harbour Street spent 8 days at number one on the BBC iPlayer chart."


def test_several_true_values_make_one_which_of_these_question():
    facts = [fact("place", role="filming_location", name="Halifax", season=1),
             fact("place", role="filming_location", name="Truro", season=1)]
    asked = plans(facts)
    assert [p.stem for p in asked] == ["In which of these cities was season 1 of Harbour Street filmed?"]
    assert {"halifax", "truro"} - {asked[0].answer.key} <= asked[0].exclude
    assert len(asked[0].facts) == 2


def test_both_directions_of_a_cast_pair_rest_on_the_same_fact():
    who, whom = sorted(plans(FIVE_CAST[:1]), key=lambda p: p.template)
    assert set(who.facts) & set(whom.facts)


def test_a_stem_that_names_another_questions_answer_shares_its_fact():
    facts = [dated("cancellation", "2022-01"), fact("status", status="cancelled", as_of="2022-01")]
    by_template = {p.template: p for p in plans(facts)}
    assert set(by_template["when"].facts) <= set(by_template["status"].facts)


def test_time_limits_are_kahoots():
    assert set(TIME_LIMITS) <= KAHOOT_TIME_LIMITS
    for n in (0, 10, 100, 300, 1000, 5000):
        assert time_limit_for("x" * n, ("a", "b", "c", "d")) in KAHOOT_TIME_LIMITS


def test_time_limit_is_the_first_allowed_limit_past_reading_time():
    # the rule in words: 8 s plus a second per 12 characters, rounded up to an allowed limit (the
    # code compares whole numbers instead of the float); every length up past the last limit
    for chars in range(0, 3100):
        stem, options = "s" * (chars - chars // 2), ("a" * (chars // 2), "", "", "")
        reading = 8 + chars / 12
        expected = next((limit for limit in TIME_LIMITS if limit >= reading), TIME_LIMITS[-1])
        assert time_limit_for(stem, options) == expected, chars


def test_longer_questions_get_at_least_as_much_time():
    limits = [time_limit_for("x" * n, ("a", "b", "c", "d")) for n in range(0, 3000, 50)]
    assert limits == sorted(limits)
    assert limits[0] < limits[-1] == 240


def test_formats_for_dates_and_scores():
    from quizgen._facts import PartialDate

    assert [format_date(PartialDate.parse(t)) for t in ("2020-12-14", "2021-11", "2019")] == \
        ["December 14, 2020", "November 2021", "2019"]
    percent = Numbers("score", scale=100, percent=True)
    assert [percent.text(53), Numbers("score", scale=100, decimals=1, percent=True).text(53.5),
            Numbers("score", scale=10, decimals=1).text(7.4), Numbers("score", scale=5, decimals=1).text(4)] == \
        ["53%", "53.5%", "7.4/10", "4.0/5"]


def test_each_seasons_date_gets_its_own_question():
    facts = [dated("premiere", "2020-01-10", season=1), dated("premiere", "2021-03-05", season=2),
             dated("renewal", "2020-06-01", season=2), dated("renewal", "2021-06-01", season=3)]
    stems = [p.stem for p in plans(facts)]
    assert len(set(stems)) == len(stems), stems


@pytest.mark.parametrize("the_fact, template, stem, answer", EVERY_TEMPLATE)
def test_a_question_says_it_is_ordered_exactly_when_its_options_are_numbers(the_fact, template, stem, answer):
    from quizgen._pack import ORDERED_TEMPLATES

    plan = plan_for([the_fact], template)
    assert ((plan.kind, plan.template) in ORDERED_TEMPLATES) == (plan.numbers is not None)
