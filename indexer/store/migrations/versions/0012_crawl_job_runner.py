"""crawl_jobs.runner: which lease holder claimed a running job, so a killed one is noticed.

A crawl job is run by the process holding the store's scheduler lease (`codereuse run`, or the
job runner of `codereuse serve`). A process killed with SIGKILL never finishes its job; once
its lease has expired (or another holder took it), the job is closed as failed
(`indexer.store.crawl_state.close_orphaned_jobs`) instead of staying ``running`` forever.
Existing rows have no runner: a running one counts as orphaned when no lease is held at all.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 02:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("runner", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_jobs", schema=None) as batch_op:
        batch_op.drop_column("runner")
