"""findings.code and findings.params: a crawl's findings keep their catalogue code.

Forge-level findings (a forge failing, rate-limited, refusing, past its deadline) have codes in
the finding catalogue like record findings (`crawler.base.forge_finding_code`); stored with
their parameters, they can be shown in the reader's language. Older rows have neither (their
English message is shown).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 03:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("params")
        batch_op.drop_column("code")
