"""A running count of entries per leaderboard and period, so a board page never counts the whole board.

Backfilled from the entries already posted: an upgraded database shows the same sizes as before.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leaderboard_count",
        sa.Column("board", sa.String(length=90), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("board", "period", name=op.f("pk_leaderboard_count")),
    )
    op.execute("INSERT INTO leaderboard_count (board, period, entries) "
               "SELECT board, period, count(*) FROM leaderboard_entry GROUP BY board, period")


def downgrade() -> None:
    op.drop_table("leaderboard_count")
