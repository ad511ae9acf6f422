"""Tables for the migrations, written as data: columns in a short SQL-like spec.

A migration states each table once, as a `Table`, and `create_tables` / `drop_tables` turn the
list into the alembic operations (create the table, then its indexes; drop in reverse order), so
an upgrade and its downgrade cannot disagree and a new table is a few lines of data instead of
one `sa.Column(...)` call a column. A migration that only adds tables takes its `upgrade` and
`downgrade` from `tables_migration`::

    upgrade, downgrade = tables_migration(
        Table(
            "unlisted_repositories",
            '''
            forge varchar(63), canonical_id varchar(1024), url text, seen_at timestamptz null
            ''',
            primary_key=["forge", "canonical_id"],
            constraints=[cascade_to("forge", "forges.name")],
        ),
    )

The column spec is ``name type`` pairs separated by commas (any white space between), ``null``
after the type where the column may be NULL (columns are NOT NULL otherwise).

Migrations that ran must keep meaning the same, so the words below never change meaning; add a
word for a new type instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic import op

_TYPES: dict[str, Callable[[], sa.types.TypeEngine[Any]]] = {
    "serial": sa.Integer,
    "integer": sa.Integer,
    "boolean": sa.Boolean,
    "text": sa.Text,
    "json": sa.JSON,
    "blob": sa.LargeBinary,
    "timestamptz": lambda: sa.DateTime(timezone=True),
}
_COLUMN = re.compile(r"(?P<name>\w+)\s+(?P<type>\w+)(?:\((?P<length>\d+)\))?(?P<null>\s+null)?")


def columns(spec: str) -> list[sa.Column[Any]]:
    """The columns of `spec` (module docstring), in order.

    ``varchar(N)`` is ``sa.String(length=N)``; ``serial`` an autoincrementing integer. Raises
    `ValueError` for a part that is not ``name type`` or names an unknown type.
    """
    found: list[sa.Column[Any]] = []
    for part in spec.split(","):
        part = " ".join(part.split())
        match = _COLUMN.fullmatch(part)
        if match is None or (match["type"] != "varchar") == (match["length"] is not None):
            raise ValueError(f"column spec {part!r}: expected 'name type [null]'")
        kind = match["type"]
        if kind != "varchar" and kind not in _TYPES:
            raise ValueError(f"column spec {part!r}: unknown type {kind!r}")
        column_type = (
            sa.String(length=int(match["length"])) if kind == "varchar" else _TYPES[kind]()
        )
        found.append(
            sa.Column(
                match["name"],
                column_type,
                autoincrement=True if kind == "serial" else "auto",  # "auto": the default
                nullable=match["null"] is not None,
            )
        )
    return found


@dataclass(frozen=True)
class Table:
    """One table as a migration creates it.

    `indexes` are column lists, each indexed as ``ix_<table>_<columns joined by _>``;
    `constraints` (foreign keys, unique constraints) follow the columns in their order.
    """

    name: str
    columns: str
    primary_key: Sequence[str]
    indexes: Sequence[Sequence[str]] = ()
    constraints: Sequence[Callable[[], sa.Constraint]] = ()

    def index_name(self, index: Sequence[str]) -> str:
        """The name of the index on `index`'s columns."""
        return f"ix_{self.name}_{'_'.join(index)}"


def cascade_to(column: str, target: str) -> Callable[[], sa.Constraint]:
    """A foreign key from `column` to `target` (``table.column``), deleted with its target."""
    return lambda: sa.ForeignKeyConstraint([column], [target], ondelete="CASCADE")


def create_tables(tables: Sequence[Table]) -> None:
    """Create `tables` in order, each followed by its indexes."""
    for table in tables:
        op.create_table(
            table.name,
            *columns(table.columns),
            *(constraint() for constraint in table.constraints),
            sa.PrimaryKeyConstraint(*table.primary_key),
        )
        for index in table.indexes:
            op.create_index(table.index_name(index), table.name, list(index))


def drop_tables(tables: Sequence[Table]) -> None:
    """Undo `create_tables(tables)`: drop the tables in reverse order, each after its indexes."""
    for table in reversed(tables):
        for index in reversed(table.indexes):
            op.drop_index(table.index_name(index), table_name=table.name)
        op.drop_table(table.name)


def add_columns(table: str, spec: str, indexes: Sequence[Sequence[str]] = ()) -> None:
    """Add the columns of `spec` to `table` (batch mode, so SQLite copies the table where it
    must), then index each of `indexes` as `Table.index_name` does."""
    with op.batch_alter_table(table) as batch:
        for column in columns(spec):
            batch.add_column(column)
        for index in indexes:
            batch.create_index(Table(table, "", ()).index_name(index), list(index))


def drop_columns(table: str, spec: str, indexes: Sequence[Sequence[str]] = ()) -> None:
    """Undo `add_columns`: drop the indexes, then the columns, in reverse order."""
    with op.batch_alter_table(table) as batch:
        for index in reversed(indexes):
            batch.drop_index(Table(table, "", ()).index_name(index))
        for column in reversed(columns(spec)):
            batch.drop_column(column.name)


def tables_migration(*tables: Table) -> tuple[Callable[[], None], Callable[[], None]]:
    """The ``upgrade`` and ``downgrade`` of a migration that only creates `tables`."""
    return (lambda: create_tables(tables)), (lambda: drop_tables(tables))
