"""Notifications: change events and their per-record states, webhooks and their deliveries,
issues opened on forges for broken publiccode.yml files.

The states are seeded from the live and tombstoned records, without a content digest, so the
first federation after the upgrade reports what really changed (validity, removal), not every
record as new.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from indexer.store.migrations.tables import Table, cascade_to, create_tables, drop_tables

revision: str = '0010'
down_revision: str | None = '0008'

TABLES = [
    Table(
        'record_events',
        """
        seq serial, kind varchar(16), record_id varchar(1024), forge varchar(63),
        organisation_id varchar(255) null, name text, url text, summary text, at timestamptz
        """,
        primary_key=['seq'],
        indexes=[['forge'], ['organisation_id'], ['at']],
    ),
    Table(
        'record_event_states',
        """
        record_id varchar(1024), digest varchar(64) null, valid boolean, archived boolean null,
        forge varchar(63), organisation_id varchar(255) null, name text, url text,
        errors integer, removed boolean, updated_at timestamptz
        """,
        primary_key=['record_id'],
    ),
    Table(
        'webhooks',
        """
        id serial, url text, events json, filters json, secret varchar(255),
        allow_private boolean, cursor integer, created_at timestamptz
        """,
        primary_key=['id'],
    ),
    Table(
        'webhook_deliveries',
        """
        id serial, webhook_id integer, at timestamptz, events integer, first_seq integer,
        last_seq integer, status_code integer null, attempts integer, error text null,
        delivered boolean
        """,
        primary_key=['id'],
        indexes=[['webhook_id']],
        constraints=[cascade_to('webhook_id', 'webhooks.id')],
    ),
    Table(
        'forge_issues',
        """
        forge varchar(63), repository_url varchar(1024), record_id varchar(1024),
        number integer, url text, state varchar(16), digest varchar(64), opened_at timestamptz,
        updated_at timestamptz, closed_at timestamptz null
        """,
        primary_key=['forge', 'repository_url'],
        indexes=[['forge']],
    ),
]


def upgrade() -> None:
    with op.batch_alter_table('forges') as batch:
        batch.add_column(
            sa.Column('notify_issues', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    create_tables(TABLES[:2])
    op.execute(
        "INSERT INTO record_event_states (record_id, digest, valid, archived, forge, "
        "organisation_id, name, url, errors, removed, updated_at) "
        "SELECT id, NULL, valid, NULL, forge, organisation_id, name, 'https://' || id, 0, "
        "deleted_at IS NOT NULL, last_changed FROM records"
    )
    create_tables(TABLES[2:])


def downgrade() -> None:
    drop_tables(TABLES)
    with op.batch_alter_table('forges') as batch:
        batch.drop_column('notify_issues')
