"""Reuse: the package rows of each record and the reuse links federation computes."""

from __future__ import annotations

from indexer.store.migrations.tables import Table, tables_migration

revision: str = '0006'
down_revision: str | None = '0005'

upgrade, downgrade = tables_migration(
    Table(
        'record_packages',
        """
        record_id varchar(1024), role varchar(16), key varchar(1024), path varchar(255),
        purl text, line integer null, scope varchar(16) null
        """,
        primary_key=['record_id', 'role', 'key', 'path'],
        indexes=[['key']],
    ),
    Table(
        'reuse_links',
        """
        software_id varchar(1024), kind varchar(32), user_key varchar(1024),
        purl_key varchar(1024), user_id varchar(1024) null, software_organisation text,
        user_organisation text, user_url text null, purl text null, path varchar(255) null,
        line integer null, evidence_url text null, confidence varchar(16),
        self_declared boolean, internal boolean, first_seen timestamptz null,
        last_seen timestamptz null
        """,
        primary_key=['software_id', 'kind', 'user_key', 'purl_key'],
        indexes=[['user_id']],
    ),
)
