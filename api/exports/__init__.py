"""Export formats by name: CSV, JSON, NDJSON and Parquet writers over a stream of records.

Every writer takes an iterable of records and yields byte chunks, holding at most one chunk
(or one Parquet row group) in memory; the API streams the chunks as the HTTP body and
``codereuse export`` writes them to a file, so both produce the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from api.exports.columns import COLUMN_NAMES, COLUMNS, record_row
from api.exports.parquet_writer import write_parquet
from api.exports.text_writers import write_csv, write_json, write_ndjson
from schemas.errors import ExportError
from schemas.record import Record

Writer = Callable[[Iterable[Record]], Iterator[bytes]]


@dataclass(frozen=True)
class ExportFormat:
    """A format's name, media type, file extension and writer."""

    name: str
    media_type: str
    extension: str
    write: Writer


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv", write_csv),
    "json": ExportFormat("json", "application/json", "json", write_json),
    "ndjson": ExportFormat("ndjson", "application/x-ndjson", "ndjson", write_ndjson),
    "parquet": ExportFormat("parquet", "application/vnd.apache.parquet", "parquet", write_parquet),
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
    "export_format",
    "record_row",
    "write_csv",
    "write_json",
    "write_ndjson",
    "write_parquet",
]
