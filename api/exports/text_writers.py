"""CSV, JSON and NDJSON export writers: records in, byte chunks out, constant memory.

Each writer is a generator over an iterable of records; it buffers a few hundred rows into one
chunk so HTTP streaming and file writes do few, mid-sized writes. Nothing holds more than one
chunk of records at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any

from api.exports.columns import COLUMN_NAMES, COLUMNS, Cell, ColumnType, Document, document_row
from schemas.record import Record

CHUNK_ROWS = 500
LIST_SEPARATOR = "; "
# Spreadsheets run cells that start with these as formulas (CSV injection, OWASP); a leading
# apostrophe makes them plain text. Only text cells are touched, never numbers or dates.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Cell) -> str:
    """One CSV cell: lists joined with ``; ``, booleans as true/false, dates ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _text_cell(LIST_SEPARATOR.join(value) if isinstance(value, list) else value)


def _text_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _optional(convert: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: "" if value is None else convert(value)


# One formatter per column type, chosen once: the hot loop of a full export does no type tests.
_FORMATTERS: dict[ColumnType, Callable[[Any], str]] = {
    "string": _optional(_text_cell),
    "bool": _optional(lambda value: "true" if value else "false"),
    "int": _optional(str),
    "date": _optional(lambda value: value.isoformat()),
    "timestamp": _optional(lambda value: value.isoformat()),
    "strings": _optional(lambda value: _text_cell(LIST_SEPARATOR.join(value))),
}
_ROW_FORMAT = [(column.name, _FORMATTERS[column.type]) for column in COLUMNS]


def csv_values(document: Document) -> list[str]:
    """The CSV cells of one record in its JSON shape, in `COLUMN_NAMES` order."""
    row = document_row(document)
    return [format_cell(row[name]) for name, format_cell in _ROW_FORMAT]


def write_csv(documents: Iterable[Document]) -> Iterator[bytes]:
    """RFC 4180 CSV (UTF-8, CRLF, header row) of records in their JSON shape, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for rows, document in enumerate(documents, start=1):
        writer.writerow(csv_values(document))
        if rows % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _record_json(record: Record) -> str:
    return record.model_dump_json()


def write_ndjson(records: Iterable[Record]) -> Iterator[bytes]:
    """Newline-delimited JSON: one whole record per line."""
    lines: list[str] = []
    for record in records:
        lines.append(_record_json(record))
        if len(lines) == CHUNK_ROWS:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines.clear()
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


def write_json(records: Iterable[Record]) -> Iterator[bytes]:
    """One JSON array of whole records, written incrementally (valid JSON even when empty)."""
    parts: list[str] = ["["]
    first = True
    for record in records:
        parts.append(("\n" if first else ",\n") + _record_json(record))
        first = False
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts).encode("utf-8")
            parts.clear()
    parts.append("\n]\n" if not first else "]\n")
    yield "".join(parts).encode("utf-8")
