"""Maturity history: each record's maturity assessment per crawl, kept when a level changed."""

from __future__ import annotations

from indexer.store.migrations.tables import Table, tables_migration

revision: str = '0009'
down_revision: str | None = '0010'

upgrade, downgrade = tables_migration(
    Table(
        'maturity_history',
        """
        id serial, record_id varchar(1024), assessed_at timestamptz, level integer,
        criteria json
        """,
        primary_key=['id'],
        indexes=[['record_id']],
    ),
)
