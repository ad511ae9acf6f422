"""Unlisted repositories: what a crawl left out of the catalogue and why (the status check)."""

from __future__ import annotations

from indexer.store.migrations.tables import Table, cascade_to, tables_migration

revision: str = '0007'
down_revision: str | None = '0006'

upgrade, downgrade = tables_migration(
    Table(
        'unlisted_repositories',
        """
        forge varchar(63), canonical_id varchar(1024), url text, reason varchar(32),
        seen_at timestamptz
        """,
        primary_key=['forge', 'canonical_id'],
        constraints=[cascade_to('forge', 'forges.name')],
    ),
)
