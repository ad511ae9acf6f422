"""Reuse: the package rows of each record and the reuse links federation computes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'record_packages',
        sa.Column('record_id', sa.String(length=1024), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=1024), nullable=False),
        sa.Column('path', sa.String(length=255), nullable=False),
        sa.Column('purl', sa.Text(), nullable=False),
        sa.Column('line', sa.Integer(), nullable=True),
        sa.Column('scope', sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint('record_id', 'role', 'key', 'path'),
    )
    op.create_index('ix_record_packages_key', 'record_packages', ['key'], unique=False)
    op.create_table(
        'reuse_links',
        sa.Column('software_id', sa.String(length=1024), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('user_key', sa.String(length=1024), nullable=False),
        sa.Column('purl_key', sa.String(length=1024), nullable=False),
        sa.Column('user_id', sa.String(length=1024), nullable=True),
        sa.Column('software_organisation', sa.Text(), nullable=False),
        sa.Column('user_organisation', sa.Text(), nullable=False),
        sa.Column('user_url', sa.Text(), nullable=True),
        sa.Column('purl', sa.Text(), nullable=True),
        sa.Column('path', sa.String(length=255), nullable=True),
        sa.Column('line', sa.Integer(), nullable=True),
        sa.Column('evidence_url', sa.Text(), nullable=True),
        sa.Column('confidence', sa.String(length=16), nullable=False),
        sa.Column('self_declared', sa.Boolean(), nullable=False),
        sa.Column('internal', sa.Boolean(), nullable=False),
        sa.Column('first_seen', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_seen', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('software_id', 'kind', 'user_key', 'purl_key'),
    )
    op.create_index('ix_reuse_links_user_id', 'reuse_links', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reuse_links_user_id', table_name='reuse_links')
    op.drop_table('reuse_links')
    op.drop_index('ix_record_packages_key', table_name='record_packages')
    op.drop_table('record_packages')
