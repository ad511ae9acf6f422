"""Export formats by name: CSV, JSON, NDJSON and Parquet writers over a stream of records.

Every writer takes an iterable and yields byte chunks, holding at most one chunk (or one Parquet
row group) in memory; the API streams the chunks as the HTTP body and ``codereuse export``
writes them to a file, so both produce the same bytes. JSON and NDJSON write whole record
models (the published record schema, computed fields included); CSV and Parquet read records
in their JSON shape (`ExportFormat.reads` says which), so a full export needs no model per
record and stays fast (`api.selection.select_for`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from api.exports.columns import COLUMN_NAMES, COLUMNS, document_row, record_row
from api.exports.parquet_writer import write_parquet
from api.exports.text_writers import write_csv, write_json, write_ndjson
from schemas.errors import ExportError
from schemas.record import Record

Writer = Callable[[Iterable[Any]], Iterator[bytes]]


@dataclass(frozen=True)
class ExportFormat:
    """A format's name, media type, file extension, writer, and what the writer reads."""

    name: str
    media_type: str
    extension: str
    write: Writer
    reads: Literal["records", "documents"]


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv", write_csv, "documents"),
    "json": ExportFormat("json", "application/json", "json", write_json, "records"),
    "ndjson": ExportFormat("ndjson", "application/x-ndjson", "ndjson", write_ndjson, "records"),
    "parquet": ExportFormat(
        "parquet", "application/vnd.apache.parquet", "parquet", write_parquet, "documents"
    ),
}


def export_format(name: str) -> ExportFormat:
    """The export format called `name`; raises `ExportError` naming the known ones."""
    try:
        return EXPORT_FORMATS[name.lower()]
    except KeyError:
        raise ExportError(
            f"unknown export format {name!r}; use one of: {', '.join(EXPORT_FORMATS)}"
        ) from None


__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "EXPORT_FORMATS",
    "ExportFormat",
    "Record",
    "document_row",
    "export_format",
    "record_row",
    "write_csv",
    "write_json",
    "write_ndjson",
    "write_parquet",
]
