"""Whether a pack's answers are public: anyone may download it or draw its questions from the API, and
its games are then played but not ranked. Packs start play-only (answers stay on the server).

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


def downgrade() -> None:
    with op.batch_alter_table("pack") as batch:
        batch.drop_column("answers_public")
