"""The records a query selects, streamed: what exports and the feed write.

Without words, the store streams every live record and the filters are applied here, with the
search's semantics (values of one filter OR-ed, filters AND-ed), so an export of a filtered
slice has no size limit. With words, the search backend ranks the hits; ids come page by page
(up to the search's page depth, `MAX_PAGE_DEPTH` hits) and the records are read in that order.
"""

from __future__ import annotations

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
        filters = query.filters()
        for record in store.iter_records(batch_size=BATCH):
            if not filters or record_matches(record, filters):
                yield record
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
