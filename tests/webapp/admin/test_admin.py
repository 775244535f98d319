"""The instance's admin: the password, signing in and out, uploads, deleting packs, removing scores."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from webapp import models
from webapp.db import get_session

PASSWORD = "correct horse battery"
HASH = generate_password_hash(PASSWORD)


def sign_in(client, password: str = PASSWORD, next_path: str | None = None):
    url = "/admin/login" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"password": password})


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH)
def test_the_admin_is_asked_for_the_password_again_after_twelve_hours(client, pack, clock):
    sign_in(client)
    clock.advance(12 * 3600 - 1)
    assert "Sign out (admin)" in client.get("/").get_data(as_text=True)
    clock.advance(1)
    assert "Sign out (admin)" not in client.get("/").get_data(as_text=True)
    assert client.post("/packs/tiny-pretty-things/hide").headers["Location"].startswith("/admin/login")
    with client.session_transaction() as session:
        session["admin"] = True  # a cookie from before sign-ins were timed: not signed in
    assert "Sign out (admin)" not in client.get("/").get_data(as_text=True)


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH)
def test_signing_in_and_out(client, pack):
    assert "Sign out (admin)" not in client.get("/").get_data(as_text=True)
    wrong = sign_in(client, "guess")
    assert wrong.status_code == 400 and "That is not the admin password." in wrong.get_data(as_text=True)
    right = sign_in(client, next_path="/packs/tiny-pretty-things")
    assert right.status_code == 303 and right.headers["Location"] == "/packs/tiny-pretty-things"
    assert "Sign out (admin)" in client.get("/").get_data(as_text=True)
    assert client.post("/admin/logout").status_code == 303
    assert "Sign out (admin)" not in client.get("/").get_data(as_text=True)


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH)
def test_signing_in_never_sends_you_to_another_site(client):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example/x"):
        assert sign_in(client, next_path=target).headers["Location"] == "/"


def test_without_a_password_nobody_signs_in(client):
    page = client.get("/admin/login").get_data(as_text=True)
    assert "No admin password is set" in page and "quizgen admin password" in page
    assert sign_in(client).status_code == 400


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH, PUBLIC_UPLOADS=False)
def test_with_public_uploads_off_only_the_admin_uploads(client):
    assert "Upload a pack" not in client.get("/").get_data(as_text=True)
    closed = client.get("/upload")
    assert closed.status_code == 303 and closed.headers["Location"].startswith("/admin/login")
    pack = open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "questions", "packs", "tiny-pretty-things.json"),
                "rb").read()
    post = client.post("/upload", data={"file": (io.BytesIO(pack), "p.json")}, content_type="multipart/form-data")
    assert post.status_code == 303 and post.headers["Location"].startswith("/admin/login")
    assert client.get("/api/packs").get_json()["packs"] == []
    sign_in(client)
    added = client.post("/upload", data={"file": (io.BytesIO(pack), "p.json")}, content_type="multipart/form-data")
    assert added.status_code == 303
    (summary,) = client.get("/api/packs").get_json()["packs"]
    assert summary["added_by"] == "admin"
    assert "Added by the admin on" in client.get("/").get_data(as_text=True)


def test_a_visitors_upload_says_so_on_its_card(client):
    pack = open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "questions", "packs", "tiny-pretty-things.json"),
                "rb").read()
    assert client.post("/upload", data={"file": (io.BytesIO(pack), "p.json")},
                       content_type="multipart/form-data").status_code == 303
    home = client.get("/").get_data(as_text=True)
    assert "Uploaded by a visitor on" in home and "Tiny Pretty Things (Netflix, 2020)" in home


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH)
def test_the_admin_deletes_a_pack_with_its_games_and_scores(app, client, pack, player):
    game_id = player.start(length=5)
    player.play_through(game_id)
    client.post(f"/games/{game_id}/results", data={"nickname": "Ada"})
    refused = client.post("/packs/tiny-pretty-things/delete")
    assert refused.status_code == 303 and refused.headers["Location"].startswith("/admin/login")
    assert client.get("/api/packs").get_json()["packs"] != []
    sign_in(client)
    assert "Delete this pack" in client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    assert client.post("/packs/tiny-pretty-things/delete").status_code == 303
    assert client.get("/api/packs").get_json()["packs"] == []
    with app.app_context():
        session = get_session()
        for table in (models.Game, models.GameRound, models.LeaderboardEntry, models.Question):
            assert session.exec(table.__table__.select()).all() == [], table
        assert all(c.entries == 0 for c in session.exec(models.LeaderboardCount.__table__.select()).all())


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH)
def test_the_admin_removes_a_score_from_every_board(app, client, pack, player):
    game_id = player.start(length=5)
    player.play_through(game_id)
    client.post(f"/games/{game_id}/results", data={"nickname": "Rude"})
    board = "/leaderboards/tiny-pretty-things?settings=5-mixed-untimed"
    assert "Remove" not in client.get(board).get_data(as_text=True)
    assert client.post(f"/leaderboards/entries/{game_id}/remove").headers["Location"].startswith("/admin/login")
    sign_in(client)
    assert "Remove<span class=\"visually-hidden\"> Rude</span>" in client.get(board).get_data(as_text=True)
    done = client.post(f"/leaderboards/entries/{game_id}/remove", data={"next": board})
    assert done.status_code == 303 and done.headers["Location"] == board
    assert "Rude" not in client.get(board).get_data(as_text=True)
    assert client.get("/api/leaderboards/all?length=5").get_json()["size"] == 0
    with app.app_context():
        assert get_session().exec(models.LeaderboardEntry.__table__.select()).all() == []
    # the player cannot post the removed score again
    assert client.post(f"/games/{game_id}/results", data={"nickname": "Nice"}).status_code == 303
    assert client.get("/api/leaderboards/all?length=5").get_json()["size"] == 0


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH, WTF_CSRF_ENABLED=True)
def test_admin_actions_need_the_csrf_token(client, pack):
    page = client.get("/admin/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/admin/login", data={"password": PASSWORD, "csrf_token": token}).status_code == 303
    assert client.post("/packs/tiny-pretty-things/delete").status_code == 400  # no token: refused
    assert client.get("/api/packs").get_json()["packs"] != []


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH)
def test_the_admin_lets_anyone_download_a_pack_and_makes_it_play_only_again(app, client, pack):
    url = "/packs/tiny-pretty-things/download/json"
    assert client.post("/packs/tiny-pretty-things/answers").headers["Location"].startswith("/admin/login")
    sign_in(client)
    assert "Let anyone download it" in client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    assert client.post("/packs/tiny-pretty-things/answers").status_code == 303
    assert "Make it play-only again" in client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    visitor = app.test_client()
    assert visitor.get(url).status_code == 200
    assert "its games are played for fun, not ranked" in visitor.get("/packs/tiny-pretty-things").get_data(as_text=True)
    client.post("/packs/tiny-pretty-things/answers")
    assert visitor.get(url).status_code == 403


def test_the_password_command_hashes_and_refuses_a_short_one(tmp_path):
    code = ("import sys; from webapp.cli import main; "
            "sys.argv = ['quizgen', 'admin', 'password', '--print-hash', '--password', sys.argv[1]]; main()")
    env = {**os.environ, "QUIZGEN_SECRET_KEY": "k"}
    short = subprocess.run([sys.executable, "-c", code, "short"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert short.returncode == 1 and "at least 10 characters" in short.stderr and "Traceback" not in short.stderr
    done = subprocess.run([sys.executable, "-c", code, PASSWORD], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    hashed = done.stdout.strip()
    assert check_password_hash(hashed, PASSWORD) and PASSWORD not in hashed


def test_a_kept_hash_is_read_from_the_instance_folder_and_the_environment_wins(tmp_path):
    from webapp.config import load_config, write_admin_hash

    assert load_config(tmp_path, environ={})["ADMIN_PASSWORD_HASH"] is None
    path = write_admin_hash(tmp_path, HASH)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert load_config(tmp_path, environ={})["ADMIN_PASSWORD_HASH"] == HASH
    assert load_config(tmp_path, environ={"QUIZGEN_ADMIN_PASSWORD_HASH": "other"})["ADMIN_PASSWORD_HASH"] == "other"


def test_public_uploads_are_on_in_development_and_off_in_production(tmp_path):
    import secrets

    from webapp.config import load_config
    from webapp.exceptions import ConfigurationError

    assert load_config(tmp_path, environ={})["PUBLIC_UPLOADS"] is True
    production = {"QUIZGEN_ENV": "production", "QUIZGEN_SECRET_KEY": secrets.token_hex(32)}
    assert load_config(tmp_path, environ=production)["PUBLIC_UPLOADS"] is False
    assert load_config(tmp_path, environ={**production, "QUIZGEN_PUBLIC_UPLOADS": "1"})["PUBLIC_UPLOADS"] is True
    with pytest.raises(ConfigurationError, match="QUIZGEN_PUBLIC_UPLOADS='yes' must be 1"):
        load_config(tmp_path, environ={"QUIZGEN_PUBLIC_UPLOADS": "yes"})


@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH)
def test_a_visitors_pack_ranks_overall_only_once_the_admin_approves_it(app, client, player):
    pack = open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "questions", "packs", "tiny-pretty-things.json"),
                "rb").read()
    client.post("/upload", data={"file": (io.BytesIO(pack), "p.json")}, content_type="multipart/form-data")
    assert "once the admin approves it" in client.get("/packs/tiny-pretty-things").get_data(as_text=True)

    def play_and_post(nickname: str) -> None:
        game_id = player.start(length=5)
        player.play_through(game_id)
        assert client.post(f"/games/{game_id}/results", data={"nickname": nickname}).status_code == 303

    play_and_post("Author")
    assert client.get("/api/leaderboards/tiny-pretty-things?length=5").get_json()["size"] == 1
    assert client.get("/api/leaderboards/all?length=5").get_json()["size"] == 0  # not overall yet
    assert "counts here only once the admin approves it" in client.get("/leaderboards/").get_data(as_text=True)
    assert client.post("/packs/tiny-pretty-things/approve").headers["Location"].startswith("/admin/login")
    sign_in(client)
    assert "Approve for the overall leaderboard" in client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    client.post("/packs/tiny-pretty-things/approve")
    assert "once the admin approves it" not in client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    play_and_post("Later")
    overall = client.get("/api/leaderboards/all?length=5").get_json()
    assert [e["nickname"] for e in overall["entries"]] == ["Later"]  # from the approval on


@pytest.mark.public_answers  # so that hiding, not play-only, is what keeps it from the API
@pytest.mark.app_config(ADMIN_PASSWORD_HASH=HASH)
def test_a_hidden_pack_is_for_the_admin_alone(app, client, pack):
    from webapp.db import get_engine

    visitor = app.test_client()
    sign_in(client)
    client.post("/packs/tiny-pretty-things/hide")
    for url in ("/packs/tiny-pretty-things", "/leaderboards/tiny-pretty-things", "/api/packs/tiny-pretty-things",
                "/packs/tiny-pretty-things/download/json"):
        assert visitor.get(url).status_code == 404, url
    assert visitor.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"}).status_code == 404
    assert visitor.get("/api/packs").get_json()["packs"] == []
    assert visitor.get("/api.php?amount=1").get_json()["response_code"] == 1  # no question to draw from
    assert "Tiny Pretty Things" not in visitor.get("/").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)  # the admin still sees it, marked
    assert "Tiny Pretty Things</a> <span class=\"tag\">(hidden)</span>" in home
    assert client.get("/packs/tiny-pretty-things/download/json").status_code == 200
    assert "Show this pack to everyone again" in client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    client.post("/packs/tiny-pretty-things/hide")  # shown again
    assert visitor.get("/packs/tiny-pretty-things").status_code == 200
    assert visitor.get("/api.php?amount=1").get_json()["response_code"] == 0
    get_engine(app).dispose()
