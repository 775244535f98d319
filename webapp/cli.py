"""The ``quizgen`` command: the library's commands (validate, generate, ...) and the game's: serve, import, db.

The click commands are thin; the plain functions below do the work (and tests call them).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from quizgen.cli import QUESTIONS_DIR, Failed, main as library_commands
from webapp import create_app
from webapp.config import write_admin_hash
from webapp.db import upgrade_database
from webapp.packs import FACTS_SUFFIXES, Pack, QuizgenError, pack_from_path
from webapp.solo.store import now_ms, purge_abandoned_games

REPO_QUESTIONS = Path(__file__).resolve().parent.parent / "questions"
ADMIN_PASSWORD_MIN = 10


def db_upgrade(app: Flask | None = None) -> str:
    """Bring the configured database to the newest schema; say which database."""
    app = app or create_app()
    upgrade_database(app)
    url = make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
    return f"database {url} is up to date"


def import_paths(paths: Iterable[str | Path], app: Flask | None = None, *,
                 answers_public: bool | None = None) -> list[str]:
    """Import facts files (built into packs) and pack files; one line per pack. Nothing is written if any fails.

    ``answers_public``: True lets anyone download the packs (their games are then not ranked), False
    makes them play-only, None keeps what a stored pack has (a new one is play-only).
    """
    from webapp.catalog.store import save_pack

    app = app or create_app()
    loaded: list[tuple[Path, Pack]] = [(Path(p), pack_from_path(p)) for p in paths]
    upgrade_database(app)
    lines = []
    with app.app_context():
        for path, pack in loaded:
            created = save_pack(pack, now_ms=now_ms(), answers_public=answers_public)
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
    """On a database without packs, build and import a pack from each facts file; skip (and report) bad files.

    Outside development the packs are imported with public answers, so their games are not ranked.
    """
    from webapp.catalog.store import list_packs

    with app.app_context():
        if list_packs():
            return []
    # Their facts and packs are published in quizgen's repository: ranked on a laptop or in a classroom,
    # public (played, not ranked) on an instance that faces strangers.
    answers_public = app.config["QUIZGEN_ENV"] != "development"
    lines = []
    for path in facts_files(questions_dir):
        try:
            lines += import_paths([path], app=app, answers_public=answers_public)
        except QuizgenError as exc:
            print(f"quizgen: skipped {path}: {exc}", file=sys.stderr)
    return lines


OPEN_FILES_WANTED = 4096  # each player's phone holds a connection open all night


def serve(host: str = "127.0.0.1", port: int = 5000, *, questions_dir: str | Path | None = None) -> None:
    """Upgrade the database, import the starter packs on a fresh one, and serve the game until stopped.

    One process on gevent's WSGI server: a greenlet per connection holds a whole quiz night's phones
    (WebSocket through simple-websocket); the in-memory rate limits and SQLite like one process.
    """
    from gevent import monkey
    from gevent.pywsgi import WSGIServer

    if not monkey.is_module_patched("threading"):  # webapp/launch.py does it first; waits would block everything
        raise QuizgenError("start the game with `quizgen serve` or `python -m webapp serve` (they load gevent "
                           "before anything else)")

    app = create_app({"SOCKETIO_ASYNC_MODE": "gevent"})
    upgrade_database(app)
    if questions_dir is None:
        questions_dir = Path("questions") if Path("questions").is_dir() else REPO_QUESTIONS
    for line in import_starter_packs(app, questions_dir):
        print(line)
    with app.app_context():
        purge_abandoned_games(now_ms())
    raise_open_files_limit(OPEN_FILES_WANTED)
    server = WSGIServer((host, port), app, backlog=1024, log=None, error_log=server_error_log())
    try:
        server.init_socket()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise QuizgenError(f"cannot serve on {host}:{port}: {reason} "
                           f"(another quizgen serve? choose another with --port)") from None
    print(f"quizgen serving on http://{host}:{port}", flush=True)
    if host in ("0.0.0.0", "::"):
        from webapp.live.views import lan_address

        lan = lan_address()
        if lan:
            print(f"phones on this network reach it at http://{lan}:{port} (host a quiz night at /host)", flush=True)
    server.serve_forever()


_FRAME_READ_AS_REQUEST = re.compile(r"(Invalid HTTP method: |Got command=)'\\x8")


class _NotAClosedWebSocket(logging.Filter):
    """After a phone's WebSocket ends, gevent's server reads the last frames the phone sent (a frame's
    first byte is 0x81-0x8A) as a request line and reports it; the connection is over, nothing is lost,
    so those lines are left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        return _FRAME_READ_AS_REQUEST.search(record.getMessage()) is None


def server_error_log() -> logging.Logger:
    """Where the WSGI server reports errors: standard error, less the closed-WebSocket noise."""
    log = logging.getLogger("quizgen.server")
    if not log.handlers:
        log.addHandler(logging.StreamHandler(sys.stderr))
        log.addFilter(_NotAClosedWebSocket())
        log.propagate = False
    return log


def raise_open_files_limit(wanted: int) -> int:
    """Let this process hold ``wanted`` open connections where the system allows (the soft limit is often 1024)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to raise
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


# --- the command line ------------------------------------------------------------------------------

@click.group()
def game_commands() -> None:
    """The web game's commands."""


@game_commands.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="0.0.0.0 lets phones on the LAN join.")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--questions", "folder", type=click.Path(file_okay=False), default=str(QUESTIONS_DIR),
              show_default=True, help="Facts files imported into a fresh database.")
def serve_command(host, port, folder) -> None:
    """Start the game (upgrading the database and importing the packs from questions/ on a fresh one)."""
    try:
        serve(host, port, questions_dir=folder)
    except QuizgenError as exc:
        raise Failed(str(exc)) from None


@game_commands.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--public-answers/--play-only", "answers_public", default=None,
              help="Let anyone download the packs (their games are then not ranked), or keep their answers on "
                   "the server (play-only). Default: a new pack is play-only; a stored one keeps its choice.")
def import_command(paths, answers_public) -> None:
    """Add facts files (built into packs) or packs to the game's database."""
    try:
        for line in import_paths(paths, answers_public=answers_public):
            click.echo(line)
    except QuizgenError as exc:
        raise Failed(str(exc)) from None


@game_commands.group()
def db() -> None:
    """The game's database."""


@db.command()
def upgrade() -> None:
    """Apply the database migrations (keeps every row)."""
    try:
        click.echo(db_upgrade())
    except QuizgenError as exc:
        raise Failed(str(exc)) from None


@game_commands.group()
def admin() -> None:
    """The instance's admin (who may upload, delete packs and remove scores)."""


@admin.command()
@click.password_option("--password", prompt="Admin password", help="Asked for when not given.")
@click.option("--print-hash", is_flag=True, help="Print the hash (for QUIZGEN_ADMIN_PASSWORD_HASH) instead of keeping it.")
def password(password: str, print_hash: bool) -> None:
    """Set the admin password (kept hashed in the instance folder)."""
    if len(password) < ADMIN_PASSWORD_MIN:
        raise Failed(f"the admin password must be at least {ADMIN_PASSWORD_MIN} characters")
    hashed = generate_password_hash(password)
    if print_hash:
        click.echo(hashed)
        return
    path = write_admin_hash(create_app().instance_path, hashed)
    click.echo(f"admin password set (its hash is in {path}; QUIZGEN_ADMIN_PASSWORD_HASH, if set, wins)")


main = click.CommandCollection(
    name="quizgen", sources=[library_commands, game_commands], help=library_commands.help,
    params=list(library_commands.params), context_settings=library_commands.context_settings)


if __name__ == "__main__":
    main()
