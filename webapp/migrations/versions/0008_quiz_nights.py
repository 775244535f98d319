"""Quiz nights: a night and its drawn questions, its players, one answer per player per question, the
round each team doubles, and how players did on each question across nights.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('night',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('host_key_hash', sa.String(length=64), nullable=False),
    sa.Column('plan', sa.Text(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.Column('started_ms', sa.BigInteger(), nullable=True),
    sa.Column('ended_ms', sa.BigInteger(), nullable=True),
    sa.Column('paused_ms', sa.BigInteger(), nullable=True),
    sa.Column('seen_ms', sa.BigInteger(), nullable=False),
    sa.Column('run_of', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_night')),
    sa.UniqueConstraint('code', name=op.f('uq_night_code'))
    )
    with op.batch_alter_table('night', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_night_phase'), ['phase'], unique=False)

    op.create_table('question_stat',
    sa.Column('question_id', sa.String(length=16), nullable=False),
    sa.Column('difficulty', sa.String(length=10), nullable=False),
    sa.Column('asked', sa.Integer(), nullable=False),
    sa.Column('right', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('question_id', name=op.f('pk_question_stat'))
    )
    op.create_table('night_joker',
    sa.Column('night_id', sa.String(length=40), nullable=False),
    sa.Column('side', sa.String(length=48), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['night_id'], ['night.id'], name=op.f('fk_night_joker_night_id_night'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('night_id', 'side', name=op.f('pk_night_joker'))
    )
    op.create_table('night_player',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('night_id', sa.String(length=40), nullable=False),
    sa.Column('nickname', sa.String(length=80), nullable=False),
    sa.Column('name_key', sa.String(length=400), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('team', sa.String(length=40), nullable=True),
    sa.Column('time_factor', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('streak', sa.Integer(), nullable=False),
    sa.Column('right', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('joined_ms', sa.BigInteger(), nullable=False),
    sa.Column('tiebreak_off', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['night_id'], ['night.id'], name=op.f('fk_night_player_night_id_night'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_night_player')),
    sa.UniqueConstraint('night_id', 'name_key', name=op.f('uq_night_player_night_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_night_player_token_hash'))
    )
    with op.batch_alter_table('night_player', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_night_player_night_id'), ['night_id'], unique=False)

    op.create_table('night_question',
    sa.Column('night_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=16), nullable=False),
    sa.Column('question_data', sa.Text(), nullable=False),
    sa.Column('option_order', sa.String(length=8), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('tiebreak', sa.Boolean(), nullable=False),
    sa.Column('opened_ms', sa.BigInteger(), nullable=True),
    sa.Column('extra_ms', sa.BigInteger(), nullable=False),
    sa.Column('closed_ms', sa.BigInteger(), nullable=True),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.Column('asked', sa.Integer(), nullable=True),
    sa.Column('answered_right', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['night_id'], ['night.id'], name=op.f('fk_night_question_night_id_night'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('night_id', 'position', name=op.f('pk_night_question'))
    )
    op.create_table('night_answer',
    sa.Column('night_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('player_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Integer(), nullable=False),
    sa.Column('guess', sa.Float(), nullable=True),
    sa.Column('received_ms', sa.BigInteger(), nullable=False),
    sa.Column('elapsed_ms', sa.BigInteger(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['night_id'], ['night.id'], name=op.f('fk_night_answer_night_id_night'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['player_id'], ['night_player.id'], name=op.f('fk_night_answer_player_id_night_player'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('night_id', 'position', 'player_id', name=op.f('pk_night_answer'))
    )


def downgrade() -> None:
    op.drop_table('night_answer')
    op.drop_table('night_question')
    with op.batch_alter_table('night_player', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_night_player_night_id'))

    op.drop_table('night_player')
    op.drop_table('night_joker')
    op.drop_table('question_stat')
    with op.batch_alter_table('night', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_night_phase'))
    op.drop_table('night')
