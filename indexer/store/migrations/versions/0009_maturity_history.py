"""Maturity history: each record's maturity assessment per crawl, kept when a level changed.

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-02 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'maturity_history',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('record_id', sa.String(length=1024), nullable=False),
        sa.Column('assessed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('criteria', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_maturity_history_record_id', 'maturity_history', ['record_id'])


def downgrade() -> None:
    op.drop_index('ix_maturity_history_record_id', table_name='maturity_history')
    op.drop_table('maturity_history')
