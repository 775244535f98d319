"""What quizgen's command line does for the web game: serve it, import packs, upgrade the database.

Plain functions (the click commands live in quizgen's CLI and call these).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url

from . import create_app
from .db import upgrade_database
from .games import now_ms, purge_abandoned_games
from .packs import FACTS_SUFFIXES, Pack, QuizgenError, pack_from_path

REPO_QUESTIONS = Path(__file__).resolve().parent.parent / "questions"


def db_upgrade(app: Flask | None = None) -> str:
    """Bring the configured database to the newest schema; say which database."""
    app = app or create_app()
    upgrade_database(app)
    url = make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
    return f"database {url} is up to date"


def import_paths(paths: Iterable[str | Path], app: Flask | None = None) -> list[str]:
    """Import facts files (built into packs) and pack files; one line per pack. Nothing is written if any fails."""
    from .queries import save_pack

    app = app or create_app()
    loaded: list[tuple[Path, Pack]] = [(Path(p), pack_from_path(p)) for p in paths]
    upgrade_database(app)
    lines = []
    with app.app_context():
        for path, pack in loaded:
            created = save_pack(pack, now_ms=now_ms())
            n = len(pack.questions)
            lines.append(f"{'imported' if created else 'updated'} pack {pack.id} ({pack.title}, "
                         f"{n} question{'' if n == 1 else 's'}) from {path}")
    return lines


def facts_files(questions_dir: str | Path) -> list[Path]:
    """The facts files of a questions folder, by name."""
    folder = Path(questions_dir)
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FACTS_SUFFIXES and p.is_file()) \
        if folder.is_dir() else []


def import_starter_packs(app: Flask, questions_dir: str | Path) -> list[str]:
    """On a database without packs, build and import a pack from each facts file; skip (and report) bad files."""
    from .queries import list_packs

    with app.app_context():
        if list_packs():
            return []
    lines = []
    for path in facts_files(questions_dir):
        try:
            lines += import_paths([path], app=app)
        except QuizgenError as exc:
            print(f"quizgen: skipped {path}: {exc}", file=sys.stderr)
    return lines


def serve(host: str = "127.0.0.1", port: int = 5000, *, questions_dir: str | Path | None = None,
          threads: int = 8) -> None:
    """Upgrade the database, import the starter packs on a fresh one, and serve the game until stopped."""
    app = create_app()
    upgrade_database(app)
    if questions_dir is None:
        questions_dir = Path("questions") if Path("questions").is_dir() else REPO_QUESTIONS
    for line in import_starter_packs(app, questions_dir):
        print(line)
    with app.app_context():
        purge_abandoned_games(now_ms())
    print(f"quizgen serving on http://{host}:{port}", flush=True)
    _run_server(app, host, port, threads)


def _run_server(app: Flask, host: str, port: int, threads: int) -> None:
    """Waitress (production-grade, one process: the in-memory rate limits and SQLite like that); else Werkzeug."""
    try:
        from waitress import serve as waitress_serve
    except ImportError:
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True)
        return
    waitress_serve(app, host=host, port=port, threads=threads, ident="quizgen")
