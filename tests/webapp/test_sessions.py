"""The cookie session (webapp.sessions): read on first use, written back only when it changed or is a day old."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from webapp import sessions
from webapp.sessions import CookieSession

TOKEN = re.compile(r'name="answer_token" value="([^"]+)"')


@pytest.fixture
def cookie_reads(app, monkeypatch):
    """How many times the app has verified and decoded a session cookie so far (a list of one count)."""
    serializer = app.session_interface.get_signing_serializer(app)
    count = [0]
    loads = serializer.loads

    def counting_loads(*args, **kwargs):
        count[0] += 1
        return loads(*args, **kwargs)

    monkeypatch.setattr(serializer, "loads", counting_loads)
    return count


def test_the_answer_request_never_reads_the_session_cookie(client, pack, player, cookie_reads):
    game_id = player.start(length=5)
    token = TOKEN.search(player.question_page(game_id, 1).get_data(as_text=True)).group(1)
    before = cookie_reads[0]
    assert before > 0  # the question page did: it needs the player
    answered = client.post(f"/games/{game_id}/questions/1", data={"choice": "1", "answer_token": token})
    assert answered.status_code == 303
    assert cookie_reads[0] == before
    assert "Set-Cookie" not in answered.headers and "Cookie" not in answered.headers.get("Vary", "")
    assert client.get("/static/style.css").status_code == 200 and cookie_reads[0] == before
    assert client.get(answered.headers["Location"]).status_code == 200 and cookie_reads[0] == before + 1


def test_an_unread_session_is_not_written_back_even_when_old(client, pack, player, monkeypatch):
    game_id = player.start(length=5)
    token = TOKEN.search(player.question_page(game_id, 1).get_data(as_text=True)).group(1)
    monkeypatch.setattr(sessions, "REFRESH_AFTER", timedelta(0))
    answered = client.post(f"/games/{game_id}/questions/1", data={"choice": "1", "answer_token": token})
    assert answered.status_code == 303 and "Set-Cookie" not in answered.headers
    assert "session=" in client.get(answered.headers["Location"]).headers.get("Set-Cookie", "")  # read: refreshed


def test_a_forged_cookie_is_an_empty_session_where_one_is_read(client, pack, player):
    game_id = player.start(length=5)
    token = TOKEN.search(player.question_page(game_id, 1).get_data(as_text=True)).group(1)
    client.set_cookie("session", "forged.cookie.value")
    assert client.get(f"/games/{game_id}/questions/1").status_code == 404  # no player in it
    answered = client.post(f"/games/{game_id}/questions/1", data={"choice": "1", "answer_token": token})
    assert answered.status_code == 303 and "Set-Cookie" not in answered.headers  # never read, left alone
    assert player.game(game_id).answered == 1


def test_a_refusal_on_the_answer_path_keeps_what_the_cookie_held(client, pack, player):
    game_id = player.start(length=5)
    player.question_page(game_id, 1)
    assert player.answer(game_id, 1, 1).status_code == 303
    again = player.answer(game_id, 1, 1)  # refused: a message is flashed, so the session is read and rewritten
    assert "session=" in again.headers.get("Set-Cookie", "")
    with client.session_transaction() as stored:
        assert stored["player"] and stored["_flashes"]
    assert "already answered" in client.get(again.headers["Location"]).get_data(as_text=True)


STORED = {"player": "p1", "csrf_token": "t", "_permanent": True}


def _lazy(reads: list, stored: dict | None = STORED) -> CookieSession:
    def read():
        reads.append(1)
        return (dict(stored), datetime(2025, 1, 1, tzinfo=timezone.utc)) if stored is not None else None
    return CookieSession(read)


@pytest.mark.parametrize("use", [
    lambda s: s["player"], lambda s: s.get("player"), lambda s: "player" in s, lambda s: len(s), lambda s: bool(s),
    lambda s: list(s), lambda s: dict(s), lambda s: s.keys(), lambda s: list(s.items()), lambda s: list(s.values()),
    lambda s: s.setdefault("x", 1), lambda s: s.pop("player"), lambda s: s.update(x=1), lambda s: s.copy(),
    lambda s: s == {}, lambda s: repr(s), lambda s: s.permanent, lambda s: s.__setitem__("x", 1),
    lambda s: s.__delitem__("player"), lambda s: s.clear(), lambda s: s.popitem(), lambda s: s | {},
])
def test_any_use_of_the_session_reads_the_cookie_first_and_once(use):
    reads: list = []
    session = _lazy(reads)
    assert session.unread and reads == []
    use(session)
    assert reads == [1] and not session.unread
    len(session), "player" in session, session.get("x")
    assert reads == [1]


def test_a_read_session_holds_the_cookie_and_is_not_modified_by_reading():
    reads: list = []
    session = _lazy(reads)
    assert dict(session) == STORED and session.permanent
    assert not session.modified and session.signed_at == datetime(2025, 1, 1, tzinfo=timezone.utc)
    session["x"] = 1
    assert session.modified and session["player"] == "p1"


def test_no_cookie_or_a_bad_one_reads_as_empty():
    reads: list = []
    session = _lazy(reads, None)
    assert len(session) == 0 and not session and session.signed_at is None and not session.modified
