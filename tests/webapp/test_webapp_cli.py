"""The functions quizgen's command line calls: import_paths, db_upgrade, serve."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import quizgen
from webapp import cli, create_app
from webapp.catalog.store import list_packs, pack_questions
from webapp.db import get_engine

FACTS = Path(__file__).resolve().parents[2] / "questions" / "tiny-pretty-things.yaml"


@pytest.fixture
def env_db(monkeypatch, database_url):
    """Point the environment (what the CLI functions read) at the test database."""
    monkeypatch.setenv("QUIZGEN_DATABASE_URL", database_url)
    monkeypatch.setenv("QUIZGEN_SECRET_KEY", "cli test key")
    monkeypatch.delenv("QUIZGEN_ENV", raising=False)
    return database_url


@pytest.fixture
def check_app(env_db, tmp_path):
    app = create_app(instance_path=str(tmp_path / "instance"))
    yield app
    get_engine(app).dispose()


def test_import_a_pack_file_then_update_it(check_app, tmp_path, make_pack):
    path = tmp_path / "pack.json"
    path.write_text(quizgen.dumps_pack(make_pack(n=6)), encoding="utf-8")
    assert cli.import_paths([path]) == [
        f"imported pack tiny-pretty-things (Tiny Pretty Things, 6 questions) from {path}"]
    path.write_text(quizgen.dumps_pack(make_pack(n=4)), encoding="utf-8")
    assert cli.import_paths([str(path)])[0].startswith("updated pack tiny-pretty-things (Tiny Pretty Things, 4 ")
    with check_app.app_context():
        assert [p.question_count for p in list_packs()] == [4]
        assert len(pack_questions("tiny-pretty-things")) == 4


def test_import_makes_packs_play_only_unless_asked_and_a_reimport_keeps_the_choice(check_app, tmp_path, make_pack):
    path = tmp_path / "pack.json"
    path.write_text(quizgen.dumps_pack(make_pack(n=6)), encoding="utf-8")

    def public() -> bool:
        with check_app.app_context():
            return list_packs()[0].answers_public

    run = [sys.executable, "-c", "from webapp.cli import main; main()", "import"]
    assert subprocess.run([*run, str(path)], capture_output=True, text=True).returncode == 0
    assert public() is False
    assert subprocess.run([*run, "--public-answers", str(path)], capture_output=True, text=True).returncode == 0
    assert public() is True
    assert subprocess.run([*run, str(path)], capture_output=True, text=True).returncode == 0
    assert public() is True
    assert subprocess.run([*run, "--play-only", str(path)], capture_output=True, text=True).returncode == 0
    assert public() is False


def test_import_a_facts_file_builds_its_pack(check_app):
    (line,) = cli.import_paths([FACTS])
    assert line.startswith("imported pack tiny-pretty-things (Tiny Pretty Things, ")
    with check_app.app_context():
        (summary,) = list_packs()
        assert summary.question_count == len(pack_questions("tiny-pretty-things")) > 10


def test_bad_input_raises_a_quizgen_error_and_imports_nothing(check_app, tmp_path, make_pack):
    good = tmp_path / "good.json"
    good.write_text(quizgen.dumps_pack(make_pack(n=3)), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "questions": [', encoding="utf-8")
    with pytest.raises(quizgen.QuizgenError) as info:
        cli.import_paths([good, bad])
    assert str(info.value).startswith(f"{bad}:")
    with check_app.app_context():
        assert list_packs() == []


def test_db_upgrade_names_the_database_without_its_password(env_db, monkeypatch):
    message = cli.db_upgrade()
    assert message.startswith("database ") and message.endswith(" is up to date")
    monkeypatch.setenv("QUIZGEN_DATABASE_URL", env_db.replace("postgres@", "postgres:hunter2@"))
    if env_db.startswith("postgresql"):
        assert "hunter2" not in cli.db_upgrade()


def _serve(folder: Path, port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--port", str(port), "--questions", str(folder)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _until_serving(process: subprocess.Popen) -> list[str]:
    """The lines ``quizgen serve`` prints up to its address (it is then listening)."""
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("quizgen serving on "):
            return lines
    raise AssertionError(f"serve exited: {lines} {process.stderr.read()}")


def _stop(process: subprocess.Popen) -> str:
    process.terminate()
    _, err = process.communicate(timeout=15)
    return err


def test_serve_imports_the_starter_packs_once_and_answers(env_db, tmp_path):
    folder = tmp_path / "questions"
    folder.mkdir()
    shutil.copy(FACTS, folder / FACTS.name)
    (folder / "broken.yaml").write_text("show: [\n", encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    port = _free_port()
    first = _serve(folder, port, env)
    try:
        lines = _until_serving(first)
        assert lines[-1] == f"quizgen serving on http://127.0.0.1:{port}"
        assert any(line.startswith("imported pack tiny-pretty-things") for line in lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/packs/tiny-pretty-things", timeout=5) as page:
            assert page.status == 200
    finally:
        err = _stop(first)
    assert "skipped" in err and "broken.yaml" in err
    again = _serve(folder, port, env)  # not a fresh database any more: nothing imported again
    try:
        assert not any("imported" in line for line in _until_serving(again))
    finally:
        _stop(again)


@pytest.mark.parametrize("environment, public", [("development", False), ("production", True)])
def test_starter_packs_are_ranked_in_development_and_public_in_production(env_db, tmp_path, monkeypatch,
                                                                          environment, public):
    monkeypatch.setenv("QUIZGEN_ENV", environment)
    monkeypatch.setenv("QUIZGEN_SECRET_KEY", secrets.token_hex(32))  # production wants a strong one
    folder = tmp_path / "questions"
    folder.mkdir()
    shutil.copy(FACTS, folder / FACTS.name)
    app = create_app(instance_path=str(tmp_path / "instance"))
    cli.db_upgrade(app)
    assert cli.import_starter_packs(app, folder)[0].startswith("imported pack tiny-pretty-things")
    with app.app_context():
        assert [p.answers_public for p in list_packs()] == [public]
    get_engine(app).dispose()


def test_serve_on_a_busy_port_says_so_in_one_line(env_db, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "webapp", "serve", "--port", str(port), "--questions",
                                 str(tmp_path)], env=dict(os.environ), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"cannot serve on 127.0.0.1:{port}: Address already in use (another quizgen serve? choose another with --port)")
    assert "Traceback" not in result.stderr and "quizgen serving" not in result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_wsgi_module_builds_the_app(env_db):
    import importlib

    import webapp.wsgi

    module = importlib.reload(webapp.wsgi)
    assert module.app.name == "webapp"
    get_engine(module.app).dispose()


def test_the_servers_error_log_leaves_out_frames_of_closed_websockets_only(capsys):
    log = cli.server_error_log()
    log.error(r"<socket>: (from ('127.0.0.1', 1)) Invalid HTTP method: '\x88\x82\xe0'")
    log.error(r"<socket>: (from ('127.0.0.1', 1)) Expected GET method; Got command='\x81\x89'")
    log.error("<socket>: (from ('127.0.0.1', 1)) Invalid HTTP method: 'BREW /pot HTTP/1.1'")
    assert capsys.readouterr().err.splitlines() == [
        "<socket>: (from ('127.0.0.1', 1)) Invalid HTTP method: 'BREW /pot HTTP/1.1'"]


def test_serve_refuses_to_run_without_gevent_loaded_first(env_db, tmp_path):
    result = subprocess.run([sys.executable, "-m", "webapp.cli", "serve", "--port", str(_free_port())],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].endswith(
        "start the game with `quizgen serve` or `python -m webapp serve` (they load gevent before anything else)")
