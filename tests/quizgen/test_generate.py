"""The generator's main loop: seeded, streaming, filtered by kind and difficulty, and honest about what it left out."""

from __future__ import annotations

from collections import Counter

import pytest
from facts_builders import FIVE_CAST, TPT_FACTS, assert_well_formed, cast, dated, fact, show

from quizgen import GenerationError, GenerationReport, generate_questions, load_facts


@pytest.fixture(scope="module")
def tpt():
    return load_facts(TPT_FACTS).facts


def test_every_question_of_the_real_show_is_well_formed(tpt):
    questions = list(generate_questions([tpt], seed=0))
    assert len(questions) > 30
    for q in questions:
        assert_well_formed(q)


def test_the_same_seed_gives_the_same_questions_and_another_seed_does_not(tpt):
    first = list(generate_questions([tpt], seed=7))
    assert list(generate_questions([tpt], seed=7)) == first
    assert list(generate_questions([tpt], seed=8)) != first


def test_questions_come_in_file_order_without_a_count(tpt):
    # in file order, but for the few made again after the rest of their show (to keep the
    # longest-answer share near chance): those come last, in file order too
    kinds = [q.kind for q in generate_questions([tpt], seed=3)]
    order = list(dict.fromkeys(f.kind for f in tpt.facts))
    positions = [order.index(kind) for kind in kinds]
    descents = [n for n in range(1, len(positions)) if positions[n] < positions[n - 1]]
    assert len(descents) <= 1
    if descents:
        first, again = positions[:descents[0]], positions[descents[0]:]
        assert first == sorted(first) and again == sorted(again) and len(again) <= len(positions) // 4


def test_name_answers_are_not_always_in_the_same_place(tpt):
    places = Counter(q.answer for q in generate_questions([tpt], seed=0, kinds=["cast"]))
    assert set(places) == {0, 1, 2, 3}


def test_questions_stream_one_at_a_time(tpt):
    stream = generate_questions([tpt], seed=0)
    assert iter(stream) is stream
    first = next(stream)
    assert first.kind == "cast"


@pytest.mark.parametrize("count", [1, 5, 12])
def test_count_picks_a_seeded_sample(tpt, count):
    sample = list(generate_questions([tpt], seed=1, count=count))
    assert len(sample) == count
    assert len({q.id for q in sample}) == count
    assert list(generate_questions([tpt], seed=1, count=count)) == sample
    every_id = {q.id for q in generate_questions([tpt], seed=1)}
    assert {q.id for q in sample} <= every_id


def test_a_count_above_what_the_facts_allow_gives_them_all(tpt):
    all_of_them = len(list(generate_questions([tpt], seed=0)))
    assert len(list(generate_questions([tpt], seed=0, count=10_000))) == all_of_them


def test_a_sample_is_not_just_the_first_questions(tpt):
    sample = list(generate_questions([tpt], seed=1, count=10))
    assert {q.kind for q in sample} != {"cast"}


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_a_difficulty_yields_only_that_difficulty(tpt, difficulty):
    report = GenerationReport()
    questions = list(generate_questions([tpt], seed=0, difficulty=difficulty, report=report))
    assert questions
    assert {q.difficulty for q in questions} == {difficulty}
    assert sum(report.made.values()) == len(questions)
    assert all(d == difficulty for _, d in report.made)


def test_what_could_not_be_made_at_a_difficulty_is_reported(tpt):
    report = GenerationReport()
    made = list(generate_questions([tpt], seed=0, difficulty="easy", report=report))
    mixed = list(generate_questions([tpt], seed=0))
    assert len(made) < len(mixed)
    assert any(reason.endswith("not easy") for reason in report.reasons())


def test_mixed_gives_every_difficulty(tpt):
    assert {q.difficulty for q in generate_questions([tpt], seed=0)} == {"easy", "medium", "hard"}


def test_kinds_keep_only_those_kinds(tpt):
    questions = list(generate_questions([tpt], seed=0, kinds=["date", "score"]))
    assert {q.kind for q in questions} == {"date", "score"}


def test_the_report_counts_by_kind_and_difficulty(tpt):
    report = GenerationReport()
    questions = list(generate_questions([tpt], seed=0, report=report))
    assert report.made == Counter((q.kind, q.difficulty) for q in questions)


@pytest.mark.parametrize("stop", ["count", "close"])
def test_the_report_counts_what_a_run_made_however_it_ends(tpt, stop):
    # tallied as the run goes: right at its count, or when its reader stops
    report = GenerationReport()
    if stop == "count":
        questions = list(generate_questions([tpt], seed=0, count=5, report=report))
    else:
        run = generate_questions([tpt], seed=0, report=report)
        questions = [next(run) for _ in range(5)]
        run.close()
    assert report.made == Counter((q.kind, q.difficulty) for q in questions) and len(questions) == 5


@pytest.mark.parametrize("options, message", [
    ({"difficulty": "insane"}, "unknown difficulty 'insane'"),
    ({"kinds": ["cast", "gossip"]}, "unknown fact kind gossip"),
    ({"count": 0}, "count must be at least 1"),
])
def test_bad_options_fail_at_once_before_anything_is_generated(tpt, options, message):
    with pytest.raises(GenerationError, match=message):
        generate_questions([tpt], **options)  # not iterated: the call itself refuses


def test_several_shows_feed_one_run():
    other = show([dated("premiere", "2018-01-05"), fact("count", what="seasons", value=2)], id="other",
                 title="Other Show")
    questions = list(generate_questions([show(FIVE_CAST), other], seed=0))
    assert [q.show for q in questions] == ["harbour-street"] * 10 + ["other"] * 2


def test_shows_may_be_any_collection():
    as_list = list(generate_questions([show(FIVE_CAST)], seed=0))
    assert list(generate_questions((show(FIVE_CAST),), seed=0)) == as_list


def test_a_question_carries_its_facts_context():
    facts = [fact("score", source="IMDb", metric="audience", value=7.4, scale=10, as_of="2021-05-01")]
    [q] = generate_questions([show(facts)], seed=0)
    assert (q.kind, q.template, q.category, q.as_of) == ("score", "value", "Reviews", "2021-05-01")
    assert q.tags == ("harbour-street", "score", "value")
    assert q.correct == "7.4/10"


# ------------------------------------------------------------------ one pass, a window of other shows

def _numbered_shows(n: int):
    """n shows of two cast pairs whose names say which show they belong to (each needs others' values)."""
    return [show([cast(f"Actor {i} {j}", f"Role {i} {j}", gender="female") for j in "ab"], id=f"show-{i}",
                 title=f"Show {i}") for i in range(n)]


def test_shows_can_come_from_a_generator_read_once():
    shows = _numbered_shows(5)
    from_list = [q.options for q in generate_questions(shows, seed=4)]
    read = []

    def once():
        for s in shows:
            read.append(s.show.id)
            yield s

    assert [q.options for q in generate_questions(once(), seed=4)] == from_list
    assert read == [s.show.id for s in shows]


def test_other_shows_distractors_come_from_the_window_around_each_show():
    from quizgen._generate import WINDOW

    shows = _numbered_shows(2 * WINDOW + 40)
    seen_from = set()
    for q in generate_questions(shows, seed=1):
        me = int(q.show.split("-")[1])
        for option in q.wrong:
            if option.startswith(("Actor ", "Role ")):
                other = int(option.split()[1])
                assert abs(other - me) <= WINDOW, (q.show, option)
                seen_from.add(other - me)
    assert max(seen_from) > WINDOW // 2 and min(seen_from) < -WINDOW // 2  # both sides of the window are used
