"""OpenTDB-compatible API: session tokens and the questions each has been served.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trivia_token",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("used_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_trivia_token")),
    )
    # Expired tokens are found (and deleted) by their last use.
    op.create_index(op.f("ix_trivia_token_used_ms"), "trivia_token", ["used_ms"])
    op.create_table(
        "trivia_token_seen",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["token"], ["trivia_token.token"],
                                name=op.f("fk_trivia_token_seen_token_trivia_token"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token", "question_id", name=op.f("pk_trivia_token_seen")),
    )


def downgrade() -> None:
    op.drop_table("trivia_token_seen")
    op.drop_index(op.f("ix_trivia_token_used_ms"), table_name="trivia_token")
    op.drop_table("trivia_token")
