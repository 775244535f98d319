"""The answer form's per-game token (webapp.solo.answer_token): CSRF protection and proof of ownership in one field."""

from __future__ import annotations

import re
import threading

import pytest
from flask import g, has_app_context

from webapp import create_app
from webapp.db import get_engine
from webapp.solo import answer_token

CSRF_ON = pytest.mark.app_config(WTF_CSRF_ENABLED=True)
TOKEN = re.compile(r'<input type="hidden" name="answer_token" value="([^"]+)">')
WTF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _start(client, pack_id: str = "tiny-pretty-things") -> str:
    """Start a game as a browser does (the pack page's form and its CSRF token); return the game id."""
    if has_app_context():  # pytest-flask's: one ``g`` for every request, where Flask-WTF caches its signed token
        g.pop("csrf_token", None)
    page = client.get(f"/packs/{pack_id}").get_data(as_text=True)
    started = client.post(f"/packs/{pack_id}/games", data={"length": "5", "difficulty": "mixed",
                                                            "csrf_token": WTF_TOKEN.search(page).group(1)})
    assert started.status_code == 303, started.get_data(as_text=True)
    return started.headers["Location"].split("/games/")[1].split("/")[0]


def _token(client, game_id: str, number: int = 1) -> str:
    """The answer token on question ``number``'s page (showing the page starts its clock)."""
    response = client.get(f"/games/{game_id}/questions/{number}")
    assert response.status_code == 200
    return TOKEN.search(response.get_data(as_text=True)).group(1)


def _post(client, game_id: str, number: int = 1, **data):
    return client.post(f"/games/{game_id}/questions/{number}", data={"choice": "1", **data})


@CSRF_ON
def test_the_question_page_token_answers_its_game(client, pack, player):
    game_id = _start(client)
    token = _token(client, game_id)
    assert 'name="csrf_token"' not in client.get(f"/games/{game_id}/questions/1").get_data(as_text=True)
    answered = _post(client, game_id, answer_token=token)
    assert answered.status_code == 303 and answered.headers["Location"].endswith(f"/games/{game_id}/questions/1")
    assert player.game(game_id).answered == 1
    assert 'class="feedback"' in client.get(answered.headers["Location"]).get_data(as_text=True)
    assert token == _token(client, game_id, 2)  # one token per game, on every question


@CSRF_ON
@pytest.mark.parametrize("sent", [None, "", "forged", "x" * 64, "é" * 64, "\x00", "x" * 5000, "TOKEN_UPPER",
                                  "TOKEN_SHORT", "TOKEN_PADDED"])
def test_a_missing_or_wrong_token_is_the_csrf_error_and_writes_nothing(client, pack, player, sent):
    game_id = _start(client)
    token = _token(client, game_id)
    sent = {"TOKEN_UPPER": token.upper(), "TOKEN_SHORT": token[:-1], "TOKEN_PADDED": token + "="}.get(sent, sent)
    data = {} if sent is None else {"answer_token": sent}
    refused = _post(client, game_id, **data)
    assert refused.status_code == 400
    assert "reload the page" in refused.get_data(as_text=True)
    assert player.game(game_id).answered == 0


@CSRF_ON
def test_a_wrong_token_is_400_as_json_too(client, pack, player):
    game_id = _start(client)
    _token(client, game_id)
    refused = client.post(f"/games/{game_id}/questions/1", data={"choice": "1", "answer_token": "forged"},
                          headers={"Accept": "application/json"})
    assert refused.status_code == 400 and refused.json["error"]["status"] == 400
    sent_as_json = client.post(f"/games/{game_id}/questions/1", json={"choice": 1, "answer_token": ["not", "text"]})
    assert sent_as_json.status_code == 400
    assert player.game(game_id).answered == 0


@CSRF_ON
def test_one_games_token_does_not_answer_another_game(app, client, pack, player):
    mine, other_of_mine = _start(client), _start(client)
    token = _token(client, mine)
    _token(client, other_of_mine)
    assert _post(client, other_of_mine, answer_token=token).status_code == 400
    stranger = app.test_client()
    strangers_game = _start(stranger)
    _token(stranger, strangers_game)
    assert _post(stranger, strangers_game, answer_token=token).status_code == 400  # with their own cookie
    assert _post(client, strangers_game, answer_token=token).status_code == 400  # with the token owner's cookie
    assert [player.game(g).answered for g in (mine, other_of_mine, strangers_game)] == [0, 0, 0]
    assert _post(client, mine, answer_token=token).status_code == 303


@CSRF_ON
def test_a_token_for_a_game_that_does_not_exist_is_the_same_400(client, pack):
    game_id = _start(client)
    token = _token(client, game_id)
    assert _post(client, "A" * 24, answer_token=token).status_code == 400
    assert _post(client, "A" * 24, answer_token="forged").status_code == 400


@CSRF_ON
def test_the_token_is_enough_without_the_cookie(app, client, pack, player):
    """Decided: the token is a bearer credential for its game. Only the owner's page shows it (see the module)."""
    game_id = _start(client)
    token = _token(client, game_id)
    other_browser = app.test_client()  # no cookie at all
    answered = _post(other_browser, game_id, answer_token=token)
    assert answered.status_code == 303
    assert player.game(game_id).answered == 1
    # It can answer, nothing more: the feedback and every other page of the game are the owner's.
    assert other_browser.get(answered.headers["Location"]).status_code == 404
    assert other_browser.get(f"/games/{game_id}/questions/2").status_code == 404
    assert client.get(answered.headers["Location"]).status_code == 200
    # And the rules hold as for the owner: no second answer, no answering ahead.
    assert _post(other_browser, game_id, answer_token=token).status_code == 303
    assert _post(other_browser, game_id, 3, answer_token=token).status_code == 303
    assert player.game(game_id).answered == 1


@CSRF_ON
def test_refusals_on_the_token_path_flash_and_keep_the_player(client, pack, player):
    game_id = _start(client)
    token = _token(client, game_id)
    assert _post(client, game_id, answer_token=token).status_code == 303
    again = _post(client, game_id, answer_token=token)
    assert again.status_code == 303 and "session=" in again.headers.get("Set-Cookie", "")  # the message
    page = client.get(again.headers["Location"])
    assert page.status_code == 200 and "already answered" in page.get_data(as_text=True)  # still this player's game
    ahead = _post(client, game_id, 4, answer_token=token)
    assert ahead.status_code == 303 and ahead.headers["Location"].endswith("/questions/2")
    assert "in order" in client.get(ahead.headers["Location"]).get_data(as_text=True)
    assert player.game(game_id).answered == 1


@CSRF_ON
def test_without_the_field_even_the_forms_csrf_token_and_the_session_do_not_answer(app, client, pack, player):
    """One way to answer: the question page's token; Flask-WTF's token and the session are not another."""
    game_id = _start(client)
    _token(client, game_id)
    wtf_token = WTF_TOKEN.search(client.get("/packs/tiny-pretty-things").get_data(as_text=True)).group(1)
    assert _post(client, game_id, csrf_token=wtf_token).status_code == 400
    assert player.game(game_id).answered == 0


def test_with_csrf_off_a_token_sent_is_still_checked(app, client, pack, player):
    game_id = player.start(length=5)
    player.question_page(game_id, 1)
    assert player.answer_tokens[game_id]
    assert _post(client, game_id, answer_token="forged").status_code == 400
    assert _post(client, game_id).status_code == 400  # no token: refused, even with the game's own session
    assert player.answer(game_id, 1, 1).status_code == 303
    assert player.game(game_id).answered == 1


@CSRF_ON
def test_racing_answers_with_the_token_score_once(app, client, pack, player):
    game_id = _start(client)
    token = _token(client, game_id)
    right = player.right_choice(game_id, 1)
    start = threading.Barrier(6)
    statuses = []

    def answer(choice: int) -> None:
        browser = app.test_client()
        start.wait()
        statuses.append(_post(browser, game_id, choice=str(choice), answer_token=token).status_code)

    threads = [threading.Thread(target=answer, args=(right if k % 2 else right % 4 + 1,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [303] * 6
    game = player.game(game_id)
    assert game.answered == 1 and game.score in (0, 1000)


@CSRF_ON
@pytest.mark.parametrize("number", ["0", "6", "99", "9" * 30])
def test_question_numbers_out_of_range_are_404_with_the_token(client, pack, number):
    game_id = _start(client)
    token = _token(client, game_id)
    assert client.post(f"/games/{game_id}/questions/{number}",
                       data={"choice": "1", "answer_token": token}).status_code == 404


def test_huge_question_numbers_are_404_without_the_token(client, pack, player):
    game_id = player.start(length=5)
    assert player.answer(game_id, int("9" * 30), 1).status_code == 404
    assert player.question_page(game_id, int("9" * 30)).status_code == 404


def test_tokens_differ_by_game_player_and_key(app, tmp_path, database_url):
    with app.app_context():
        token = answer_token.for_game("game1", "player1")
        assert re.fullmatch(r"[0-9a-f]{64}", token)
        assert token == answer_token.for_game("game1", "player1")
        assert len({token, answer_token.for_game("game2", "player1"), answer_token.for_game("game1", "player2"),
                    answer_token.for_game("game1player", "1")}) == 4
        assert answer_token.is_valid(token, "game1", "player1")
        assert not answer_token.is_valid(token, "game2", "player1")
        assert not answer_token.is_valid(token, "game1", "player2")
        assert not answer_token.is_valid("é" + token[1:], "game1", "player1")
    other = create_app({"SECRET_KEY": "another key", "DATABASE_URL": database_url}, instance_path=str(tmp_path / "o"))
    with other.app_context():
        assert answer_token.for_game("game1", "player1") != token
        assert not answer_token.is_valid(token, "game1", "player1")
    get_engine(other).dispose()


def test_an_old_key_in_the_fallbacks_still_verifies(app, tmp_path, database_url):
    with app.app_context():
        old_token = answer_token.for_game("game1", "player1")
    rotated = create_app({"SECRET_KEY": "new key", "SECRET_KEY_FALLBACKS": [app.secret_key],
                          "DATABASE_URL": database_url}, instance_path=str(tmp_path / "r"))
    with rotated.app_context():
        assert answer_token.is_valid(old_token, "game1", "player1")
        assert answer_token.for_game("game1", "player1") != old_token  # new tokens use the new key
    get_engine(rotated).dispose()
