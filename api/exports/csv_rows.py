"""CSV rows kept per stored record JSON: a CSV export recomputes only the records that changed.

A CSV export without words parses every selected record's JSON, checks it against the filters
and formats its row (the maturity criteria included): 0.1 ms and more per record. Kept answers
(`api.export_files`) make a repeated export cost nothing while the store does not move, but
while a crawl writes, the change position moves with every page and each export was computed
again from scratch, for the few hundred records the page changed and the thousands it did not.
`CsvRows` keeps, per server process and within `MAX_BYTES`, each record's row and its facet
values by its stored JSON (its length and hash): an unchanged record costs a look-up, and the
exact filter check runs on the kept facet values. The bytes are those `write_csv` writes.
"""

from __future__ import annotations

import csv
import io
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from pydantic_core import from_json

from api.exports.columns import COLUMN_NAMES, Document
from api.exports.text_writers import CHUNK_ROWS, csv_values
from api.selection import BATCH, _needles, _passes, document_facet_values, preselected_ids
from indexer.search.protocol import MATURITY_VALUES, FilterValue
from indexer.store import Store

MAX_BYTES = 16 * 1024 * 1024
"""Bytes of rows one process keeps (a row is about 1 KB: 3,000 records take 4 MB)."""
_Kept = tuple[bytes, dict[str, tuple[str, ...]], datetime | None]


def kept_for(filters: Mapping[str, FilterValue]) -> bool:
    """Whether `CsvRows.export` serves `filters`: not a maturity filter (its values are
    assessed per record, which the kept facet values leave out)."""
    return not any(name in MATURITY_VALUES for name in filters)


class CsvRows:
    """Rows and facet values of records by their stored JSON, least recently used out."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._kept: OrderedDict[tuple[int, int], _Kept] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def export(self, store: Store, filters: Mapping[str, FilterValue]) -> Iterator[bytes]:
        """The CSV `write_csv` writes of the records passing `filters` (none with a maturity
        filter: `kept_for`), in chunks."""
        ids = preselected_ids(store, filters) if filters else None
        needles = _needles(filters)
        lines = [_line(list(COLUMN_NAMES))]
        for document in store.iter_documents(ids=ids, batch_size=BATCH):
            kept = self._row(document, needles if filters else [])
            if kept is None:
                continue
            row, values, moment = kept
            if filters and not _passes(values, moment, filters):
                continue
            lines.append(row)
            if len(lines) == CHUNK_ROWS:
                yield b"".join(lines)
                lines.clear()
        yield b"".join(lines)

    def _row(self, document: str, needles: list[tuple[str, ...]]) -> _Kept | None:
        """The kept row of `document`, computed and kept when new; None when the needles of
        the filters rule it out before it was ever parsed (`api.selection.matching_documents`)."""
        key = (len(document), hash(document))
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        if needles:
            folded = document.casefold()
            if not all(any(value in folded for value in group) for group in needles):
                return None
        parsed: Document = from_json(document)
        moment = (parsed.get("repository") or {}).get("last_activity")
        kept = (
            _line(csv_values(parsed)),
            document_facet_values(parsed, maturity=False),
            datetime.fromisoformat(moment) if isinstance(moment, str) else None,
        )
        self._keep(key, kept)
        return kept

    def _keep(self, key: tuple[int, int], kept: _Kept) -> None:
        size = len(kept[0]) * 2 + 512  # the row and about as much for its facet values
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = kept
            self._size += size
            while self._size > self.max_bytes and self._kept:
                _key, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped[0]) * 2 + 512


def _line(values: Iterable[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue().encode("utf-8")
