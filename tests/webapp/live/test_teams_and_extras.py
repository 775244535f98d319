"""Teams, jokers, classic scoring and the tie-breaker, played over Socket.IO; and drawing a night's questions."""

from __future__ import annotations

import random

import pytest

from webapp import db
from webapp.live import rules, store


def _play(h, players_and_choices: dict, position: int, clock, seconds: float = 1):
    """Open the next question (the leaderboard first, after the first), answer as given, close it."""
    if position:
        assert h.emit("control", {"action": "next"}) == {"ok": True}
    assert h.emit("control", {"action": "next"}) == {"ok": True}
    clock.advance(seconds)
    for joined, choice in players_and_choices.items():
        assert joined.socket.emit("answer", {"position": position, "choice": choice})["ok"]
    assert h.emit("control", {"action": "close"}) == {"ok": True}


def test_a_teams_joker_doubles_its_round_and_a_team_scores_the_mean(night_of, host, projector, player, truth, clock):
    n = night_of(teams=("Sharks", "Jets"), joker=True, tiebreak=False)
    h, screen = host(n), projector(n)
    ana, bob = player(n, "Ana", team="Sharks"), player(n, "Bob", team="Sharks")
    cy = player(n, "Cy", team="Jets")
    assert ana.socket.emit("joker", {"round": 1}) == {"ok": True, "round": 1}
    assert bob.socket.emit("joker", {"round": 0}) == {"ok": False, "error": "Your team already doubles round 2."}
    assert bob.socket.events("me")[-1] == {"joker_round": 1}  # teammates are told
    for position in range(4):
        right = truth.right(n, position)
        _play(h, {ana: right, bob: right % 4 + 1, cy: right}, position, clock)
    h.emit("control", {"action": "next"})
    per_round = {}
    for answer in truth.answers(n):
        per_round.setdefault((answer.player_id, truth.question_round(n, answer.position)), []).append(answer.points)
    plain = rules.speed_points(1000, 20_000)
    # Ana and Cy answer every question right in 1 s; Ana's round 2 counts double (streak bonus too)
    assert per_round[(cy.id, 1)] == [plain + 200, plain + 300]
    assert per_round[(ana.id, 1)] == [2 * (plain + 200), 2 * (plain + 300)]
    sharks = (truth.player(ana.id).score + truth.player(bob.id).score) / 2
    assert truth.player(bob.id).score == 0
    board = screen.events("standings")[-1]["teams"]
    assert {row["name"]: row["score"] for row in board} == {"Sharks": round(sharks, 1),
                                                           "Jets": float(truth.player(cy.id).score)}


def test_a_joker_is_played_before_its_round_starts(night_of, host, player, truth, clock):
    n = night_of(joker=True)
    h = host(n)
    ana = player(n, "Ana")
    _play(h, {ana: truth.right(n, 0)}, 0, clock)
    assert ana.socket.emit("joker", {"round": 0})["error"].startswith("That round has started")
    assert ana.socket.emit("joker", {"round": 7}) == {"ok": False, "error": "Choose one of the rounds."}
    assert ana.socket.emit("joker", {"round": 1})["ok"]


def test_a_night_without_jokers_refuses_one(night_of, player):
    n = night_of()
    assert player(n, "Ana").socket.emit("joker", {"round": 1}) == {"ok": False, "error": "This quiz night has no jokers."}


def test_classic_scoring_is_a_point_a_right_answer_whenever_it_comes(night_of, host, player, truth, clock):
    n = night_of(scoring=rules.CLASSIC)
    h = host(n)
    ana, bob = player(n, "Ana"), player(n, "Bob")
    _play(h, {ana: truth.right(n, 0), bob: truth.right(n, 0)}, 0, clock, seconds=19)
    _play(h, {ana: truth.right(n, 1), bob: truth.right(n, 1) % 4 + 1}, 1, clock, seconds=1)
    assert (truth.player(ana.id).score, truth.player(bob.id).score) == (2, 1)


def test_a_tie_at_the_top_is_broken_by_the_closest_number(night_of, host, projector, player, truth, clock):
    n = night_of(rounds=(rules.RoundPlan("Cast", 1, category="Cast"),), tiebreak=True)
    h, screen = host(n), projector(n)
    ana, bob, cy = player(n, "Ana"), player(n, "Bob"), player(n, "Cy")
    _play(h, {ana: truth.right(n, 0), bob: truth.right(n, 0), cy: truth.right(n, 0) % 4 + 1}, 0, clock)
    h.emit("control", {"action": "next"})  # the leaderboard
    assert h.emit("control", {"action": "next"}) == {"ok": True}  # the podium
    assert screen.events("podium")[-1]["tiebreak_ready"] is True
    assert h.emit("control", {"action": "tiebreak"}) == {"ok": True}
    question = truth.question(n, 1)
    answer = rules.parse_number(question.correct)
    tiebreak = ana.socket.events("question")[-1]
    assert tiebreak["tiebreak"] is True and tiebreak["options"] == [] and "right" not in tiebreak
    assert ana.socket.emit("answer", {"position": 1, "guess": str(answer + 5)})["ok"]
    assert bob.socket.emit("answer", {"position": 1, "guess": answer - 1})["ok"]
    assert cy.socket.emit("answer", {"position": 1, "guess": "a lot"}) == {"ok": False, "error": "Type a number."}
    assert h.emit("control", {"action": "close"}) == {"ok": True}
    podium = screen.events("podium")[-1]
    assert [(r["name"], r["rank"]) for r in podium["players"]] == [("Bob", 1), ("Ana", 2), ("Cy", 3)]
    assert podium["tiebreak_ready"] is False
    assert truth.player(ana.id).score == truth.player(bob.id).score  # the tie-breaker orders, it does not score


def test_no_tie_breaker_is_offered_without_a_tie(night_of, host, projector, player, truth, clock):
    n = night_of(rounds=(rules.RoundPlan("Cast", 1, category="Cast"),), tiebreak=True)
    h, screen = host(n), projector(n)
    ana, bob = player(n, "Ana"), player(n, "Bob")
    _play(h, {ana: truth.right(n, 0), bob: truth.right(n, 0) % 4 + 1}, 0, clock)
    h.emit("control", {"action": "next"})
    h.emit("control", {"action": "next"})
    assert screen.events("podium")[-1]["tiebreak_ready"] is False


def test_the_leaderboard_between_rounds_only(night_of, host, projector, player, truth, clock):
    n = night_of(board_after=rules.BOARD_AFTER_ROUND, tiebreak=False)
    h, screen = host(n), projector(n)
    ana = player(n, "Ana")
    steps = []
    for position in range(4):
        assert h.emit("control", {"action": "next"}) == {"ok": True}
        ana.socket.emit("answer", {"position": position, "choice": truth.right(n, position)})
        h.emit("control", {"action": "close"})
        steps.append(h.events("next")[-1]["next"])
        if steps[-1] == "standings":
            h.emit("control", {"action": "next"})
    assert steps == ["question", "standings", "question", "standings"]
    assert len(screen.events("standings")) == 2


def test_phones_can_be_shown_the_options_only(night_of, host, projector, player):
    n = night_of(stem_on_phones=False)
    h, screen = host(n), projector(n)
    ana = player(n, "Ana")
    h.emit("control", {"action": "next"})
    assert "stem" not in ana.socket.events("question")[-1]
    assert screen.events("question_screen")[-1]["stem"]


# --- drawing ---------------------------------------------------------------------------------------------

def test_a_night_never_asks_two_questions_resting_on_the_same_fact(make_cast_pairs_pack):
    pack = make_cast_pairs_pack(pairs=10)
    plan = rules.Plan(title="t", pack_ids=(pack.id,), rounds=(rules.RoundPlan("A", 5), rules.RoundPlan("B", 5)))
    for seed in range(30):
        drawn = store.draw_questions(plan, list(pack.questions), random.Random(seed))
        facts = [f for _, q in drawn for f in q.facts]
        assert len(drawn) == 10 and len(facts) == len(set(facts))


def test_a_round_that_cannot_be_filled_says_so_before_the_night_exists(app, save, clock):
    from tests.webapp.live.conftest import night_pack

    save(night_pack(per_category=2))
    plan = rules.Plan(title="t", pack_ids=("tiny-pretty-things",), rounds=(rules.RoundPlan("Cast", 5, category="Cast"),))
    with app.app_context():
        with pytest.raises(store.NightError, match="Round 1 \\(Cast\\) asks for 5 questions, but only 2"):
            store.create_night(db.get_session(), plan, now=clock())
        assert store.list_nights(db.get_session()) == []


def test_rounds_draw_from_their_category_and_the_tiebreak_has_a_number(night_of, truth):
    n = night_of(tiebreak=True)
    assert [truth.question(n, p).category for p in range(4)] == ["Cast", "Cast", "Production", "Production"]
    assert rules.parse_number(truth.question(n, 4).correct) is not None


def test_a_night_runs_again_with_the_same_questions_and_a_new_code(night_of, app, clock, truth):
    n = night_of()
    with app.app_context():
        session = db.get_session()
        again, key = store.run_again(session, store.night_by_id(session, n.id), now=clock())
        first = [q.question_id for q in store.night_questions(session, n.id)]
        second = [q.question_id for q in store.night_questions(session, again.id)]
    assert second == first and again.code != n.code and again.run_of == n.id and key != n.key


def test_a_round_can_be_one_shows(app, save, clock):
    from dataclasses import replace

    from tests.webapp.live.conftest import night_pack

    other = night_pack("other-show")
    save(night_pack(), replace(other, questions=tuple(replace(q, show="Other Show", id=f"{int(q.id, 16) + 10**6:016x}",
                                                               facts=tuple(f"other-{f}" for f in q.facts))
                                                       for q in other.questions)))
    plan = rules.Plan(title="t", pack_ids=("tiny-pretty-things", "other-show"),
                      rounds=(rules.RoundPlan("Theirs", 6, show="Other Show"), rules.RoundPlan("Ours", 6,
                                                                                         show="Tiny Pretty Things")))
    with app.app_context():
        session = db.get_session()
        night, _ = store.create_night(session, plan, now=clock(), seed=3)
        shows = [(q.round, store.question_from_json(q.question_data).show) for q in store.night_questions(session, night.id)
                 if not q.tiebreak]
    assert shows == [(0, "Other Show")] * 6 + [(1, "Tiny Pretty Things")] * 6
