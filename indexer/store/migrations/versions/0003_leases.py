"""Leases: which `codereuse run` process runs the scheduler and the crawls (one at a time).
"""

from __future__ import annotations

from indexer.store.migrations.tables import Table, tables_migration

revision: str = '0003'
down_revision: str | None = '0002'

upgrade, downgrade = tables_migration(
    Table(
        'leases',
        """
        name varchar(63), holder varchar(255), acquired_at timestamptz, expires_at timestamptz
        """,
        primary_key=['name'],
    ),
)
