"""Leaderboards, the nickname a score was posted under, an index on question categories.

Posted scores are one row per board and period; the category index serves the question API.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leaderboard_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board", sa.String(length=90), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("time_ms", sa.BigInteger(), nullable=False),
        sa.Column("nickname", sa.String(length=80), nullable=False),
        sa.Column("game_id", sa.String(length=40), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leaderboard_entry")),
        sa.UniqueConstraint("board", "period", "game_id", name=op.f("uq_leaderboard_entry_board")),
    )
    # The top 10 of a board for a period is a scan of this index in ranking order.
    op.create_index("ix_leaderboard_rank", "leaderboard_entry",
                    ["board", "period", sa.literal_column("score DESC"), "time_ms", "id"])
    with op.batch_alter_table("game") as batch:
        batch.add_column(sa.Column("nickname", sa.String(length=80), nullable=True))
    op.create_index("ix_question_category_difficulty", "question", ["category", "difficulty"])


def downgrade() -> None:
    op.drop_index("ix_question_category_difficulty", table_name="question")
    with op.batch_alter_table("game") as batch:
        batch.drop_column("nickname")
    op.drop_index("ix_leaderboard_rank", table_name="leaderboard_entry")
    op.drop_table("leaderboard_entry")
