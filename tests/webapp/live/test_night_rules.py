"""The rules of a quiz night as plain functions (no app): scoring, time, standings, nicknames, statistics."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, strategies as st

from webapp.live import rules

windows = st.integers(min_value=1_000, max_value=600_000)


@given(elapsed=st.integers(min_value=-10_000, max_value=10**7), window=windows)
def test_speed_points_stay_between_half_and_all(elapsed, window):
    assert 500 <= rules.speed_points(elapsed, window) <= 1000


@given(window=windows, a=st.integers(0, 10**6), b=st.integers(0, 10**6))
def test_a_faster_right_answer_never_earns_less(window, a, b):
    fast, slow = sorted((a, b))
    assert rules.speed_points(fast, window) >= rules.speed_points(slow, window)


@pytest.mark.parametrize("elapsed, window, expected", [(0, 20_000, 1000), (10_000, 20_000, 750), (20_000, 20_000, 500),
                                                       (5_000, 20_000, 875), (30_000, 20_000, 500)])
def test_speed_points_follow_the_formula(elapsed, window, expected):
    assert rules.speed_points(elapsed, window) == expected


@given(share=st.floats(0, 1), seconds=st.sampled_from(rules.SECONDS_CHOICES), extra=st.integers(0, 60_000),
       factor=st.sampled_from([150, 200]))
def test_more_time_costs_nothing_answering_at_the_same_share_of_ones_own_window(share, seconds, extra, factor):
    normal = rules.scoring_window_ms(seconds, extra, 100)
    longer = rules.scoring_window_ms(seconds, extra, factor)
    assert longer == normal * factor // 100
    assert abs(rules.speed_points(round(share * longer), longer) - rules.speed_points(round(share * normal), normal)) <= 1


def test_no_limit_is_scored_against_ten_times_the_time_and_never_closes_by_itself():
    assert rules.window_ms(20, 0, 0) is None
    assert rules.scoring_window_ms(20, 0, 0) == 200_000
    assert not rules.time_is_up(10**9, 20, 0, [100, 0])
    assert rules.time_is_up(20_000 + rules.NETWORK_GRACE_MS + 1, 20, 0, [100, 100])
    assert not rules.time_is_up(30_000, 20, 0, [100, 200])


@pytest.mark.parametrize("before, bonus", [(0, 0), (1, 100), (2, 200), (4, 400), (5, 500), (6, 500), (40, 500)])
def test_the_streak_bonus_counts_from_the_second_right_answer_and_stops_at_500(before, bonus):
    assert rules.streak_bonus(before) == bonus


@given(correct=st.booleans(), elapsed=st.integers(0, 60_000), streak=st.integers(0, 50), doubled=st.booleans())
def test_answer_points_by_mode(correct, elapsed, streak, doubled):
    classic = rules.answer_points(scoring=rules.CLASSIC, correct=correct, elapsed_ms=elapsed, window=20_000,
                                  streak_before=streak, doubled=doubled)
    speed = rules.answer_points(scoring=rules.SPEED, correct=correct, elapsed_ms=elapsed, window=20_000,
                                streak_before=streak, doubled=doubled)
    factor = 2 if doubled else 1
    if not correct:
        assert classic == speed == 0
    else:
        assert classic == factor
        assert speed == factor * (rules.speed_points(elapsed, 20_000) + rules.streak_bonus(streak))


def test_a_streak_grows_on_right_answers_and_a_wrong_one_resets_it():
    streak = 0
    for correct in (True, True, True, False, True):
        streak = rules.streak_after(streak, correct)
    assert streak == 1


@given(opened=st.integers(0, 10**9), seen_gap=st.integers(0, 10**6), down=st.integers(0, 10**7))
def test_an_outage_moves_the_clock_on_by_exactly_the_time_nobody_looked_after_it(opened, seen_gap, down):
    last_seen = opened + seen_gap
    back = last_seen + down
    assert rules.shift_for_outage(opened, last_seen, back) == opened + down


@pytest.mark.parametrize("text, number", [("2020", 2020), ("10", 10), ("52%", 52), ("7.5", 7.5), ("1,200", 1200),
                                          ("-3", -3), (" 8 ", 8), ("December 14, 2020", None), ("ten", None),
                                          ("1,20", None), ("", None), ("9" * 50, None)])
def test_numbers_in_options_and_guesses(text, number):
    assert rules.parse_number(text) == number


@given(st.lists(st.integers(0, 5), min_size=1, max_size=30))
def test_competition_ranks(scores):
    keys = [f"p{i}" for i in range(len(scores))]
    ranks = rules.rank(list(zip(keys, scores)))
    for key, score in zip(keys, scores):
        assert ranks[key] == 1 + sum(1 for other in scores if other > score)


def test_the_tie_breaker_distance_splits_a_tie_and_nothing_else():
    ranks = rules.rank([("a", 10), ("b", 10), ("c", 5)], tiebreak={"b": 1.0, "a": 3.0, "c": 0.0})
    assert ranks == {"b": 1, "a": 2, "c": 3}


def test_movement_is_places_gained_since_the_last_board():
    rows = rules.standings({"a": 30, "b": 20, "c": 10}, {"a": 0, "b": 20, "c": 10}, {"a": "A", "b": "B", "c": "C"})
    assert [(r.name, r.rank, r.movement) for r in rows] == [("A", 1, 2), ("B", 2, -1), ("C", 3, -1)]


def test_a_teams_score_is_the_mean_of_its_members():
    assert rules.team_scores([("Sharks", 100), ("Sharks", 50), ("Jets", 80)]) == {"Sharks": 75.0, "Jets": 80.0}


@pytest.mark.parametrize("a, b", [("Ana", "ANA"), ("Zoë", "Zoe"), ("Olga", "0lga"), ("Sarah", "Ѕаrаh"), ("Bill", "BiII"), ("Ian", "lan"),
                                  ("Mike", "rnike"), ("Jo Ann", "jo-ann"), ("Ｂｏｂ", "Bob"), ("𝐁𝐨𝐛", "Bob"), ("Kaя", "Kaя")])
def test_names_one_cannot_tell_apart_on_a_screen_share_a_key(a, b):
    assert rules.name_key(a) == rules.name_key(b)


@pytest.mark.parametrize("a, b", [("Ana", "Anna"), ("Bob", "Rob"), ("Kim", "Kit"), ("Li", "Lu")])
def test_different_names_keep_different_keys(a, b):
    assert rules.name_key(a) != rules.name_key(b)


@given(st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=20))
def test_a_names_key_ignores_case(name):
    assert rules.name_key(name.lower()) == rules.name_key(name.upper().lower())


def test_the_room_distribution_counts_each_shown_option():
    assert rules.distribution([1, 1, 3, 0, 4, 9]) == [2, 0, 1, 1]


@given(st.lists(st.tuples(st.integers(1, 3), st.floats(0, 1)), min_size=3, max_size=40))
def test_spearman_is_pearson_on_mean_ranks(pairs):
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    got = rules.spearman(xs, ys)
    if len(set(xs)) == 1 or len(set(ys)) == 1:
        assert got is None
    else:
        expected = statistics.correlation(rules._mean_ranks(xs), rules._mean_ranks(ys))
        assert got == pytest.approx(expected)
        assert -1 - 1e-9 <= got <= 1 + 1e-9


def test_spearman_sees_harder_labels_with_fewer_right_answers_as_negative():
    assert rules.spearman([1, 1, 2, 2, 3, 3], [0.9, 0.8, 0.6, 0.5, 0.2, 0.1]) < -0.9
    assert rules.spearman([1, 2, 3], [0.1, 0.5, 0.9]) == pytest.approx(1.0)


def test_a_plan_survives_its_json():
    plan = rules.Plan(title="Friday", pack_ids=("a", "b"), rounds=(rules.RoundPlan("Cast", 5, category="Cast"),),
                      teams=("Sharks", "Jets"), joker=True, scoring=rules.CLASSIC)
    assert rules.Plan.from_json(plan.to_json()) == plan
    assert plan.question_count == 5
