"""``codereuse export --organisations``: one row per organisation with its counts, as CSV,
JSON, NDJSON or Parquet (lists stay lists in JSON and Parquet, CSV joins them with ``|``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from api.organisations_view import OrganisationSummary

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "organisation id (/organisations/ID)"),
    ("name", "name (registry, publiccode.yml, then forge profile)"),
    ("kind", "public_body, project, company or unknown"),
    ("country", "ISO 3166-1 alpha-2"),
    ("level", "level or section of government a registry gives"),
    ("parent", "id of the parent organisation"),
    ("website", "website"),
    ("software", "live records"),
    ("declared", "of which from a publiccode.yml"),
    ("valid", "of which with a valid publiccode.yml"),
    ("forges", "registered forges it publishes on"),
    ("accounts", "forge owner paths"),
    ("identifiers", "registry identifiers, scheme:value"),
)
_LISTS = {"forges", "accounts", "identifiers"}
_INTS = {"software", "declared", "valid"}


def organisation_row(item: OrganisationSummary) -> dict[str, Any]:
    """The export row of one organisation."""
    entity = item.entity
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "country": entity.country,
        "level": entity.level,
        "parent": entity.parent,
        "website": entity.website,
        "software": item.software,
        "declared": item.declared,
        "valid": item.valid,
        "forges": list(item.forges),
        "accounts": [account.owner for account in entity.accounts],
        "identifiers": [f"{i.scheme}:{i.value}" for i in entity.identifiers],
    }


def write(format_name: str, items: Iterable[OrganisationSummary]) -> Iterator[bytes]:
    """The organisations in `format_name` (csv, json, ndjson or parquet)."""
    rows = [organisation_row(item) for item in items]
    if format_name == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([name for name, _ in COLUMNS])
        for row in rows:
            writer.writerow(
                [
                    "|".join(row[n]) if n in _LISTS else ("" if row[n] is None else row[n])
                    for n, _ in COLUMNS
                ]
            )
        yield buffer.getvalue().encode("utf-8")
    elif format_name == "ndjson":
        yield "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    elif format_name == "json":
        yield (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    else:
        schema = pa.schema(
            [
                pa.field(
                    name,
                    pa.list_(pa.string())
                    if name in _LISTS
                    else pa.int64()
                    if name in _INTS
                    else pa.string(),
                    metadata={"description": text},
                )
                for name, text in COLUMNS
            ]
        )
        table = pa.Table.from_pylist(rows, schema=schema)
        sink = io.BytesIO()
        pq.write_table(table, sink)
        yield sink.getvalue()
