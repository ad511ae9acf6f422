"""The records a query selects, streamed: what exports and the feed write.

Without words, the store streams every live record and the filters are applied here, with the
search's semantics (values of one filter OR-ed, filters AND-ed), so an export of a filtered
slice has no size limit. Each stored JSON document is screened as text first: a record can
only match a filter value that occurs in its JSON, and looking for it costs about a twentieth
of parsing the record, so a selective filter parses little more than what it selects. With words, the search backend ranks the hits; ids come page by page
(up to the search's page depth, `MAX_PAGE_DEPTH` hits) and the records are read in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic_core import from_json

from api.exports import ExportFormat
from api.query import CatalogueQuery
from indexer.search.documents import facet_values
from indexer.search.protocol import (
    MAX_PAGE_DEPTH,
    MAX_PER_PAGE,
    ActivityRange,
    FilterValue,
    SearchBackend,
)
from indexer.store import Store
from schemas.record import Record

_UNESCAPED = re.compile(r'[^"\\\x00-\x1f]*')
BATCH = MAX_PER_PAGE
"""Records read from the store at once. Small on purpose: each reader holds one batch of JSON
documents (about 5 KB each) and their models, and a server runs several exports side by side;
batches of 1,000 took about 20 MB per export and grew every worker's memory for good."""


def record_matches(record: Record, filters: Mapping[str, FilterValue]) -> bool:
    """True when `record` passes every filter; facet values as the search backends read them."""
    values = facet_values(record)
    for name, wanted in filters.items():
        if isinstance(wanted, ActivityRange):
            moment = record.repository.last_activity
            if moment is None:
                return False
            if wanted.since is not None and moment < wanted.since:
                return False
            if wanted.until is not None and moment >= wanted.until:
                return False
            continue
        have = {value.casefold() for value in values.get(name, [])}
        if not any(value.casefold() in have for value in wanted):
            return False
    return True


def _needles(filters: Mapping[str, FilterValue]) -> list[tuple[str, ...]]:
    """Per list filter, its values case-folded: one of them occurs in a matching document.

    Values that JSON writes escaped (quotes, backslashes, control characters) give no needle;
    their filter is left to the exact check.
    """
    needles = []
    for wanted in filters.values():
        if isinstance(wanted, ActivityRange):
            continue
        values = tuple(value.casefold() for value in wanted)
        if all(_UNESCAPED.fullmatch(value) for value in values):
            needles.append(values)
    return needles


def matching_records(
    store: Store,
    filters: Mapping[str, FilterValue],
    *,
    ids: Iterable[str] | None = None,
    batch_size: int = BATCH,
) -> Iterator[Record]:
    """The live records passing `filters`: all of them ordered by id, or those of `ids` in
    that order. Documents are screened as text before they are parsed (module docstring)."""
    needles = _needles(filters)
    for document in store.iter_documents(ids=ids, batch_size=batch_size):
        if needles:
            folded = document.casefold()
            if not all(any(value in folded for value in group) for group in needles):
                continue
        record = Record.model_validate_json(document)
        if not filters or record_matches(record, filters):
            yield record


def _ranked_ids(search: SearchBackend, query: CatalogueQuery) -> Iterator[list[str]]:
    filters = query.filters()
    page = 1
    while page * BATCH <= MAX_PAGE_DEPTH:
        result = search.search(
            query=query.q, filters=filters, sort="relevance", page=page, per_page=BATCH
        )
        ids = [hit.id for hit in result.hits]
        if ids:
            yield ids
        if len(ids) < BATCH or page * BATCH >= result.total:
            return
        page += 1


def select_records(store: Store, search: SearchBackend, query: CatalogueQuery) -> Iterator[Record]:
    """Stream the records `query` selects (see the module docstring for the order)."""
    if not query.q:
        yield from matching_records(store, query.filters())
        return
    for ids in _ranked_ids(search, query):
        by_id = {record.id: record for record in store.iter_records(ids=ids)}
        for record_id in ids:
            found = by_id.get(record_id)
            if found is not None:
                yield found


def select_documents(
    store: Store, search: SearchBackend, query: CatalogueQuery
) -> Iterator[dict[str, Any]]:
    """The selected records in their JSON shape; the whole catalogue comes straight from the
    stored JSON (no model per record), a filtered slice through `select_records`."""
    if query.is_empty():
        for document in store.iter_documents(batch_size=BATCH):
            yield from_json(document)
        return
    for record in select_records(store, search, query):
        yield record.model_dump(mode="json")


def select_for(
    export: ExportFormat, store: Store, search: SearchBackend, query: CatalogueQuery
) -> Iterable[Any]:
    """What `export`'s writer reads: record models or records in their JSON shape."""
    if export.reads == "documents":
        return select_documents(store, search, query)
    return select_records(store, search, query)
