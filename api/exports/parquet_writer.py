"""Parquet export: typed columns, list columns kept as lists, row groups of a few thousand.

pyarrow writes each row group to a small in-memory sink that the generator drains right away,
so memory stays at one row group whatever the catalogue size; the footer comes last.

pyarrow is imported on the first Parquet export, not with the app: it adds about 30 MB to
every server process, and most never write Parquet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

from api.exports.columns import COLUMNS, Cell, Document, document_row

if TYPE_CHECKING:
    import pyarrow as pa

ROW_GROUP_ROWS = 2_500


@cache
def parquet_schema() -> pa.Schema:
    """The Arrow schema of the export: one typed field per column, with its description."""
    import pyarrow as pa

    arrow_types = {
        "string": pa.string(),
        "bool": pa.bool_(),
        "int": pa.int64(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "strings": pa.list_(pa.string()),
    }
    return pa.schema(
        [
            pa.field(
                column.name, arrow_types[column.type], metadata={"description": column.description}
            )
            for column in COLUMNS
        ]
    )


class _DrainableSink:
    """A write-only file object whose written bytes are taken out by `drain`."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _table(rows: dict[str, list[Cell]]) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pydict(rows, schema=parquet_schema())


def write_parquet(
    documents: Iterable[Document], *, row_group_rows: int = ROW_GROUP_ROWS
) -> Iterator[bytes]:
    """Parquet (zstd) of records in their JSON shape, as byte chunks: one per row group, then the footer."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = _DrainableSink()
    writer = pq.ParquetWriter(pa.PythonFile(sink, mode="w"), parquet_schema(), compression="zstd")
    try:
        columns: dict[str, list[Cell]] = {column.name: [] for column in COLUMNS}
        count = 0
        for document in documents:
            row = document_row(document)
            for name, values in columns.items():
                values.append(row[name])
            count += 1
            if count == row_group_rows:
                writer.write_table(_table(columns), row_group_size=row_group_rows)
                columns = {column.name: [] for column in COLUMNS}
                count = 0
                data = sink.drain()
                if data:
                    yield data
        if count:
            writer.write_table(_table(columns), row_group_size=row_group_rows)
    finally:
        writer.close()
    yield sink.drain()
