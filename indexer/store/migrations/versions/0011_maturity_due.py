"""records.maturity_due: when a record's maturity assessment next changes with time alone.

A repository nobody touches still ages: ``active`` stops being met 91 days after its last
commit. The store keeps this moment (`schemas.maturity.next_change`) per record, indexed, so a
recrawl re-assesses exactly the records that are due (`indexer.store.maturity`). Existing rows
start empty (not computed yet); the first re-assessment fills them in.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03 02:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("maturity_due", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_records_maturity_due", ["maturity_due"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_maturity_due")
        batch_op.drop_column("maturity_due")
