"""The database layer: SQLite pragmas, PostgreSQL through the same setting, sessions per request."""

from __future__ import annotations

from sqlalchemy import text

from webapp import db


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=4321)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 4321
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_app_database_is_the_configured_one(app, database_url):
    with app.app_context():
        session = db.get_session()
        backend = session.get_bind().dialect.name
        assert backend == ("sqlite" if database_url.startswith("sqlite") else "postgresql")
        if backend == "sqlite":
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        else:
            assert session.execute(text("SHOW search_path")).scalar().startswith("quizgen_test_")


def test_one_session_per_app_context_closed_at_the_end(app):
    with app.app_context():
        first = db.get_session()
        assert db.get_session() is first
    with app.app_context():
        assert db.get_session() is not first


def test_deleting_a_pack_deletes_its_questions(app, pack):
    from webapp import models
    from webapp.catalog.store import pack_questions

    with app.app_context():
        session = db.get_session()
        session.delete(session.get(models.Pack, pack.id))
        session.commit()
        assert pack_questions(pack.id) == []
