"""Leases: which `codereuse run` process runs the scheduler and the crawls (one at a time).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'


def upgrade() -> None:
    op.create_table('leases',
    sa.Column('name', sa.String(length=63), nullable=False),
    sa.Column('holder', sa.String(length=255), nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('leases')
