"""Proposals: merge/pull requests opened to add a drafted publiccode.yml, one per record.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 17:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'proposals',
        sa.Column('record_id', sa.String(length=1024), nullable=False),
        sa.Column('forge', sa.String(length=63), nullable=False),
        sa.Column('repository_url', sa.Text(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('branch', sa.String(length=255), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('record_id'),
    )
    op.create_index('ix_proposals_forge', 'proposals', ['forge'])


def downgrade() -> None:
    op.drop_index('ix_proposals_forge', table_name='proposals')
    op.drop_table('proposals')
