"""Proposals: merge/pull requests opened to add a drafted publiccode.yml, one per record."""

from __future__ import annotations

from indexer.store.migrations.tables import Table, tables_migration

revision: str = '0005'
down_revision: str | None = '0004'

upgrade, downgrade = tables_migration(
    Table(
        'proposals',
        """
        record_id varchar(1024), forge varchar(63), repository_url text, number integer,
        url text, status varchar(16), branch varchar(255), opened_at timestamptz,
        checked_at timestamptz
        """,
        primary_key=['record_id'],
        indexes=[['forge']],
    ),
)
