"""The game rules as plain functions (webapp.rules): no app, no database."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from webapp import rules


def test_right_answer_untimed_is_a_flat_1000():
    assert rules.score_answer(correct=True, late=False, elapsed_ms=99_000, time_limit_s=10, timed=False) == 1000


def test_wrong_and_late_answers_score_nothing():
    assert rules.score_answer(correct=False, late=False, elapsed_ms=0, time_limit_s=10, timed=True) == 0
    assert rules.score_answer(correct=True, late=True, elapsed_ms=0, time_limit_s=10, timed=True) == 0


@pytest.mark.parametrize(("elapsed_ms", "points"), [(0, 1500), (2_500, 1375), (5_000, 1250), (10_000, 1000),
                                                    (11_000, 1000), (-50, 1500)])
def test_speed_bonus_shrinks_linearly(elapsed_ms, points):
    assert rules.score_answer(correct=True, late=False, elapsed_ms=elapsed_ms, time_limit_s=10, timed=True) == points


def test_lateness_has_a_small_grace_and_only_with_the_timer():
    shown = 1_000_000
    limit_end = shown + 20_000
    assert not rules.is_late(shown, limit_end + rules.LATE_GRACE_MS, 20, timed=True)
    assert rules.is_late(shown, limit_end + rules.LATE_GRACE_MS + 1, 20, timed=True)
    assert not rules.is_late(shown, limit_end + 10**9, 20, timed=False)


def test_remaining_time_never_negative():
    assert rules.remaining_ms(1000, 1000, 10) == 10_000
    assert rules.remaining_ms(1000, 50_000, 10) == 0


def test_option_order_is_a_permutation_and_right_choice_follows_it(make_pack):
    rng = random.Random(7)
    question = make_pack(n=1).questions[0]
    assert not question.ordered
    orders = {rules.option_order(question, rng) for _ in range(200)}
    assert all(sorted(o) == ["0", "1", "2", "3"] for o in orders)
    assert len(orders) == 24  # every order turns up


def test_dates_and_numbers_keep_the_packs_order():
    import quizgen

    pack = quizgen.load_pack(Path(__file__).resolve().parents[2] / "questions" / "packs" / "tiny-pretty-things.json")
    ordered = [q for q in pack.questions if q.ordered]
    assert {q.kind for q in ordered} >= {"date", "count", "score"}
    rng = random.Random(7)
    for question in ordered:
        order = rules.option_order(question, rng)
        assert rules.shown_options(question, order) == list(question.options)
        assert rules.right_choice(question, order) == question.answer + 1


def test_shown_options_and_right_choice(make_pack):
    question = make_pack(n=4).questions[2]  # right option "Right 2" at pack index 2
    order = "3120"
    assert rules.shown_options(question, order) == [question.options[i] for i in (3, 1, 2, 0)]
    assert rules.right_choice(question, order) == 3
    assert rules.shown_options(question, order)[rules.right_choice(question, order) - 1] == "Right 2"


def test_pick_questions_is_seeded_and_never_repeats(make_pack):
    questions = make_pack(n=30).questions
    first = rules.pick_questions(questions, 10, random.Random(1))
    assert first == rules.pick_questions(questions, 10, random.Random(1))
    assert len({q.id for q in first}) == 10
    assert len(rules.pick_questions(questions[:3], 10, random.Random(1))) == 3


def test_pick_questions_never_puts_both_directions_of_a_cast_fact_in_one_game(make_cast_pairs_pack):
    questions = make_cast_pairs_pack(pairs=10).questions
    seen_stems = set()
    for seed in range(300):
        game = rules.pick_questions(questions, 10, random.Random(seed))
        facts = [f for q in game for f in q.facts]
        assert len(facts) == len(set(facts)) == 10  # one question of every pair, never both
        seen_stems.update(q.stem for q in game)
    assert seen_stems == {q.stem for q in questions}  # either direction may be drawn


def test_pick_questions_returns_fewer_when_the_facts_run_out(make_cast_pairs_pack):
    questions = make_cast_pairs_pack(pairs=3).questions
    for seed in range(50):
        game = rules.pick_questions(questions, 5, random.Random(seed))
        assert len(game) == 3 and len({q.facts for q in game}) == 3


def test_a_question_giving_two_facts_away_blocks_both(make_pack):
    status, date, cast = (replace(q, facts=f) for q, f in zip(make_pack(n=3).questions, [
        ("show/status/status", "show/date/cancelled"), ("show/date/cancelled",), ("show/cast/bette",)]))
    for seed in range(50):
        game = rules.pick_questions([status, date, cast], 3, random.Random(seed))
        assert cast in game and (status in game) != (date in game)


def test_pick_questions_reads_facts_through_a_key(make_cast_pairs_pack):
    rows = [(q.id, q.facts) for q in make_cast_pairs_pack(pairs=4).questions]
    game = rules.pick_questions(rows, 8, random.Random(3), facts=lambda row: row[1])
    assert len(game) == 4 and len({facts for _, facts in game}) == 4


def test_questions_without_facts_are_drawn_as_before(make_pack):
    questions = make_pack(n=12).questions
    assert all(q.facts == () for q in questions)
    for seed in range(20):
        game = rules.pick_questions(questions, 12, random.Random(seed))
        assert sorted(q.id for q in game) == sorted(q.id for q in questions)


@pytest.mark.parametrize("choice", [0, 1, 4])
def test_valid_choices(choice):
    assert rules.valid_choice(choice)


@pytest.mark.parametrize("choice", [-1, 5, 100])
def test_invalid_choices(choice):
    assert not rules.valid_choice(choice)


def test_period_keys_use_utc_iso_weeks():
    # 2025-12-29 is a Monday in ISO week 1 of 2026.
    monday = 1_766_966_400_000
    assert rules.period_keys(monday) == {"all": "all", "week": "w2026-W01", "day": "d2025-12-29"}
    assert rules.period_keys(monday - 1)["week"] == "w2025-W52"
    assert rules.period_keys(monday - 1)["day"] == "d2025-12-28"


def test_reading_time_grows_with_the_question_and_has_a_floor():
    assert rules.reading_ms("Who?") == rules.READ_MS_MIN
    eight = "Who plays Bette Whitlaw in Tiny Pretty Things?"
    assert rules.reading_ms(eight) == round(8000 / rules.READ_WORDS_PER_S)
    assert rules.read_too_fast(eight, 2, rules.reading_ms(eight) - 1)
    assert not rules.read_too_fast(eight, 2, rules.reading_ms(eight))
    assert not rules.read_too_fast(eight, rules.NO_ANSWER, 0)  # a skip earns nothing: it may be instant
