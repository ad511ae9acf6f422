"""Pictures: logos and screenshots fetched by the crawl, served by the pages from our origin.
"""

from __future__ import annotations

from indexer.store.migrations.tables import Table, tables_migration

revision: str = '0004'
down_revision: str | None = '0003'

upgrade, downgrade = tables_migration(
    Table(
        'pictures',
        """
        key varchar(64), url text, media_type varchar(64) null, data blob null,
        width integer null, height integer null, problem text null, fetched_at timestamptz
        """,
        primary_key=['key'],
    ),
)
