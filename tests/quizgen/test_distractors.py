"""Where distractors come from: never a true or disputed value, never a duplicate, and as close as the difficulty
says."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from facts_builders import FIVE_CAST, assert_well_formed, cast, cite, dated, dispute, fact, keys, parse_date_option, show

from quizgen import generate_questions
from quizgen._distractors import difficulty_of
from quizgen._normalize import option_key

SEEDS = range(10)
TARGETS = ("easy", "hard", "mixed")  # mixed reaches medium too; easy is where made-up values come in


def every_question(shows, seeds=SEEDS, targets=TARGETS, **kw):
    """The questions of many runs: every seed, every difficulty."""
    return [q for seed in seeds for target in targets
            for q in generate_questions(shows, seed=seed, difficulty=target, **kw)]


def offered(questions) -> set[str]:
    return {option_key(o) for q in questions for o in q.options}


@pytest.mark.parametrize("closeness, label", [(1.0, "hard"), (0.9, "hard"), (0.8999, "medium"), (0.5, "medium"),
                                              (0.4999, "easy"), (0.0, "easy")])
def test_difficulty_follows_the_closeness_thresholds(closeness, label):
    assert difficulty_of(closeness) == label


def test_disputed_values_are_never_offered():
    facts = FIVE_CAST + [cast("Fay Dunn", "Una Lowe", disputed=[dispute("Fay Dunne")]),
                         cast("Gus Hale", "Vic Moor", disputed=[dispute("Vick Moore", field="character")])]
    questions = every_question([show(facts)])
    assert questions
    assert offered(questions).isdisjoint(keys(["Fay Dunne", "Vick Moore", "Fay Dunn", "Una Lowe", "Gus Hale",
                                              "Vic Moor"]))


def test_a_disputed_score_is_not_asked_and_its_values_are_not_offered():
    facts = [fact("score", source="Rotten Tomatoes", metric="critics", value=53, scale=100, as_of="2021-02-15",
                  disputed=[dispute(52)]),
             fact("score", source="Rotten Tomatoes", metric="audience", value=60, scale=100, as_of="2021-02-15")]
    questions = every_question([show(facts)], seeds=range(10))
    assert {q.stem for q in questions} == {
        "As of February 15, 2021, what was the Rotten Tomatoes audience score of Harbour Street?"}
    # 53% and 52% may be true for the critics score; offering either for the audience score is fair,
    # but neither may be offered as a wrong critics score, which is never asked at all.
    assert all(q.correct == "60%" for q in questions)


def test_co_authors_are_never_each_others_distractor():
    authors = ("Lena Moss", "Kit Roe")
    facts = FIVE_CAST + [fact("person", role="author", name=n, work="Night Ferry",
                              wrong_answers={"name": ["Sara Shepard", "Kiera Cass"]}) for n in authors]
    facts += [fact("person", role="creator", name="Mara Lind"), fact("person", role="director", name="Pia Holm")]
    author_questions = [q for q in every_question([show(facts)], kinds=["person"]) if q.template == "author"]
    assert len({q.correct for q in author_questions}) == 2
    for q in author_questions:
        assert set(keys(q.options)) & set(keys(authors)) == {option_key(q.correct)}


def test_two_creators_make_one_which_of_these_question_with_one_of_them_offered():
    creators = ("Mara Lind", "Omar Vance")
    facts = [fact("person", role="creator", name=n) for n in creators]
    facts += [fact("person", role="director", name="Pia Holm"), fact("person", role="composer", name="Rex Wynn")]
    questions = [q for q in every_question([show(facts)]) if q.template == "creator"]
    assert questions
    for q in questions:
        assert q.stem == "Which of these people created Harbour Street?"
        assert set(keys(q.options)) & set(keys(creators)) == {option_key(q.correct)}


def test_an_actor_with_two_parts_never_has_one_offered_against_the_other():
    facts = FIVE_CAST + [cast("Ada Quill", "Nell Vale", gender="female")]
    questions = [q for q in every_question([show(facts)]) if q.template == "plays-whom" and "Ada Quill" in q.stem]
    assert questions and {q.stem for q in questions} == {"Which of these characters does Ada Quill play in Harbour Street?"}
    for q in questions:
        assert len({"Nora Vale", "Nell Vale"} & set(q.options)) == 1, q.options


def test_a_recast_characters_actors_are_never_offered_against_each_other():
    facts = FIVE_CAST + [cast("Zed Bloom", "Nora Vale", recast=True, gender="female")]
    facts[0] = cast("Ada Quill", "Nora Vale", recast=True, gender="female")
    questions = [q for q in every_question([show(facts)]) if "plays Nora Vale" in q.stem]
    assert questions and {q.stem for q in questions} == {"Which of these actors plays Nora Vale in Harbour Street?"}
    for q in questions:
        assert len({"Ada Quill", "Zed Bloom"} & set(q.options)) == 1, q.options


def test_options_are_distinct_after_case_accents_punctuation_and_a_leading_the():
    # Five spellings of two answers; at most one of each may stand among the options.
    facts = FIVE_CAST + [cast("Zoë Lane", "The Doctor"), cast("zoe lane!", "Doctor"), cast("ZOE-LANE", "doctor."),
                         cast("Ian Cole", "Ned Bell", wrong_answers={"actor": ["Zoe Lane", "Ida Cole"],
                                                                    "character": ["THE DOCTOR"]})]
    questions = every_question([show(facts)])
    for q in questions:
        assert len(set(keys(q.options))) == 4, q.options
    assert any(option_key(o) == "doctor" for q in questions for o in q.options)


def test_dates_are_distinct_at_their_precision_and_in_order():
    facts = [dated("premiere", "2020-12-14"), dated("cancellation", "2021-11"), dated("renewal", "2021-12"),
             dated("announcement", "2020-01"), dated("finale", "2021-01", season=1), dated("production_start", "2019"),
             dated("production_end", "2020")]
    questions = every_question([show(facts)])
    precisions = {"premiere": "%B %d, %Y", "cancelled": "%B %Y", "renewed": "%B %Y", "announced": "%B %Y",
                  "final": "%B %Y", "begin": "%Y", "end": "%Y"}
    assert questions
    for q in questions:
        assert_well_formed(q)
        wanted = next(fmt for word, fmt in precisions.items() if word in q.stem)
        assert {parse_date_option(o)[0] for o in q.options} == {wanted}, q.options


@pytest.mark.parametrize("score, scale", [(53, 100), (99.5, 100), (0, 100), (7.4, 10), (9.9, 10), (4.5, 5), (0.2, 5)])
def test_scores_are_distinct_as_written_ascending_and_within_their_scale(score, scale):
    facts = [fact("score", source="IMDb", metric="audience", value=score, scale=scale, as_of="2021")]
    for q in every_question([show(facts)], seeds=range(15)):
        assert_well_formed(q)
        values = [float(o.removesuffix("%").removesuffix(f"/{scale}")) for o in q.options]
        assert all(0 <= v <= scale for v in values), q.options


@pytest.mark.parametrize("value", [0, 1, 2, 10, 250, 99999])
def test_counts_are_distinct_ascending_and_never_negative(value):
    facts = [fact("count", what="episodes", value=value)]
    for q in every_question([show(facts)], seeds=range(15)):
        assert_well_formed(q)
        assert all(int(o) >= 0 for o in q.options)
        assert str(value) in q.options


def test_the_answer_is_never_the_unique_longest_option():
    long_name = "Bartholomew Featherstonehaugh-Smythe"
    facts = FIVE_CAST + [cast("Ian Cole", long_name,
                              wrong_answers={"character": ["Maximilian Wolverhampton-Hargreaves III"]})]
    questions = every_question([show(facts)])
    assert any(q.correct == long_name for q in questions)  # it can still be asked, against a long wrong option
    for q in questions:
        assert_well_formed(q)


def test_hard_text_questions_draw_on_the_same_show_only():
    other = show([cast("Kim Yates", "Lou Parr"), cast("Mel Nash", "Ray Kemp")], id="other", title="Other Show")
    home = show(FIVE_CAST)
    home_values = set(keys(a for f in FIVE_CAST for a in (f["actor"], f["character"])))
    for q in every_question([home, other], targets=("hard",)):
        if q.show == "harbour-street":
            assert set(keys(q.options)) <= home_values, q.options


def test_a_text_questions_difficulty_is_the_mean_closeness_of_its_distractors():
    # Closeness: a value of the same show 1.0, of another show 0.5, an invented person 0.1.
    def women(*pairs):
        return [cast(a, c, gender="female") for a, c in pairs]

    shows = [show(FIVE_CAST),
             show(women(("Kim Yates", "Lou Parr"), ("Mel Nash", "Ray Kemp")), id="two", title="Two"),
             show([cast("Rob Kerr", "Tim Dale", gender="male")], id="alone", title="Alone")]
    values = {s.show.id: set(keys(v for f in s.facts for v in (f.actor, f.character))) for s in shows}
    seen = set()
    for q in every_question(shows, targets=("mixed",)):
        mine, theirs = values[q.show], set().union(*(v for k, v in values.items() if k != q.show))
        closeness = sum(1.0 if k in mine else 0.5 if k in theirs else 0.1 for k in keys(q.wrong)) / 3
        assert q.difficulty == difficulty_of(closeness), (q.options, q.difficulty)
        seen.add(q.difficulty)
    assert seen == {"easy", "medium", "hard"}


def test_hard_dates_are_near_and_easy_dates_are_far():
    facts = [dated("premiere", "2020-12-14")]
    answer = datetime(2020, 12, 14)
    made = set()
    for q in every_question([show(facts)], targets=("easy", "hard")):
        days = sorted(abs((parse_date_option(o)[1] - answer).days) for o in q.wrong)
        if q.difficulty == "hard":
            assert days[-1] <= 31, q.options  # within a month
        else:
            assert days[-2] > 31, q.options   # at most one near miss
        made.add(q.difficulty)
    assert made == {"easy", "hard"}


def test_a_question_that_cannot_get_three_real_wrong_answers_is_left_out():
    # No made-up book titles: a sequel with no other titles to offer is not asked, rather than padded.
    from quizgen import GenerationReport

    facts = FIVE_CAST + [fact("work", relation="sequel", title="Night Ferry", of="The Tide Book")]
    report = GenerationReport()
    questions = list(generate_questions([show(facts)], report=report))
    assert "sequel" not in {q.template for q in questions}
    assert [(item.template, item.reason) for item in report.left_out] == \
        [("sequel", "fewer than three honest wrong options")]
    curated = [fact("work", relation="sequel", title="Night Ferry", of="The Tide Book",
                    wrong_answers={"title": ["Day Ferry", "Night Train", "Low Water"]})]
    assert [q.template for q in generate_questions([show(FIVE_CAST + curated)], kinds=["work"])] == ["sequel"]


def test_curated_wrong_answers_of_the_answers_gender_are_offered():
    wrong = ["I. Marlene King", "Julie Plec", "Shonda Rhimes"]
    facts = [fact("person", role="creator", name="Mara Lind", wrong_answers={"name": [*wrong, "Kevin Williamson"]})]
    questions = every_question([show(facts)], targets=("hard",))
    assert questions and all(sorted(q.wrong) == sorted(wrong) for q in questions)


def test_invented_people_come_last_and_share_the_answers_gender():
    # two women and two men: a woman's part has one real wrong option of her gender, then invented women
    facts = [cast("Ada Quill", "Nora Vale", gender="female"), cast("Bea Ortiz", "Sara Reyes", gender="female"),
             cast("Rob Kerr", "Tim Dale", gender="male"), cast("Ned Holt", "Jon Pike", gender="male")]
    import importlib

    from quizgen._reference import NAME_LOCALES, gender_of

    lists = [importlib.import_module(f"faker.providers.person.{loc}").Provider for loc in NAME_LOCALES]
    given = {"female": set().union(*(p.first_names_female for p in lists)),
             "male": set().union(*(p.first_names_male for p in lists))}
    real = set(keys(f[part] for f in facts for part in ("actor", "character")))
    for q in every_question([show(facts)], kinds=["cast"]):
        gender = "female" if q.correct in ("Ada Quill", "Bea Ortiz", "Nora Vale", "Sara Reyes") else "male"
        assert len(set(keys(q.wrong)) & real) == 1, q.options
        invented = [w.split()[0] for w in q.wrong if option_key(w) not in real]
        assert invented and set(invented) <= given[gender], q.options  # real given names ...
        assert all(gender_of(name) == gender for name in invented), q.options  # ... of the answer's gender


@pytest.mark.parametrize("answer, locale", [("Tomás Ferrer", "es_ES"), ("Siobhan Keating", "en_IE"),
                                            ("Michael MacLennan", "en_US")])
def test_invented_people_take_their_names_from_the_answers_own_name_lists(answer, locale):
    # "Tomás Ferrer" among "Mason Wolf" and "Ernest Greer" would be the odd one out
    import importlib

    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    facts = [fact("person", role="creator", name=answer, sources=[cite(f"The show was created by {answer}.")])]
    questions = every_question([show(facts)], kinds=["person"])
    firsts = set(provider.first_names_female) | set(provider.first_names_male)
    surnames = set(provider.last_names) | {re.sub(r"^Mc([a-z])", lambda m: "Mc" + m[1].upper(), n)
                                           for n in provider.last_names}
    assert questions
    for q in questions:
        for wrong in q.wrong:  # a given name and a surname of those lists ("Juan Luis" is one given name)
            words = wrong.split(" ")
            assert any(" ".join(words[:i]) in firsts and " ".join(words[i:]) in surnames
                       for i in range(1, len(words))), (answer, q.options)
