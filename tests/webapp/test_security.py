"""Safety: security headers, CSRF, session cookies, rate limits."""

from __future__ import annotations

import re
import secrets

import pytest

from webapp import create_app


def test_security_headers_on_every_kind_of_response(client, pack, player):
    game_id = player.start(length=5)
    responses = [client.get("/"), client.get("/nope"), client.get("/static/style.css"),
                 client.get("/nope", headers={"Accept": "application/json"}),
                 client.post(f"/games/{game_id}/questions/1", data={"choice": "9"}),
                 client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"})]
    for response in responses:
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"]


def test_pages_have_no_inline_script_or_style(client, pack, player):
    game_id = player.start(length=5, timed=True)
    for url in ["/", "/help", "/packs/tiny-pretty-things", f"/games/{game_id}/questions/1", "/leaderboards/"]:
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html and "<style" not in html and " on" + "click=" not in html, url


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_csrf_is_enforced_on_every_form(client, pack):
    refused = client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"})
    assert refused.status_code == 400
    assert "reload the page" in refused.get_data(as_text=True)
    page = client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    started = client.post("/packs/tiny-pretty-things/games",
                          data={"length": "5", "difficulty": "mixed", "csrf_token": token})
    assert started.status_code == 303
    question_url = started.headers["Location"]
    html = client.get(question_url).get_data(as_text=True)
    assert 'name="answer_token"' in html  # the answer form's own token (test_answer_token.py)
    assert client.post(question_url, data={"choice": "1"}).status_code == 400
    assert client.post(question_url, data={"choice": "1", "csrf_token": "forged"}).status_code == 400
    assert client.post(question_url, data={"choice": "1", "answer_token": "forged"}).status_code == 400
    answer_token = re.search(r'name="answer_token" value="([^"]+)"', html).group(1)
    assert client.post(question_url, data={"choice": "1", "answer_token": answer_token}).status_code == 303
    game_id = question_url.split("/games/")[1].split("/")[0]
    assert client.post(f"/games/{game_id}/results", data={"nickname": "Ada"}).status_code == 400


def test_session_cookie_flags_in_development(client, pack, player):
    player.start(length=5)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


def test_session_cookie_is_secure_outside_development(tmp_path, database_url):
    app = create_app({"QUIZGEN_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url},
                     instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.app_config(RATELIMIT_ENABLED=True, SCORE_RATE_LIMIT="2 per minute")
def test_posting_scores_is_rate_limited(client, pack, player):
    for _ in range(2):
        game_id = player.start(length=5)
        player.play_through(game_id)
        assert client.post(f"/games/{game_id}/results", data={"nickname": "Ada"}).status_code == 303
    game_id = player.start(length=5)
    player.play_through(game_id)
    limited = client.post(f"/games/{game_id}/results", data={"nickname": "Ada"})
    assert limited.status_code == 429
    assert "Too many requests" in limited.get_data(as_text=True)
    assert "Retry-After" in limited.headers
    as_json = client.post(f"/games/{game_id}/results", data={"nickname": "Ada"},
                          headers={"Accept": "application/json"})
    assert as_json.status_code == 429 and as_json.json["error"]["status"] == 429
    assert player.game(game_id).nickname is None


@pytest.mark.app_config(RATELIMIT_ENABLED=True, NEW_GAME_RATE_LIMIT="3 per minute")
def test_starting_games_is_rate_limited(client, pack, player, clock):
    for _ in range(3):
        player.start(length=5)
    assert client.post("/packs/tiny-pretty-things/games",
                       data={"length": "5", "difficulty": "mixed"}).status_code == 429


@pytest.fixture
def redis_url():
    """Redis for shared rate-limit counters: skipped on a laptop without it, required under CI."""
    import os

    import redis

    url = os.environ.get("QUIZGEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is unreachable at {url} ({exc}) and CI is set", pytrace=False)
        pytest.skip(f"Redis is unreachable at {url}; set QUIZGEN_TEST_REDIS_URL to run this test")
    return url


def test_rate_limits_can_live_in_redis(redis_url, database_url, tmp_path, make_pack, clock):
    import secrets

    from webapp.catalog.store import save_pack

    settings = {"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url, "NEW_GAME_RATE_LIMIT": "2 per minute",
                "CLOCK": clock}
    first, second = (create_app(settings, instance_path=str(tmp_path / n)) for n in "ab")
    with first.app_context():
        save_pack(make_pack(), now_ms=clock())
    form = {"length": "5", "difficulty": "mixed"}
    client = {"environ_base": {"REMOTE_ADDR": f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.7"}}
    post = "/packs/tiny-pretty-things/games"
    # Two app instances (think: two server processes) share the counters of one client address.
    assert first.test_client().post(post, data=form, **client).status_code == 303
    assert second.test_client().post(post, data=form, **client).status_code == 303
    assert first.test_client().post(post, data=form, **client).status_code == 429
    import redis

    address = client["environ_base"]["REMOTE_ADDR"]
    assert redis.Redis.from_url(redis_url).keys(f"*{address}*"), "the counters are not in Redis"
    from webapp.db import get_engine

    for app in (first, second):
        get_engine(app).dispose()


@pytest.mark.app_config(RATELIMIT_ENABLED=True, NEW_GAME_RATE_LIMIT="5 per minute")
def test_rate_limit_headers_only_where_limits_apply(client, pack, player):
    started = client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"})
    assert started.headers["X-RateLimit-Limit"] == "5" and started.headers["X-RateLimit-Remaining"] == "4"
    game_id = started.headers["Location"].split("/games/")[1].split("/")[0]
    player.question_page(game_id, 1)
    answered = player.answer(game_id, 1, 1)
    assert answered.status_code == 303 and "X-RateLimit-Limit" not in answered.headers


# --- limits on every costly route ------------------------------------------------------------------

def test_a_players_session_lasts_a_year_and_an_answer_does_not_sign_it_again(client, pack, player):
    from datetime import datetime, timedelta, timezone
    from email.utils import parsedate_to_datetime

    started = client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"})
    cookie = started.headers["Set-Cookie"]
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert expires - datetime.now(timezone.utc) > timedelta(days=364)
    game_id = started.headers["Location"].split("/games/")[1].split("/")[0]
    player.question_page(game_id, 1)
    answered = player.answer(game_id, 1, 1)
    assert answered.status_code == 303 and "Set-Cookie" not in answered.headers  # unchanged: not signed again
    refused = player.answer(game_id, 1, 1)  # the flashed message changes the session: signed again
    assert "session=" in refused.headers.get("Set-Cookie", "")


@pytest.mark.public_answers
@pytest.mark.app_config(RATELIMIT_ENABLED=True, DOWNLOAD_RATE_LIMIT="2 per minute")
def test_downloads_are_rate_limited_and_say_how_long_to_wait(client, pack):
    url = "/packs/tiny-pretty-things/download/csv"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    limited = client.get(url)
    assert limited.status_code == 429
    wait = int(limited.headers["Retry-After"])
    assert 1 <= wait <= 60
    said = int(re.search(r"please wait (\d+) seconds? and try again", limited.get_data(as_text=True)).group(1))
    assert abs(said - wait) <= 1  # read a moment apart


@pytest.mark.app_config(RATELIMIT_ENABLED=True, UPLOAD_RATE_LIMIT="1 per minute")
def test_uploads_are_rate_limited(client):
    import io

    def upload():
        return client.post("/upload", data={"file": (io.BytesIO(b"format: 1\n"), "x.yaml")},
                           content_type="multipart/form-data")
    assert upload().status_code == 422
    assert upload().status_code == 429


@pytest.mark.app_config(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
def test_the_api_is_rate_limited_and_opentdb_answers_in_its_own_shape(client, pack):
    assert [client.get("/api.php?amount=1").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/api.php?amount=1")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    body = limited.get_json()
    assert body["response_code"] == 5 and body["results"] == [] and "wait" in body["response_message"]
    as_json = client.get("/api/packs")  # the same client, the same limit: the JSON API says it as any error
    assert as_json.status_code == 429 and as_json.get_json()["error"]["status"] == 429


@pytest.mark.app_config(RATELIMIT_ENABLED=True, TOKEN_RATE_LIMIT="2 per minute")
def test_making_opentdb_tokens_is_rate_limited(client):
    made = [client.get("/api_token.php?command=request").get_json() for _ in range(2)]
    assert all(m["response_code"] == 0 and m["token"] for m in made)
    limited = client.get("/api_token.php?command=request")
    assert limited.status_code == 429 and limited.get_json()["response_code"] == 5


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1",
                        NEW_GAME_RATE_LIMIT="2 per minute")
def test_with_its_redis_down_the_game_keeps_serving_and_limiting(client, pack):
    # nothing listens on port 1: the limits fall back to this process's memory
    assert [client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"}).status_code
            for _ in range(3)] == [303, 303, 429]
    assert client.get("/").status_code == 200


def test_memory_counted_limits_are_announced_at_start_up_in_production(tmp_path, database_url, caplog):
    settings = {"QUIZGEN_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url}
    create_app(settings, instance_path=str(tmp_path / "a"))
    assert "QUIZGEN_RATELIMIT_STORAGE_URI=redis://" in caplog.text
    caplog.clear()
    create_app({**settings, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}, instance_path=str(tmp_path / "b"))
    assert "rate limits" not in caplog.text


# --- behind a reverse proxy ------------------------------------------------------------------------

def _start(client, address: str):
    return client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"},
                       headers={"X-Forwarded-For": address})


@pytest.mark.app_config(RATELIMIT_ENABLED=True, NEW_GAME_RATE_LIMIT="1 per minute", TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_each_player_has_their_own_limit(client, pack):
    assert _start(client, "203.0.113.1").status_code == 303
    assert _start(client, "203.0.113.2").status_code == 303  # another player behind the same proxy
    assert _start(client, "203.0.113.1").status_code == 429


@pytest.mark.app_config(RATELIMIT_ENABLED=True, NEW_GAME_RATE_LIMIT="1 per minute")
def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(client, pack):
    assert _start(client, "203.0.113.1").status_code == 303
    assert _start(client, "203.0.113.2").status_code == 429  # a client cannot claim another address


def test_a_bad_number_of_proxies_is_refused_in_one_line(tmp_path):
    from webapp.config import load_config
    from webapp.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"QUIZGEN_TRUSTED_PROXIES='one' is not a whole number"):
        load_config(tmp_path, environ={"QUIZGEN_TRUSTED_PROXIES": "one"})


@pytest.mark.app_config(QUIZGEN_ENV="production", SECRET_KEY="9c1f4e7a2b8d0536f1a9c4e7b2d8f0a3", TRUSTED_PROXIES=1)
def test_hsts_over_https_in_production_only(client):
    assert client.get("/", headers={"X-Forwarded-Proto": "https"}).headers["Strict-Transport-Security"] \
        == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/").headers  # plain HTTP: browsers ignore it anyway


def test_no_hsts_in_development(client):
    assert "Strict-Transport-Security" not in client.get("/", base_url="https://localhost").headers


def test_no_response_names_a_host_the_client_made_up(client, pack, player):
    evil = {"Host": "evil.example"}
    assert client.get("/leaderboards", headers=evil).status_code == 200  # no trailing-slash redirect
    assert client.get("/leaderboards/tiny-pretty-things/", headers=evil).status_code == 200
    redirects = [client.get("/leaderboards/?period=today", headers=evil),
                 client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"},
                             headers=evil)]
    for response in redirects:
        assert response.status_code in (301, 303) and response.headers["Location"].startswith("/"), response
        assert "evil" not in response.get_data(as_text=True)
