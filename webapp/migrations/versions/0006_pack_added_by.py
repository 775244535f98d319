"""Who added a pack (the command line "import", the signed-in admin "admin", or a visitor's upload), and
whether its scores go on the overall leaderboard (a visitor's pack only once the admin approves it), and
whether the admin has hidden it (listed, played, downloaded and served by the API for nobody else).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pack") as batch:
        batch.add_column(sa.Column("added_by", sa.String(length=16), nullable=False, server_default="import"))
        batch.add_column(sa.Column("on_overall_board", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("pack") as batch:
        batch.drop_column("hidden")
        batch.drop_column("on_overall_board")
        batch.drop_column("added_by")
