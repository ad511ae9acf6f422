"""Initial schema: forges, repositories, records, relations, change feed, crawl state.
"""

from __future__ import annotations

import sqlalchemy as sa

from indexer.store.migrations.tables import Table, cascade_to, tables_migration

revision: str = '0001'
down_revision: str | None = None

upgrade, downgrade = tables_migration(
    Table(
        'changes',
        """
        seq serial, record_id varchar(1024), kind varchar(16), at timestamptz
        """,
        primary_key=['seq'],
        indexes=[['at'], ['record_id']],
    ),
    Table(
        'forges',
        """
        name varchar(63), kind varchar(16), url text, groups json, orgs json, repos json,
        exclude json, token_env varchar(255) null, allow_private boolean,
        created_at timestamptz, updated_at timestamptz
        """,
        primary_key=['name'],
    ),
    Table(
        'record_aliases',
        """
        alias_id varchar(1024), url text, record_id varchar(1024), created_at timestamptz
        """,
        primary_key=['alias_id'],
        indexes=[['record_id']],
    ),
    Table(
        'records',
        """
        id varchar(1024), document text, content_hash varchar(64), name text, declared boolean,
        valid boolean, forge varchar(63), organisation text null, licences json, languages json,
        categories json, last_activity timestamptz null, first_seen timestamptz,
        last_seen timestamptz, last_changed timestamptz, deleted_at timestamptz null
        """,
        primary_key=['id'],
        indexes=[['deleted_at'], ['forge'], ['last_activity']],
    ),
    Table(
        'relations',
        """
        from_id varchar(1024), to_id varchar(1024), kind varchar(16)
        """,
        primary_key=['from_id', 'to_id', 'kind'],
        indexes=[['to_id']],
    ),
    Table(
        'crawl_checkpoints',
        """
        forge varchar(63), scope varchar(512), state json, updated_at timestamptz
        """,
        primary_key=['forge', 'scope'],
        constraints=[cascade_to('forge', 'forges.name')],
    ),
    Table(
        'crawl_jobs',
        """
        id serial, forge varchar(63), status varchar(16), requested_at timestamptz,
        started_at timestamptz null, finished_at timestamptz null
        """,
        primary_key=['id'],
        indexes=[['status']],
        constraints=[cascade_to('forge', 'forges.name')],
    ),
    Table(
        'crawl_runs',
        """
        id serial, forge varchar(63), full boolean, started_at timestamptz,
        finished_at timestamptz null, status varchar(32), stats json, requests integer,
        records_total integer null
        """,
        primary_key=['id'],
        indexes=[['forge', 'started_at']],
        constraints=[cascade_to('forge', 'forges.name')],
    ),
    Table(
        'repositories',
        """
        id serial, forge varchar(63), forge_id varchar(255), url text,
        canonical_id varchar(1024), payload json, publiccode blob null,
        publiccode_path varchar(255) null, blob_id varchar(255) null, etag varchar(255) null,
        last_activity timestamptz null, archived boolean, is_fork boolean,
        fetched_at timestamptz, missed_listings integer, tombstoned_at timestamptz null,
        aliases json
        """,
        primary_key=['id'],
        indexes=[['canonical_id']],
        constraints=[
            cascade_to('forge', 'forges.name'),
            lambda: sa.UniqueConstraint('forge', 'forge_id', name='uq_repositories_forge_forge_id'),
        ],
    ),
    Table(
        'findings',
        """
        id serial, crawl_run_id integer null, forge varchar(63) null,
        record_id varchar(1024) null, type varchar(16), key text, line integer null,
        column integer null, message text
        """,
        primary_key=['id'],
        indexes=[['crawl_run_id']],
        constraints=[cascade_to('crawl_run_id', 'crawl_runs.id')],
    ),
)
