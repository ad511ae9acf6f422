"""Organisations: the organisation and owner of each record, organisations, registry entries.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 17:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('records') as batch:
        batch.add_column(sa.Column('organisation_id', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('organisation_kind', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('owner', sa.String(length=1024), nullable=True))
    op.create_index('ix_records_organisation_id', 'records', ['organisation_id'])
    op.create_table(
        'organisations',
        sa.Column('id', sa.String(length=255), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('name', sa.Text(), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('country', sa.String(length=8), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'registry_organisations',
        sa.Column('key', sa.String(length=1024), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    op.drop_table('registry_organisations')
    op.drop_table('organisations')
    op.drop_index('ix_records_organisation_id', table_name='records')
    with op.batch_alter_table('records') as batch:
        batch.drop_column('owner')
        batch.drop_column('organisation_kind')
        batch.drop_column('organisation_id')
