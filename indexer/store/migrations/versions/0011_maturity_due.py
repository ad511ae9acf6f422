"""records.maturity_due: when a record's maturity assessment next changes with time alone.

A repository nobody touches still ages: ``active`` stops being met 91 days after its last
commit. The store keeps this moment (`schemas.maturity.next_change`) per record, indexed, so a
recrawl re-assesses exactly the records that are due (`indexer.store.maturity`). Existing rows
start empty (not computed yet); the first re-assessment fills them in.
"""

from __future__ import annotations

from indexer.store.migrations.tables import add_columns, drop_columns

revision: str = "0011"
down_revision: str | None = "0009"
MATURITY_DUE = "maturity_due timestamptz null"


def upgrade() -> None:
    add_columns("records", MATURITY_DUE, indexes=[["maturity_due"]])


def downgrade() -> None:
    drop_columns("records", MATURITY_DUE, indexes=[["maturity_due"]])
