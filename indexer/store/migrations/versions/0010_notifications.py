"""Notifications: change events and their per-record states, webhooks and their deliveries,
issues opened on forges for broken publiccode.yml files.

The states are seeded from the live and tombstoned records, without a content digest, so the
first federation after the upgrade reports what really changed (validity, removal), not every
record as new.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 21:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('forges') as batch:
        batch.add_column(
            sa.Column('notify_issues', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        'record_events',
        sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('record_id', sa.String(length=1024), nullable=False),
        sa.Column('forge', sa.String(length=63), nullable=False),
        sa.Column('organisation_id', sa.String(length=255), nullable=True),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('seq'),
    )
    op.create_index('ix_record_events_forge', 'record_events', ['forge'])
    op.create_index('ix_record_events_organisation_id', 'record_events', ['organisation_id'])
    op.create_index('ix_record_events_at', 'record_events', ['at'])
    op.create_table(
        'record_event_states',
        sa.Column('record_id', sa.String(length=1024), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=True),
        sa.Column('valid', sa.Boolean(), nullable=False),
        sa.Column('archived', sa.Boolean(), nullable=True),
        sa.Column('forge', sa.String(length=63), nullable=False),
        sa.Column('organisation_id', sa.String(length=255), nullable=True),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('errors', sa.Integer(), nullable=False),
        sa.Column('removed', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('record_id'),
    )
    op.execute(
        "INSERT INTO record_event_states (record_id, digest, valid, archived, forge, "
        "organisation_id, name, url, errors, removed, updated_at) "
        "SELECT id, NULL, valid, NULL, forge, organisation_id, name, 'https://' || id, 0, "
        "deleted_at IS NOT NULL, last_changed FROM records"
    )
    op.create_table(
        'webhooks',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=255), nullable=False),
        sa.Column('allow_private', sa.Boolean(), nullable=False),
        sa.Column('cursor', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('webhook_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('events', sa.Integer(), nullable=False),
        sa.Column('first_seq', sa.Integer(), nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('delivered', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_webhook_deliveries_webhook_id', 'webhook_deliveries', ['webhook_id'])
    op.create_table(
        'forge_issues',
        sa.Column('forge', sa.String(length=63), nullable=False),
        sa.Column('repository_url', sa.String(length=1024), nullable=False),
        sa.Column('record_id', sa.String(length=1024), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('forge', 'repository_url'),
    )
    op.create_index('ix_forge_issues_forge', 'forge_issues', ['forge'])


def downgrade() -> None:
    op.drop_index('ix_forge_issues_forge', table_name='forge_issues')
    op.drop_table('forge_issues')
    op.drop_index('ix_webhook_deliveries_webhook_id', table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_table('webhooks')
    op.drop_table('record_event_states')
    op.drop_index('ix_record_events_at', table_name='record_events')
    op.drop_index('ix_record_events_organisation_id', table_name='record_events')
    op.drop_index('ix_record_events_forge', table_name='record_events')
    op.drop_table('record_events')
    with op.batch_alter_table('forges') as batch:
        batch.drop_column('notify_issues')
