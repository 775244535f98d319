"""Answers stored in batches: the store's record_answers, and the desk that gathers them (a real writer)."""

from __future__ import annotations

import threading

from webapp import db
from webapp.live import desk, store
from webapp.live.store import AnswerRequest, NightError, Receipt


def _open(app, clock, night):
    with app.app_context():
        session = db.get_session()
        store.open_next(session, store.night_by_id(session, night.id), now=clock())


def test_a_batch_judges_each_answer_on_its_own(app, clock, night_of, player, host, truth):
    n = night_of()
    ana, bob, cy, dee = (player(n, name) for name in ("Ana", "Bob", "Cy", "Dee"))
    host(n).emit("control", {"action": "remove", "player": dee.id})
    _open(app, clock, n)
    right = truth.right(n, 0)
    start = clock()
    batch = [
        AnswerRequest(n.id, ana.id, 0, right, None, start + 1_000),
        AnswerRequest(n.id, bob.id, 0, right % 4 + 1, None, start + 2_000),
        AnswerRequest(n.id, ana.id, 0, right % 4 + 1, None, start + 3_000),  # Ana again, in the same batch
        AnswerRequest(n.id, cy.id, 0, right, None, start + 60_000),  # after her time
        AnswerRequest(n.id, dee.id, 0, right, None, start + 1_000),  # removed
        AnswerRequest(n.id, cy.id, 1, right, None, start + 1_000),  # a question not open
        AnswerRequest(n.id, cy.id, "0", right, None, start + 1_000),
    ]
    with app.app_context():
        results = store.record_answers(db.get_session(), batch)
    assert results[0] == Receipt(position=0, choice=right, guess=None, repeat=False)
    assert results[1] == Receipt(position=0, choice=right % 4 + 1, guess=None, repeat=False)
    assert results[2] == Receipt(position=0, choice=right, guess=None, repeat=True)
    assert [str(r) for r in results[3:]] == ["Too late: time was up for this question.",
                                             "You are no longer in this quiz night.", "This question is closed.",
                                             "This question is closed."]
    stored = {(a.player_id, a.choice, a.elapsed_ms) for a in truth.answers(n)}
    assert stored == {(ana.id, right, 1_000), (bob.id, right % 4 + 1, 2_000)}


def test_the_desk_stores_answers_sent_at_once_and_gives_each_its_own_receipt(app, clock, night_of, player, truth):
    n = night_of()
    players = [player(n, f"P{i}") for i in range(12)]
    _open(app, clock, n)
    # the desk's writer from here on (turned on after the players connected, so that no ticker starts:
    # the writer waits idle on its queue once the test is over)
    app.config["LIVE_WORKERS"] = True
    results: dict[int, list] = {p.id: [] for p in players}

    def send(p, choice):
        results[p.id].append(desk.submit(app, AnswerRequest(n.id, p.id, 0, choice, None, clock())))

    threads = [threading.Thread(target=send, args=(p, 1 + i % 4)) for i, p in enumerate(players)]
    threads += [threading.Thread(target=send, args=(players[0], 4))]  # a second answer racing the first
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert all(not isinstance(r, NightError) for told in results.values() for r in told)
    stored = {a.player_id: a.choice for a in truth.answers(n)}
    assert set(stored) == {p.id for p in players}
    for i, p in enumerate(players[1:], start=1):
        assert results[p.id] == [Receipt(position=0, choice=1 + i % 4, guess=None, repeat=False)]
    # the racing pair: whichever came first is stored, and both were told that one, the other as a repeat
    first = players[0].id
    assert sorted((r.choice, r.repeat) for r in results[first]) == [(stored[first], False), (stored[first], True)]
