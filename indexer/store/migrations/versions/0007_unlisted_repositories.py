"""Unlisted repositories: what a crawl left out of the catalogue and why (the status check).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'unlisted_repositories',
        sa.Column('forge', sa.String(length=63), nullable=False),
        sa.Column('canonical_id', sa.String(length=1024), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['forge'], ['forges.name'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('forge', 'canonical_id'),
    )


def downgrade() -> None:
    op.drop_table('unlisted_repositories')
