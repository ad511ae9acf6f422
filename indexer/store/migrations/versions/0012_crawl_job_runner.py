"""crawl_jobs.runner: which lease holder claimed a running job, so a killed one is noticed.

A crawl job is run by the process holding the store's scheduler lease (`codereuse run`, or the
job runner of `codereuse serve`). A process killed with SIGKILL never finishes its job; once
its lease has expired (or another holder took it), the job is closed as failed
(`indexer.store.crawl_state.close_orphaned_jobs`) instead of staying ``running`` forever.
Existing rows have no runner: a running one counts as orphaned when no lease is held at all.
"""

from __future__ import annotations

from indexer.store.migrations.tables import add_columns, drop_columns

revision: str = "0012"
down_revision: str | None = "0011"
RUNNER = "runner varchar(255) null"


def upgrade() -> None:
    add_columns("crawl_jobs", RUNNER)


def downgrade() -> None:
    drop_columns("crawl_jobs", RUNNER)
