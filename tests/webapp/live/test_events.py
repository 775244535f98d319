"""A quiz night over Socket.IO (Flask-SocketIO's test client, no server): every rule the server referees."""

from __future__ import annotations

import json

import pytest

from webapp.live import rules


def _open_first(host_client):
    assert host_client.emit("control", {"action": "next"}) == {"ok": True}


def _phone_payloads(*clients) -> list[tuple[str, object]]:
    return [m for c in clients for m in c.received()]


# --- joining -------------------------------------------------------------------------------------------

def test_a_player_joins_with_a_nickname_and_the_screens_see_the_roster(night_of, host, player, tick):
    n = night_of()
    screen = host(n)
    screen.received()
    ana = player(n, "Ana")
    assert ana.token and ana.id
    tick()
    rosters = screen.events("roster")
    assert [p["nickname"] for p in rosters[-1]["players"]] == ["Ana"]


@pytest.mark.parametrize("taken, attempt", [("Ana", "ana"), ("Ana", "ANA "), ("Zoë", "Zoe"), ("Olga", "0lga"),
                                            ("Sarah", "Ѕаrаh"), ("Bill", "BiII".replace("I", "l"))])
def test_a_nickname_is_unique_ignoring_case_and_look_alikes(night_of, player, app, taken, attempt):
    from tests.webapp.live.conftest import SocketClient

    n = night_of()
    player(n, taken)
    other = SocketClient(app, {"night": n.code})
    reply = other.emit("join", {"nickname": attempt})
    assert reply["ok"] is False and "already called" in reply["error"]


@pytest.mark.parametrize("nickname", ["", "   ", "x" * 21, "bad\u200bname", "<script>", 42, None, ["Ana"]])
def test_a_bad_nickname_is_refused_with_a_reason(night_of, app, nickname):
    from tests.webapp.live.conftest import SocketClient

    n = night_of()
    visitor = SocketClient(app, {"night": n.code})
    reply = visitor.emit("join", {"nickname": nickname})
    assert reply["ok"] is False and reply["error"]
    assert visitor.connected


def test_a_team_night_needs_one_of_its_teams(night_of, app, player):
    from tests.webapp.live.conftest import SocketClient

    n = night_of(teams=("Sharks", "Jets"))
    visitor = SocketClient(app, {"night": n.code})
    assert visitor.emit("join", {"nickname": "Ana", "team": "Eagles"}) == {"ok": False, "error": "Choose one of the teams."}
    assert player(n, "Bob", team="Jets").id


def test_a_locked_room_takes_nobody_new_until_unlocked(night_of, host, player, app):
    from tests.webapp.live.conftest import SocketClient

    n = night_of()
    h = host(n)
    assert h.emit("control", {"action": "lock"}) == {"ok": True}
    visitor = SocketClient(app, {"night": n.code})
    assert "closed this quiz night" in visitor.emit("join", {"nickname": "Late"})["error"]
    assert h.emit("control", {"action": "unlock"}) == {"ok": True}
    assert visitor.emit("join", {"nickname": "Late"})["ok"]


def test_late_comers_join_between_questions(night_of, host, player, truth, tick):
    n = night_of()
    h = host(n)
    player(n, "Ana")
    _open_first(h)
    late = player(n, "Late")  # joins while question 1 is open
    late.socket.received()
    assert h.emit("control", {"action": "close"}) == {"ok": True}
    h.emit("control", {"action": "next"})  # leaderboard
    h.emit("control", {"action": "next"})  # question 2
    assert [p["position"] for name, p in late.socket.received() if name == "question"] == [1]


def test_connecting_with_an_unknown_code_or_a_wrong_key_is_refused(night_of, app):
    from tests.webapp.live.conftest import SocketClient

    n = night_of()
    assert not SocketClient(app, {"night": "NOSUCH"}).connected
    assert not SocketClient(app, {"night": n.id, "host": "not the key"}).connected
    assert not SocketClient(app, {"night": n.id, "host": None}).connected
    assert not SocketClient(app, {"night": n.code, "player": "not a token"}).connected
    assert not SocketClient(app, None).connected
    assert not SocketClient(app, {"night": ["x"]}).connected


# --- the host's secret and the player's token -------------------------------------------------------------

def test_only_the_host_controls_the_night(night_of, player, truth):
    n = night_of()
    ana = player(n, "Ana")
    assert ana.socket.emit("control", {"action": "next"}) == {"ok": False, "error": "Not allowed from this screen."}
    assert truth.night(n).phase == "lobby"


def test_the_projector_cannot_drive_the_night(night_of, projector, truth):
    n = night_of()
    screen = projector(n)
    assert screen.emit("control", {"action": "next"})["ok"] is False
    assert truth.night(n).phase == "lobby"


def test_a_player_token_of_another_night_is_refused(night_of, player, app):
    from tests.webapp.live.conftest import SocketClient

    first, second = night_of(), night_of()
    ana = player(first, "Ana")
    assert not SocketClient(app, {"night": second.code, "player": ana.token}).connected


def test_a_players_events_never_reach_another_night(night_of, host, player, truth):
    first, second = night_of(), night_of()
    h1, h2 = host(first), host(second)
    ana, bob = player(first, "Ana"), player(second, "Bob")
    _open_first(h1)
    _open_first(h2)
    h2.received()
    bob.socket.received()
    # Ana's answer names a position; it can only land in her own night
    assert ana.socket.emit("answer", {"position": 0, "choice": truth.right(first, 0)})["ok"]
    assert [a.player_id for a in truth.answers(second)] == []
    assert h2.events("count") == [] and bob.socket.received() == []
    # and the host of one night cannot move another, whatever it sends
    h1.emit("control", {"action": "close", "night": second.id})
    assert truth.night(second).phase == "question" and truth.night(first).phase == "reveal"


# --- answers ------------------------------------------------------------------------------------------

def test_an_answer_is_stored_before_it_is_acknowledged(night_of, host, player, truth):
    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)
    reply = ana.socket.emit("answer", {"position": 0, "choice": 2})
    assert reply == {"ok": True, "position": 0, "choice": 2, "guess": None, "repeat": False}
    assert [(a.player_id, a.choice) for a in truth.answers(n)] == [(ana.id, 2)]


def test_a_second_answer_gets_the_first_ones_receipt_and_never_scores_twice(night_of, host, player, truth, clock):
    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)
    right = truth.right(n, 0)
    wrong = right % 4 + 1
    first = ana.socket.emit("answer", {"position": 0, "choice": wrong})
    again = ana.socket.emit("answer", {"position": 0, "choice": right})
    assert first["repeat"] is False and again == {**first, "repeat": True}
    h.emit("control", {"action": "close"})
    assert truth.player(ana.id).score == 0  # the first (wrong) answer stands
    assert len(truth.answers(n)) == 1


def test_a_late_answer_is_refused_and_the_question_closes_on_the_servers_clock(night_of, host, player, truth, clock,
                                                                               tick):
    n = night_of(seconds=20)
    h = host(n)
    ana, bob = player(n, "Ana"), player(n, "Bob")
    _open_first(h)
    clock.advance(20 + rules.NETWORK_GRACE_MS / 1000 + 0.001)
    assert ana.socket.emit("answer", {"position": 0, "choice": 1}) == {
        "ok": False, "error": "Too late: time was up for this question."}
    tick()
    assert truth.night(n).phase == "reveal"
    assert truth.answers(n) == []
    assert bob.socket.emit("answer", {"position": 0, "choice": 1})["ok"] is False


def test_an_answer_within_the_network_grace_still_counts(night_of, host, player, truth, clock):
    n = night_of(seconds=20)
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)
    clock.advance(20 + rules.NETWORK_GRACE_MS / 1000)
    assert ana.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})["ok"]


def test_an_answer_to_a_question_not_open_is_refused(night_of, host, player, truth):
    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    assert ana.socket.emit("answer", {"position": 0, "choice": 1})["ok"] is False  # still in the lobby
    _open_first(h)
    assert ana.socket.emit("answer", {"position": 1, "choice": 1})["ok"] is False  # the next one, not open yet
    assert truth.answers(n) == []


def test_the_question_closes_once_every_player_answered(night_of, host, player, truth, tick):
    n = night_of()
    h = host(n)
    ana, bob = player(n, "Ana"), player(n, "Bob")
    _open_first(h)
    ana.socket.emit("answer", {"position": 0, "choice": 1})
    tick()
    assert truth.night(n).phase == "question"
    bob.socket.emit("answer", {"position": 0, "choice": 2})
    tick()
    assert truth.night(n).phase == "reveal"


# Everything a phone or the projector may be told while a question is open, key by key: none is the answer.
PHONE_EVENTS_WHILE_OPEN = {
    "question": {"position", "number", "total", "round", "round_title", "tiebreak", "options", "seconds", "extra_ms",
                 "elapsed_ms", "paused", "stem"},
    "question_screen": {"position", "number", "total", "round", "round_title", "tiebreak", "options", "seconds",
                        "extra_ms", "elapsed_ms", "paused", "stem"},
    "count": {"position", "answered", "players"},
    "standings": {"players", "teams"},
    "roster": {"players"},
}


def test_the_right_answer_reaches_no_phone_before_the_question_closes(night_of, host, projector, player, truth,
                                                                      clock, tick, app):
    from tests.webapp.live.conftest import SocketClient

    n = night_of(rounds=(rules.RoundPlan("All", 4),))
    h, screen = host(n), projector(n)
    phones = [player(n, name) for name in ("Ana", "Bob", "Cy")]
    screen.received()
    for position in range(4):
        if position:
            h.emit("control", {"action": "next"})  # the leaderboard
        h.emit("control", {"action": "next"})  # the question
        question = truth.question(n, position)
        seen = _phone_payloads(*(p.socket for p in phones)) + screen.received()
        for p in phones:
            reply = p.socket.emit("answer", {"position": position, "choice": 1})
            assert set(reply) == {"ok", "position", "choice", "guess", "repeat"}
        seen += _phone_payloads(*(p.socket for p in phones)) + screen.received()
        assert [name for name, _ in seen].count("question") == len(phones)
        for name, payload in seen:
            assert name in PHONE_EVENTS_WHILE_OPEN, name
            assert set(payload) <= PHONE_EVENTS_WHILE_OPEN[name], (name, payload)
            assert question.explanation not in json.dumps(payload)
        back = SocketClient(app, {"night": n.code, "player": phones[0].token})  # a reload mid-question
        state = back.events("state")[0]
        assert set(state) <= {"role", "night", "players", "me", "question", "mine"}
        assert set(state["question"]) <= PHONE_EVENTS_WHILE_OPEN["question"]
        back.disconnect()
        clock.advance(1)
        tick()
        after = _phone_payloads(*(p.socket for p in phones))
        reveals = [payload for name, payload in after if name == "reveal"]
        assert len(reveals) == len(phones) and reveals[0]["text"] == question.correct
        assert [name for name, _ in after].count("result") == len(phones)
        assert "reveal" in [name for name, _ in screen.received()]


def test_only_the_host_controls_get_the_answer_while_the_question_runs(night_of, host, projector, truth):
    n = night_of()
    h, screen = host(n), projector(n)
    h.received()
    screen.received()
    _open_first(h)
    host_answers = [p for name, p in h.received() if name == "answer"]
    assert [a["right"] for a in host_answers] == [truth.right(n, 0)]
    assert [name for name, _ in screen.received() if name == "answer"] == []


@pytest.mark.parametrize("payload", [None, "x", 3, [], {"position": "0", "choice": 1}, {"position": 0, "choice": "1"},
                                     {"position": 0, "choice": 5}, {"position": 0, "choice": 0},
                                     {"position": 0, "choice": True}, {"position": -1, "choice": 1},
                                     {"position": 2**70, "choice": 1}, {"position": 0, "choice": 1.0},
                                     {"position": 0, "choice": 1, "padding": "x" * 50_000}])
def test_a_malformed_answer_gets_an_error_and_the_connection_stays(night_of, host, player, truth, payload):
    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)
    ana.socket.received()
    reply = ana.socket.emit("answer", payload)
    if isinstance(payload, dict) and payload.get("padding"):
        assert reply["ok"] is True  # big but well formed: taken (the transport cuts off far larger ones)
    else:
        assert reply["ok"] is False and reply["error"]
        assert truth.answers(n) == []
        malformed = not isinstance(payload, dict) or type(payload["position"]) is not int \
            or type(payload["choice"]) is not int
        assert ana.socket.events("error") == ([{"error": reply["error"]}] if malformed else [])
    assert ana.socket.connected
    assert ana.socket.emit("answer", {"position": 0, "choice": 1})["ok"]


@pytest.mark.parametrize("event, payload", [("control", None), ("control", {"action": 7}), ("control", {"action": "x" * 500}),
                                            ("control", {"action": "add_time", "seconds": "10"}),
                                            ("control", {"action": "add_time", "seconds": 10**9}),
                                            ("control", {"action": "rename", "player": "1", "nickname": "x"}),
                                            ("control", {"action": "time", "player": 1, "factor": 3}),
                                            ("join", "Ana"), ("joker", [1])])
def test_malformed_events_of_any_kind_get_an_error_and_no_crash(night_of, host, event, payload, app):
    n = night_of()
    h = host(n)
    reply = h.emit(event, payload)
    assert reply["ok"] is False and reply["error"]
    assert h.connected
    assert h.emit("control", {"action": "lock"}) == {"ok": True}


def test_an_unknown_event_gets_an_error_event(night_of, host):
    n = night_of()
    h = host(n)
    h.received()
    reply = h.emit("hack_the_scores", {"all": 1})
    assert reply["ok"] is False
    assert h.events("error") and h.connected


def test_a_handler_failing_inside_answers_with_an_error_event_not_a_dropped_connection(night_of, player, host,
                                                                                      monkeypatch):
    from webapp.live import store

    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")
    monkeypatch.setattr(store, "record_answers", broken)
    reply = ana.socket.emit("answer", {"position": 0, "choice": 1})
    assert reply == {"ok": False, "error": "That could not be done; try again."}
    assert ana.socket.events("error") and ana.socket.connected


# --- reconnecting -------------------------------------------------------------------------------------------

def test_a_player_who_reconnects_is_the_same_player_with_points_streak_and_answer(night_of, host, player, truth,
                                                                                   app, clock, tick):
    from tests.webapp.live.conftest import SocketClient

    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    player(n, "Bob")
    _open_first(h)
    clock.advance(1)
    ana.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})
    h.emit("control", {"action": "close"})
    h.emit("control", {"action": "next"})
    h.emit("control", {"action": "next"})  # question 2 is open
    ana.socket.emit("answer", {"position": 1, "choice": truth.right(n, 1)})
    ana.socket.disconnect()

    back = SocketClient(app, {"night": n.code, "player": ana.token})  # a reload: the token from localStorage
    state = back.events("state")[0]
    assert state["me"]["id"] == ana.id and state["me"]["nickname"] == "Ana"
    assert state["me"]["score"] == truth.player(ana.id).score > 0
    assert state["me"]["streak"] == 1
    assert state["question"]["position"] == 1 and state["mine"] == {"choice": truth.right(n, 1), "guess": None}
    assert back.emit("answer", {"position": 1, "choice": 1})["repeat"] is True


def test_a_removed_player_is_told_and_cannot_come_back(night_of, host, player, app):
    from tests.webapp.live.conftest import SocketClient

    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    assert h.emit("control", {"action": "remove", "player": ana.id}) == {"ok": True}
    assert ana.socket.events("removed")
    assert not SocketClient(app, {"night": n.code, "player": ana.token}).connected


def test_the_host_renames_a_player_and_the_name_stays_unique(night_of, host, player, truth):
    n = night_of()
    h = host(n)
    ana, bob = player(n, "Ana"), player(n, "Bob")
    assert h.emit("control", {"action": "rename", "player": ana.id, "nickname": "Anna"}) == {"ok": True}
    assert truth.player(ana.id).nickname == "Anna"
    assert ana.socket.events("me") == [{"nickname": "Anna"}]
    assert "already called" in h.emit("control", {"action": "rename", "player": bob.id, "nickname": "ANNA"})["error"]


# --- the clock ----------------------------------------------------------------------------------------------

def test_a_pause_is_not_charged_to_the_players(night_of, host, player, truth, clock, tick):
    n = night_of(seconds=20)
    h = host(n)
    ana = player(n, "Ana")
    player(n, "Bob")  # who does not answer: the question stays open until its time is up
    _open_first(h)
    clock.advance(5)
    assert h.emit("control", {"action": "pause"}) == {"ok": True}
    assert ana.socket.emit("answer", {"position": 0, "choice": 1})["error"].startswith("The night is paused")
    clock.advance(60)  # a long pause: far past the question's time
    tick()
    assert truth.night(n).phase == "question"
    assert h.emit("control", {"action": "resume"}) == {"ok": True}
    clock.advance(5)
    ana.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})
    h.emit("control", {"action": "close"})
    assert truth.answers(n)[0].elapsed_ms == 10_000  # 5 s before the pause, 5 s after
    assert truth.player(ana.id).score == rules.speed_points(10_000, 20_000)


def test_time_added_by_the_host_lets_a_slower_answer_in(night_of, host, player, truth, clock):
    n = night_of(seconds=20)
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)
    assert h.emit("control", {"action": "add_time", "seconds": 10}) == {"ok": True}
    clock.advance(25)
    assert ana.socket.emit("answer", {"position": 0, "choice": 1})["ok"]


def test_a_player_with_more_time_answers_later_and_loses_nothing_by_it(night_of, host, player, truth, clock, tick):
    n = night_of(seconds=20)
    h = host(n)
    quick, slow = player(n, "Quick"), player(n, "Slow")
    assert h.emit("control", {"action": "time", "player": slow.id, "factor": 200}) == {"ok": True}
    _open_first(h)
    clock.advance(10)  # half of Quick's 20 s
    quick.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})
    clock.advance(10)  # half of Slow's 40 s
    slow.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})
    tick()
    assert truth.player(quick.id).score == truth.player(slow.id).score == 750  # the same share of one's own time


def test_the_room_waits_for_a_player_with_more_time(night_of, host, player, truth, clock, tick):
    n = night_of(seconds=20)
    h = host(n)
    quick, slow = player(n, "Quick"), player(n, "Slow")
    h.emit("control", {"action": "time", "player": slow.id, "factor": 200})
    _open_first(h)
    quick.socket.emit("answer", {"position": 0, "choice": 1})
    clock.advance(21)  # past the normal window, inside the doubled one
    tick()
    assert truth.night(n).phase == "question"
    assert slow.socket.emit("answer", {"position": 0, "choice": 1})["ok"]


def test_with_no_limit_the_question_waits_until_the_host_ends_it(night_of, host, player, truth, clock, tick):
    n = night_of(seconds=20)
    h = host(n)
    player(n, "Ana")  # who does not answer
    bob = player(n, "Bob")
    h.emit("control", {"action": "time", "player": bob.id, "factor": 0})
    _open_first(h)
    clock.advance(300)
    tick()
    assert truth.night(n).phase == "question"
    assert bob.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})["ok"]
    assert truth.player(bob.id).score == 0  # counted at the close
    h.emit("control", {"action": "close"})
    # scored against ten times the question's time; past that, the least a right answer earns
    assert truth.player(bob.id).score == rules.speed_points(300_000, 20_000 * rules.NO_LIMIT_SCORING_FACTOR) == 500


def test_the_server_being_down_is_not_charged_to_the_players(night_of, host, player, truth, clock, app):
    from webapp import db
    from webapp.live import store

    n = night_of(seconds=20)
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)
    clock.advance(5)
    with app.app_context():
        store.mark_seen(db.get_session(), [n.id], now=clock())
    clock.advance(120)  # the server is down for two minutes
    with app.app_context():
        assert store.resume_after_outage(db.get_session(), now=clock()) == [n.id]
    clock.advance(1)
    assert ana.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})["ok"]
    assert truth.answers(n)[0].elapsed_ms == 6_000


# --- skipping, ending, standings ------------------------------------------------------------------------------

def test_a_skipped_question_counts_for_nobody(night_of, host, player, truth):
    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)
    ana.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})
    assert h.emit("control", {"action": "skip"}) == {"ok": True}
    assert truth.player(ana.id).score == 0 and truth.player(ana.id).streak == 0
    assert ana.socket.events("result")[-1]["skipped"] is True


def test_the_night_runs_to_the_podium_with_movement_on_the_leaderboard(night_of, host, projector, player, truth,
                                                                        clock):
    n = night_of(tiebreak=False)
    h, screen = host(n), projector(n)
    ana, bob = player(n, "Ana"), player(n, "Bob")
    for position in range(4):
        if position:
            assert h.emit("control", {"action": "next"}) == {"ok": True}  # the leaderboard
        assert h.emit("control", {"action": "next"}) == {"ok": True}  # the question
        right = truth.right(n, position)
        winner, loser = (bob, ana) if position == 0 else (ana, bob)
        clock.advance(1)
        winner.socket.emit("answer", {"position": position, "choice": right})
        loser.socket.emit("answer", {"position": position, "choice": right % 4 + 1})
        assert h.emit("control", {"action": "close"}) == {"ok": True}
    assert h.emit("control", {"action": "next"}) == {"ok": True}  # the last leaderboard
    boards = [[(r["name"], r["rank"], r["movement"]) for r in b["players"]] for b in screen.events("standings")]
    assert boards[0] == [("Bob", 1, 0), ("Ana", 2, 0)]  # the first leaderboard: nobody moved yet
    assert boards[1] == [("Ana", 1, 1), ("Bob", 1, 0)]  # level: Ana came up one place
    assert boards[2] == [("Ana", 1, 0), ("Bob", 2, -1)]
    assert h.emit("control", {"action": "next"}) == {"ok": True}
    podium = screen.events("podium")[-1]
    assert [r["name"] for r in podium["players"]] == ["Ana", "Bob"]
    assert truth.night(n).phase == "final"
    assert h.emit("control", {"action": "end"}) == {"ok": True}
    assert truth.night(n).phase == "ended"


def test_the_reveal_quotes_only_the_clause_with_the_answer(app, save, clock, host, player):
    """A long cast sentence answers other questions of the night: the reveal cuts it to the answer's clause."""
    from dataclasses import replace

    from tests.webapp.live.conftest import PlannedNight, night_pack
    from webapp import db
    from webapp.packs import Source

    pack = night_pack()
    sentence = ("The main cast members are Ann Lee as Bea, Cara Moss as Dee, Eve Park as Fay, Gil Roe as Hal, "
                "Ida Sun as Jo, Kai Tan as Lu, and Max Vo as Ned.")
    start = sentence.index("Eve Park")
    long_source = Source(article="cast.txt", title="The cast", sentence=sentence, mark=(start, start + len("Eve Park")))
    pack = replace(pack, questions=tuple(replace(q, sources=(long_source,)) for q in pack.questions))
    save(pack)
    with app.app_context():
        night, key = store_create(db.get_session(), clock())
    n = PlannedNight(night.id, night.code, key)
    h = host(n)
    ana = player(n, "Ana")
    h.emit("control", {"action": "next"})
    h.emit("control", {"action": "close"})
    quote = [p for name, p in ana.socket.received() if name == "reveal"][0]["source"]
    assert quote["article"] == "The cast" and "Eve Park" in quote["quote"]
    assert "Ann Lee" not in quote["quote"] and "Max Vo" not in quote["quote"]


def store_create(session, now):
    from webapp.live import store

    plan = rules.Plan(title="t", pack_ids=("tiny-pretty-things",), rounds=(rules.RoundPlan("Cast", 1, category="Cast"),))
    return store.create_night(session, plan, now=now, seed=1)


def test_a_removed_players_answer_does_not_stand_in_for_someone_still_playing(night_of, host, player, truth, tick):
    n = night_of()
    h = host(n)
    ana, bob, cy = player(n, "Ana"), player(n, "Bob"), player(n, "Cy")
    _open_first(h)
    ana.socket.emit("answer", {"position": 0, "choice": 1})
    h.emit("control", {"action": "remove", "player": ana.id})
    bob.socket.emit("answer", {"position": 0, "choice": 1})
    tick()
    assert truth.night(n).phase == "question"  # Cy has not answered yet
    count = h.events("count")[-1]
    assert (count["answered"], count["players"]) == (1, 2)
    cy.socket.emit("answer", {"position": 0, "choice": 1})
    tick()
    assert truth.night(n).phase == "reveal"


def test_movement_is_measured_from_the_previous_leaderboard_when_boards_come_between_rounds(night_of, host,
                                                                                            projector, player,
                                                                                            truth, clock):
    n = night_of(board_after=rules.BOARD_AFTER_ROUND, tiebreak=False)
    h, screen = host(n), projector(n)
    ana, bob = player(n, "Ana"), player(n, "Bob")
    for position in range(4):
        h.emit("control", {"action": "next"})
        clock.advance(1)
        right = truth.right(n, position)
        if position == 0:
            bob.socket.emit("answer", {"position": 0, "choice": right})
        elif position == 2:
            ana.socket.emit("answer", {"position": 2, "choice": right})
            ana.socket.emit("answer", {"position": 2, "choice": right})
        elif position == 3:
            ana.socket.emit("answer", {"position": 3, "choice": right})
        h.emit("control", {"action": "close"})
        if h.events("next")[-1]["next"] == "standings":
            h.emit("control", {"action": "next"})
    boards = [[(r["name"], r["rank"], r["movement"]) for r in b["players"]] for b in screen.events("standings")]
    assert boards == [[("Bob", 1, 0), ("Ana", 2, 0)], [("Ana", 1, 1), ("Bob", 2, -1)]]


def test_added_time_lets_answers_in_without_changing_the_points_of_a_moment(night_of, host, player, truth, clock):
    n = night_of(seconds=20)
    h = host(n)
    ana, cy = player(n, "Ana"), player(n, "Cy")
    _open_first(h)
    clock.advance(10)
    ana.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})
    h.emit("control", {"action": "add_time", "seconds": 20})
    cy.socket.emit("answer", {"position": 0, "choice": truth.right(n, 0)})  # the same moment, after the +20 s
    h.emit("control", {"action": "close"})
    assert truth.player(ana.id).score == truth.player(cy.id).score == rules.speed_points(10_000, 20_000)


def test_a_player_with_no_limit_who_answered_does_not_hold_the_question_open(night_of, host, player, truth, clock,
                                                                             tick):
    n = night_of(seconds=20)
    h = host(n)
    player(n, "Ana")  # who never answers
    bob = player(n, "Bob")
    h.emit("control", {"action": "time", "player": bob.id, "factor": 0})
    _open_first(h)
    bob.socket.emit("answer", {"position": 0, "choice": 1})
    clock.advance(21)
    tick()
    assert truth.night(n).phase == "reveal"  # Ana's time is up, and Bob has answered


def test_an_answer_with_extra_arguments_is_still_answered(night_of, host, player):
    n = night_of()
    h = host(n)
    ana = player(n, "Ana")
    _open_first(h)
    reply = ana.socket.client.emit("answer", {"position": 0, "choice": 1}, "extra", 3, namespace="/night",
                                   callback=True)
    assert reply["ok"] and ana.socket.connected


def test_a_night_nobody_moves_on_for_twelve_hours_is_ended_and_its_screens_told(night_of, host, player, app, clock,
                                                                                  truth):
    from webapp import db
    from webapp.live import store

    morning, evening = night_of(), night_of()
    clock.advance(11 * 3600)
    h = host(evening)
    _open_first(h)  # played eleven hours after it was planned: not stale
    clock.advance(2 * 3600)
    with app.app_context():
        assert store.end_stale_nights(db.get_session(), now=clock()) == [morning.id]
    assert truth.night(morning).phase == "ended" and truth.night(evening).phase == "question"
