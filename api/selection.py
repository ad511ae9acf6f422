"""The records a query selects, streamed: what exports and the feed write.

Without words, the store streams every live record and the filters are applied here, with the
search's semantics (values of one filter OR-ed, filters AND-ed), so an export of a filtered
slice has no size limit. Each stored JSON document is screened as text first: a record can
only match a filter value that occurs in its JSON, and looking for it costs about a twentieth
of parsing the record. A document that passes is parsed to a plain dict (several times faster
than a model) and checked exactly on it (`document_facet_values`, the same values as
`indexer.search.documents.facet_values` reads from a record); only what is written as a model
(NDJSON, JSON, the feed's entries) is then built as one. With words, the search backend ranks
the hits; ids come page by page (up to the search's page depth, `MAX_PAGE_DEPTH` hits) and the
records are read in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from pydantic_core import from_json

from api.exports import ExportFormat
from api.exports.columns import Document
from api.query import CatalogueQuery
from indexer.search.documents import REUSE_THRESHOLDS, document_maturity_values, facet_values
from indexer.search.protocol import (
    MATURITY_VALUES,
    MAX_PAGE_DEPTH,
    MAX_PER_PAGE,
    ActivityRange,
    FilterValue,
    SearchBackend,
)
from indexer.store import Store
from indexer.store.values import RecordFacets
from schemas.record import Record

_UNESCAPED = re.compile(r'[^"\\\x00-\x1f]*')
BATCH = MAX_PER_PAGE
"""Records read from the store at once. Small on purpose: each reader holds one batch of JSON
documents (about 5 KB each) and their models, and a server runs several exports side by side;
batches of 1,000 took about 20 MB per export and grew every worker's memory for good."""


def record_matches(record: Record, filters: Mapping[str, FilterValue]) -> bool:
    """True when `record` passes every filter; facet values as the search backends read them."""
    return _passes(facet_values(record), record.repository.last_activity, filters)


def document_matches(document: Document, filters: Mapping[str, FilterValue]) -> bool:
    """`record_matches` for a record in its stored JSON shape (a dict, no model built)."""
    moment = (document.get("repository") or {}).get("last_activity")
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else None
    maturity = any(name in MATURITY_VALUES for name in filters)
    return _passes(document_facet_values(document, maturity=maturity), when, filters)


def document_facet_values(
    document: Document, *, maturity: bool = True
) -> dict[str, tuple[str, ...]]:
    """`indexer.search.documents.facet_values` of a record in its stored JSON shape; without
    the maturity values (assessed from the record, the costly part) when `maturity` is false."""
    repository: Document = document.get("repository") or {}
    licence: Document = document.get("licence") or {}
    organisation: Document = document.get("organisation") or {}
    used = (document.get("reuse") or {}).get("used_by_organisations") or 0
    findings: list[Document] = document.get("findings") or []
    licences = licence.get("ids") or ([repository["licence"]] if repository.get("licence") else [])

    def one(value: Any) -> tuple[str, ...]:
        return (value,) if value else ()

    def unique(values: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value for value in values or () if value))

    return {
        "licence": unique(licences),
        "category": unique(document.get("categories")),
        "platform": unique(document.get("platforms")),
        "software_type": one(document.get("software_type")),
        "development_status": one(document.get("development_status")),
        "maintenance_type": one((document.get("maintenance") or {}).get("type")),
        "organisation": one(
            organisation.get("id") if organisation.get("kind") != "person" else None
        ),
        "forge": one(repository.get("forge")),
        "language": unique(repository.get("languages")),
        "declared": ("true" if document.get("declared") else "false",),
        "archived": ("true" if repository.get("archived") else "false",),
        "reused_by_organisations": tuple(
            f"{threshold}+" for threshold in REUSE_THRESHOLDS if threshold <= used
        ),
        **(document_maturity_values(document) if maturity else {}),
        # Publisher views (issue 13).
        "valid": ("false" if any(f.get("type") == "error" for f in findings) else "true",),
        "has_findings": ("true" if findings else "false",),
        "finding": unique(finding.get("code") for finding in findings),
    }


def _passes(
    values: Mapping[str, tuple[str, ...]],
    last_activity: datetime | None,
    filters: Mapping[str, FilterValue],
) -> bool:
    for name, wanted in filters.items():
        if isinstance(wanted, ActivityRange):
            if last_activity is None:
                return False
            if wanted.since is not None and last_activity < wanted.since:
                return False
            if wanted.until is not None and last_activity >= wanted.until:
                return False
            continue
        have = {value.casefold() for value in values.get(name, [])}
        if not any(value.casefold() in have for value in wanted):
            return False
    return True


_DERIVED_FLAGS = frozenset({"valid", "has_findings"})
"""Flags computed from the findings, not written as such in the stored JSON: no needle."""


def _needles(filters: Mapping[str, FilterValue]) -> list[tuple[str, ...]]:
    """Per list filter, its values case-folded: one of them occurs in a matching document.

    Values that JSON writes escaped (quotes, backslashes, control characters) give no needle;
    their filter is left to the exact check.
    """
    needles = []
    for name, wanted in filters.items():
        if isinstance(wanted, ActivityRange) or name in MATURITY_VALUES or name in _DERIVED_FLAGS:
            continue  # maturity values and finding flags are derived, not in the JSON
        values = tuple(value.casefold() for value in wanted)
        if all(_UNESCAPED.fullmatch(value) for value in values):
            needles.append(values)
    return needles


def matching_documents(
    store: Store,
    filters: Mapping[str, FilterValue],
    *,
    ids: Iterable[str] | None = None,
    batch_size: int = BATCH,
) -> Iterator[tuple[str, Document]]:
    """The live records passing `filters` as (stored JSON, parsed dict): all of them ordered by
    id, or those of `ids` in that order. Screened as text, then checked on the dict."""
    needles = _needles(filters)
    for document in store.iter_documents(ids=ids, batch_size=batch_size):
        if needles:
            folded = document.casefold()
            if not all(any(value in folded for value in group) for group in needles):
                continue
        parsed: Document = from_json(document)
        if not filters or document_matches(parsed, filters):
            yield document, parsed


# Filters the store keeps a column for (`Store.iter_facets`): a filtered export reads these
# small columns of every record first, and only the documents they let through.
_COLUMN_FILTERS = ("forge", "organisation", "licence", "language", "category")


def _column_values(facets: RecordFacets) -> dict[str, tuple[str, ...]]:
    return {
        "forge": (facets.forge,),
        "organisation": (facets.organisation,) if facets.organisation else (),
        "licence": facets.licences,
        "language": facets.languages,
        "category": facets.categories,
    }


def preselected_ids(store: Store, filters: Mapping[str, FilterValue]) -> list[str] | None:
    """Ids (ordered) of the live records whose facet columns pass the `filters` that have a
    column, or None when none has (then every document is screened)."""
    by_column = {name: filters[name] for name in _COLUMN_FILTERS if name in filters}
    if not by_column:
        return None
    return [
        facets.id
        for facets in store.iter_facets()
        if _passes(_column_values(facets), None, by_column)
    ]


def matching_records(
    store: Store,
    filters: Mapping[str, FilterValue],
    *,
    ids: Iterable[str] | None = None,
    batch_size: int = BATCH,
) -> Iterator[Record]:
    """`matching_documents` as records: only the matching ones become models."""
    for document, _parsed in matching_documents(store, filters, ids=ids, batch_size=batch_size):
        yield Record.model_validate_json(document)


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
    """The selected records in their JSON shape: without words straight from the stored JSON
    (no model per record), ranked hits through `select_records`."""
    if query.is_empty():
        for document in store.iter_documents(batch_size=BATCH):
            yield from_json(document)
        return
    if not query.q:
        filters = query.filters()
        ids = preselected_ids(store, filters)
        for _document, parsed in matching_documents(store, filters, ids=ids):
            yield parsed
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
