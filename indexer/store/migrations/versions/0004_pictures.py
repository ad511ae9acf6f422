"""Pictures: logos and screenshots fetched by the crawl, served by the pages from our origin.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'


def upgrade() -> None:
    op.create_table(
        'pictures',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('media_type', sa.String(length=64), nullable=True),
        sa.Column('data', sa.LargeBinary(), nullable=True),
        sa.Column('width', sa.Integer(), nullable=True),
        sa.Column('height', sa.Integer(), nullable=True),
        sa.Column('problem', sa.Text(), nullable=True),
        sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    op.drop_table('pictures')
