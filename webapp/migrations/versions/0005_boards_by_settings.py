"""Leaderboards by game settings: a board is a pack (or all packs) for one length, difficulty and timer.

A board's name gains its settings (``pack:tiny-pretty-things|10-mixed-untimed``), so that only
comparable games are ranked together. Entries already posted move to the board of their game's
settings, and the counts are made again from them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SETTINGS = ("(SELECT CAST(g.length AS VARCHAR(4)) || '-' || g.difficulty || '-' || "
             "CASE WHEN g.timed THEN 'timed' ELSE 'untimed' END FROM game g WHERE g.id = leaderboard_entry.game_id)")


def _widen_board(length: int, was: int) -> None:
    # SQLite's batch mode copies the table, and would copy the rank index without its "score DESC":
    # the index is made again, as 0002 made it
    op.drop_index("ix_leaderboard_rank", table_name="leaderboard_entry")
    for table in ("leaderboard_entry", "leaderboard_count"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("board", type_=sa.String(length=length), existing_type=sa.String(length=was),
                               existing_nullable=False)
    op.create_index("ix_leaderboard_rank", "leaderboard_entry",
                    ["board", "period", sa.literal_column("score DESC"), "time_ms", "id"])


def upgrade() -> None:
    _widen_board(120, 90)
    op.execute(f"UPDATE leaderboard_entry SET board = board || '|' || {_SETTINGS} "
               "WHERE EXISTS (SELECT 1 FROM game g WHERE g.id = leaderboard_entry.game_id)")
    op.execute("DELETE FROM leaderboard_count")
    op.execute("INSERT INTO leaderboard_count (board, period, entries) "
               "SELECT board, period, count(*) FROM leaderboard_entry GROUP BY board, period")


def downgrade() -> None:
    op.execute("UPDATE leaderboard_entry SET board = substr(board, 1, strpos(board, '|') - 1) "
               "WHERE board LIKE '%|%'" if op.get_bind().dialect.name == "postgresql" else
               "UPDATE leaderboard_entry SET board = substr(board, 1, instr(board, '|') - 1) WHERE board LIKE '%|%'")
    op.execute("DELETE FROM leaderboard_count")
    op.execute("INSERT INTO leaderboard_count (board, period, entries) "
               "SELECT board, period, count(*) FROM leaderboard_entry GROUP BY board, period")
    _widen_board(90, 120)
