"""Organisations: the organisation and owner of each record, organisations, registry entries."""

from __future__ import annotations

from indexer.store.migrations.tables import (
    Table,
    add_columns,
    create_tables,
    drop_columns,
    drop_tables,
)

revision: str = '0008'
down_revision: str | None = '0007'

RECORD_COLUMNS = (
    'organisation_id varchar(255) null, organisation_kind varchar(16) null,'
    ' owner varchar(1024) null'
)
TABLES = [
    Table(
        'organisations',
        """
        id varchar(255), document text, name text null, kind varchar(16),
        country varchar(8) null, updated_at timestamptz
        """,
        primary_key=['id'],
    ),
    Table(
        'registry_organisations',
        """
        key varchar(1024), source text, document text, updated_at timestamptz
        """,
        primary_key=['key'],
    ),
]


def upgrade() -> None:
    add_columns('records', RECORD_COLUMNS, indexes=[['organisation_id']])
    create_tables(TABLES)


def downgrade() -> None:
    drop_tables(TABLES)
    drop_columns('records', RECORD_COLUMNS, indexes=[['organisation_id']])
