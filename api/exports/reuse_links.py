"""Exports of the reuse links: CSV and Parquet (one row per link) and a JSON graph.

The rows are `schemas.reuse.ReuseLink` fields in their declared order (`LINK_COLUMNS`); CSV
cells get the same formula-injection guard as the catalogue export. The graph is a JSON Graph
Format document (https://jsongraphformat.info): one node per catalogue record and per
organisation named only in ``usedBy``, one directed edge per link from user to software with the
link's fields as metadata. All writers stream in chunks from `Store.iter_reuse_links`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from api.exports.parquet_writer import _DrainableSink
from api.exports.text_writers import csv_cell
from schemas.reuse import ReuseLink

LINK_COLUMNS: tuple[str, ...] = tuple(ReuseLink.model_fields)
CHUNK_ROWS = 500
_ARROW_TYPES = {
    "line": "int",
    "self_declared": "bool",
    "internal": "bool",
    "first_seen": "timestamp",
    "last_seen": "timestamp",
}


def write_links_csv(links: Iterable[ReuseLink]) -> Iterator[bytes]:
    """RFC 4180 CSV (UTF-8, CRLF, header row), one row per link."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LINK_COLUMNS)
    for rows, link in enumerate(links, start=1):
        writer.writerow([csv_cell(getattr(link, name)) for name in LINK_COLUMNS])
        if rows % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_links_parquet(
    links: Iterable[ReuseLink], *, row_group_rows: int = 2500
) -> Iterator[bytes]:
    """Parquet (zstd), typed columns, one row per link, one row group per `row_group_rows`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"int": pa.int64(), "bool": pa.bool_(), "timestamp": pa.timestamp("us", tz="UTC")}
    schema = pa.schema(
        [
            pa.field(name, types.get(_ARROW_TYPES.get(name, ""), pa.string()))
            for name in LINK_COLUMNS
        ]
    )
    sink = _DrainableSink()
    writer = pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema, compression="zstd")
    try:
        rows: list[dict[str, Any]] = []
        for link in links:
            rows.append(link.model_dump())
            if len(rows) == row_group_rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
                data = sink.drain()
                if data:
                    yield data
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    finally:
        writer.close()
    yield sink.drain()


def write_links_graph(links: Iterable[ReuseLink], names: dict[str, str]) -> Iterator[bytes]:
    """A JSON Graph Format document of the links (module docstring); `names`: id → name.

    Edges are streamed as they are read; the nodes follow them (JSON objects have no order),
    so only the nodes are held: one per record or organisation named.
    """
    nodes: dict[str, dict[str, Any]] = {}
    yield b'{"graph": {"label": "codereuse reuse links", "type": "reuse", "directed": true, "edges": ['
    for index, link in enumerate(links):
        user = link.user_id or f"organisation:{link.user_organisation}"
        if user not in nodes:
            nodes[user] = (
                {
                    "label": names.get(user, user),
                    "metadata": {
                        "type": "software",
                        "organisation": link.user_organisation,
                        "url": link.user_url,
                    },
                }
                if link.user_id
                else {"label": link.user_organisation, "metadata": {"type": "organisation"}}
            )
        if link.software_id not in nodes:
            nodes[link.software_id] = {
                "label": names.get(link.software_id, link.software_id),
                "metadata": {"type": "software", "organisation": link.software_organisation},
            }
        edge = {
            "source": user,
            "target": link.software_id,
            "relation": link.kind,
            "directed": True,
            "metadata": link.model_dump(mode="json", exclude={"software_id", "user_id"}),
        }
        yield ((", " if index else "") + json.dumps(edge, ensure_ascii=False)).encode("utf-8")
    yield ('], "nodes": ' + json.dumps(nodes, ensure_ascii=False) + "}}").encode("utf-8")
