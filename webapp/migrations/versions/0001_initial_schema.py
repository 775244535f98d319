"""Initial schema: packs, their questions, solo games and their rounds.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pack",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("imported_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack")),
    )
    op.create_table(
        "question",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(length=80), nullable=False),
        sa.Column("qid", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("difficulty", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("show", sa.String(length=300), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["pack_id"], ["pack.id"], name=op.f("fk_question_pack_id_pack"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_question")),
        sa.UniqueConstraint("pack_id", "qid", name=op.f("uq_question_pack_id")),
    )
    op.create_index("ix_question_pack_difficulty", "question", ["pack_id", "difficulty", "position"])
    op.create_index(op.f("ix_question_kind"), "question", ["kind"])
    op.create_table(
        "game",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("player", sa.String(length=40), nullable=False),
        sa.Column("pack_id", sa.String(length=80), nullable=False),
        sa.Column("difficulty", sa.String(length=10), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("timed", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("time_ms", sa.BigInteger(), nullable=False),
        sa.Column("finished_ms", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["pack_id"], ["pack.id"], name=op.f("fk_game_pack_id_pack"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_game")),
    )
    op.create_index(op.f("ix_game_player"), "game", ["player"])
    op.create_table(
        "game_round",
        sa.Column("game_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=16), nullable=False),
        sa.Column("question_data", sa.Text(), nullable=False),
        sa.Column("option_order", sa.String(length=8), nullable=False),
        sa.Column("shown_ms", sa.BigInteger(), nullable=True),
        sa.Column("answered_ms", sa.BigInteger(), nullable=True),
        sa.Column("choice", sa.Integer(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["game_id"], ["game.id"], name=op.f("fk_game_round_game_id_game"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("game_id", "position", name=op.f("pk_game_round")),
    )


def downgrade() -> None:
    op.drop_table("game_round")
    op.drop_index(op.f("ix_game_player"), table_name="game")
    op.drop_table("game")
    op.drop_index(op.f("ix_question_kind"), table_name="question")
    op.drop_index("ix_question_pack_difficulty", table_name="question")
    op.drop_table("question")
    op.drop_table("pack")
