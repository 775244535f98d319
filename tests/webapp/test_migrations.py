"""Schema changes go through Alembic: upgrades keep every row, and the newest revision matches models.py."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from webapp import create_app, db

FIRST = "0001"


def _app(url, tmp_path):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "t"}, instance_path=str(tmp_path))


def test_there_are_several_revisions_in_one_line():
    script = ScriptDirectory.from_config(db.alembic_config())
    revisions = list(script.walk_revisions())
    assert len(revisions) >= 2
    assert len(script.get_heads()) == 1
    assert script.get_base() == FIRST


def test_upgrade_from_the_first_revision_keeps_every_row(empty_database_url, tmp_path):
    app = _app(empty_database_url, tmp_path)
    db.upgrade_database(app, FIRST)
    engine = db.get_engine(app)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO pack (id, title, question_count, meta, imported_ms) "
                          "VALUES ('p', 'Pack P', 2, '{}', 1)"))
        for i in range(2):
            conn.execute(text("INSERT INTO question (pack_id, qid, position, difficulty, kind, category, show, data) "
                              "VALUES ('p', :qid, :i, 'easy', 'cast', 'TV', 'Show', '{}')"),
                         {"qid": f"{i:016x}", "i": i})
        conn.execute(text("INSERT INTO game (id, player, pack_id, difficulty, length, timed, seed, created_ms, "
                          "answered, score, time_ms, finished_ms) "
                          "VALUES ('g1', 'pl', 'p', 'mixed', 2, :t, 42, 5, 2, 2000, 1234, 99)"), {"t": True})
        for i in range(2):
            conn.execute(text("INSERT INTO game_round (game_id, position, question_id, question_data, option_order, "
                              "shown_ms, answered_ms, choice, correct, late, points) "
                              "VALUES ('g1', :i, :qid, '{}', '0123', 1, 2, 1, :c, :l, 1000)"),
                         {"i": i, "qid": f"{i:016x}", "c": True, "l": False})

    def snapshot():
        with engine.connect() as conn:
            return {table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
                    for table in ("question", "game_round")} | {
                "pack": conn.execute(text("SELECT id, title, question_count, meta, imported_ms FROM pack")).all()} | {
                "game": conn.execute(text("SELECT id, player, pack_id, score, time_ms, finished_ms FROM game")).all()}

    before = snapshot()
    db.upgrade_database(app)
    assert snapshot() == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT nickname FROM game")).all() == [(None,)]
        assert conn.execute(text("SELECT added_by FROM pack")).all() == [("import",)]  # added before it was told
        assert conn.execute(text("SELECT count(*) FROM leaderboard_entry")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM leaderboard_count")).scalar() == 0
        head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
        assert MigrationContext.configure(conn).get_current_revision() == head
    engine.dispose()


def test_newest_revision_matches_the_models(empty_database_url, tmp_path):
    app = _app(empty_database_url, tmp_path)
    db.upgrade_database(app)
    engine = db.get_engine(app)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    engine.dispose()
    assert diff == [], "models.py and webapp/migrations/ disagree: write a migration"


def test_downgrade_to_nothing_and_back(empty_database_url, tmp_path):
    app = _app(empty_database_url, tmp_path)
    db.upgrade_database(app)
    engine = db.get_engine(app)
    with engine.connect() as conn:
        command.downgrade(db.alembic_config(conn), "base")
        conn.commit()
    db.upgrade_database(app)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM leaderboard_entry")).scalar() == 0
    engine.dispose()


def test_upgrade_twice_is_harmless(database_url, tmp_path):
    app = _app(database_url, tmp_path)
    db.upgrade_database(app)
    db.upgrade_database(app)
    db.get_engine(app).dispose()


def test_upgrade_counts_the_leaderboard_entries_already_posted(empty_database_url, tmp_path):
    """0004 adds leaderboard_count and fills it from the entries an older database holds."""
    app = _app(empty_database_url, tmp_path)
    db.upgrade_database(app, "0003")
    engine = db.get_engine(app)
    rows = [("all", "all", "g1"), ("all", "all", "g2"), ("all", "w2025-W47", "g1"), ("pack:p", "all", "g1"),
            ("pack:p", "all", "g2"), ("pack:p", "all", "g3")]
    with engine.begin() as conn:
        for i, (board, period, game_id) in enumerate(rows):
            conn.execute(text("INSERT INTO leaderboard_entry (board, period, score, time_ms, nickname, game_id, "
                              "created_ms) VALUES (:b, :p, :s, 1000, 'Ada', :g, 1)"),
                         {"b": board, "p": period, "s": 1000 * i, "g": game_id})
    db.upgrade_database(app)
    with engine.connect() as conn:
        counts = {(b, p): n for b, p, n in conn.execute(text("SELECT board, period, entries FROM leaderboard_count"))}
        assert conn.execute(text("SELECT count(*) FROM leaderboard_entry")).scalar() == len(rows)
    engine.dispose()
    assert counts == {("all", "all"): 2, ("all", "w2025-W47"): 1, ("pack:p", "all"): 3}


def test_upgrade_moves_posted_scores_to_the_board_of_their_games_settings(empty_database_url, tmp_path):
    """0005: a board ranks one setting of games; scores posted before move to their game's, and are counted."""
    app = _app(empty_database_url, tmp_path)
    db.upgrade_database(app, "0004")
    engine = db.get_engine(app)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO pack (id, title, question_count, meta, imported_ms) VALUES ('p', 'P', 2, '{}', 1)"))
        for game_id, length, difficulty, timed in (("g1", 10, "mixed", False), ("g2", 5, "hard", True)):
            conn.execute(text("INSERT INTO game (id, player, pack_id, difficulty, length, timed, seed, created_ms, "
                              "answered, score, time_ms, finished_ms, nickname) "
                              "VALUES (:g, 'pl', 'p', :d, :n, :t, 1, 1, :n, 1000, 10, 2, 'Ada')"),
                         {"g": game_id, "d": difficulty, "n": length, "t": timed})
            for board in ("all", "pack:p"):
                conn.execute(text("INSERT INTO leaderboard_entry (board, period, score, time_ms, nickname, game_id, "
                                  "created_ms) VALUES (:b, 'all', 1000, 10, 'Ada', :g, 1)"), {"b": board, "g": game_id})
        conn.execute(text("INSERT INTO leaderboard_count (board, period, entries) VALUES ('all', 'all', 2), "
                          "('pack:p', 'all', 2)"))
    db.upgrade_database(app)
    with engine.connect() as conn:
        entries = sorted(conn.execute(text("SELECT board, game_id FROM leaderboard_entry")).all())
        counts = sorted(conn.execute(text("SELECT board, period, entries FROM leaderboard_count")).all())
    engine.dispose()
    assert entries == [("all|10-mixed-untimed", "g1"), ("all|5-hard-timed", "g2"),
                       ("pack:p|10-mixed-untimed", "g1"), ("pack:p|5-hard-timed", "g2")]
    assert counts == [(board, "all", 1) for board, _ in entries]
