"""Whether a pack's answers are public: anyone may download it or draw its questions from the API, and
its games are then played but not ranked; and, on each game, whether they were public when it started.
Every pack is play-only after the upgrade (before it, anyone could download any pack: an instance whose
packs were downloaded should make them public again, or import new ones).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pack") as batch:
        batch.add_column(sa.Column("answers_public", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("game") as batch:
        batch.add_column(sa.Column("answers_public", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("game") as batch:
        batch.drop_column("answers_public")
    with op.batch_alter_table("pack") as batch:
        batch.drop_column("answers_public")
