"""The database: one engine per app, one session per request, schema through Alembic only."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"  # shipped in the package (package data)
_ENGINE_KEY = "quizgen_engine"


def make_engine(url: str, *, busy_timeout_ms: int = 5000) -> Engine:
    """An engine for ``url``; SQLite connections get WAL mode, a busy timeout and foreign keys."""
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    connect_args = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
    if make_url(url).database in (None, "", ":memory:"):  # private to a connection: SQLAlchemy keeps one a thread
        engine = create_engine(url, connect_args=connect_args)
    else:
        # One connection per process: SQLite has one writer, and threads queue for it in the pool rather
        # than in SQLite's busy handler, which sleeps; the connection's page cache also stays warm.
        engine = create_engine(url, connect_args=connect_args, pool_size=1, max_overflow=0)

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
        finally:
            cursor.close()

    return engine


def init_app(app: Flask) -> None:
    """Give ``app`` its engine and close each request's session when the request ends."""
    app.extensions[_ENGINE_KEY] = make_engine(app.config["DATABASE_URL"],
                                              busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    # At the end of each request, also when it shares an app context that lives on (a test's, a CLI's):
    # its connection goes back to the pool at once.
    app.teardown_request(_close_session)
    app.teardown_appcontext(_close_session)


def get_engine(app: Flask | None = None) -> Engine:
    """The engine of ``app`` (default: the current app)."""
    return (app or current_app).extensions[_ENGINE_KEY]


def get_session() -> Session:
    """This request's (or app context's) database session, opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine())
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def alembic_config(connection=None):
    """An Alembic configuration for ``migrations/``, optionally bound to an open connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade_database(app: Flask, revision: str = "head") -> None:
    """Bring the app's database schema to ``revision`` (default: the newest) with Alembic."""
    from alembic import command

    engine = get_engine(app)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch migrations copy tables; with foreign keys on, dropping the old copy would cascade.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        command.upgrade(alembic_config(connection), revision)
        connection.commit()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
