"""Organisations: the organisation and owner of each record, organisations, registry entries."""

from __future__ import annotations

from alembic import op

from indexer.store.migrations.tables import Table, columns, create_tables, drop_tables

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
    with op.batch_alter_table('records') as batch:
        for column in columns(RECORD_COLUMNS):
            batch.add_column(column)
    op.create_index('ix_records_organisation_id', 'records', ['organisation_id'])
    create_tables(TABLES)


def downgrade() -> None:
    drop_tables(TABLES)
    op.drop_index('ix_records_organisation_id', table_name='records')
    with op.batch_alter_table('records') as batch:
        for column in reversed(columns(RECORD_COLUMNS)):
            batch.drop_column(column.name)
