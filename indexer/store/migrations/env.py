"""Alembic environment: runs online on the connection `indexer.store.engine` hands over."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

from indexer.store.models import Base, UTCDateTime

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "the codereuse migrations run through `codereuse db upgrade` "
        "(indexer.store.engine.upgrade), not the alembic command line"
    )


def _render_item(kind: str, item: Any, _context: Any) -> str | Literal[False]:
    # Migrations must not import the models (they change); write the plain column type.
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
    render_item=_render_item,
)
with context.begin_transaction():
    context.run_migrations()
