"""What the JSON routes and the pages both show, computed once: search pages, details, related records.

Pure functions over a store and a search backend; no request or response objects here, so the
JSON API and the HTML pages cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from api.models import HitOut, RelatedRecord, SearchFacetValue, SearchResponse
from api.query import DEFAULT_FACETS, CatalogueQuery, SearchPage, query_string
from indexer.search.protocol import Hit, SearchBackend, SearchResult
from indexer.store import Store
from schemas.copying import from_attributes
from schemas.errors import InvalidURLError
from schemas.record import Record, canonical_id

MAX_RELATED = 50


def record_path(record_id: str) -> str:
    """The URL path segment of a record id (ids are ``host/path``; slashes stay)."""
    return quote(record_id, safe="/")


def hit_links(record_id: str) -> dict[str, str]:
    return {
        "self": f"/api/v1/software/{record_path(record_id)}",
        "page": f"/software/{record_path(record_id)}",
    }


def hit_out(hit: Hit) -> HitOut:
    """The API shape of a search hit."""
    return from_attributes(HitOut, hit, links=hit_links(hit.id))


def record_hit(record: Record, language: str = "en") -> HitOut:
    """A hit-shaped summary of a record (for the status answer), without highlights."""
    description = record.description_in(language)
    return HitOut(
        id=record.id,
        url=record.url,
        name=record.name,
        short_description=description.short if description else record.repository.description,
        licence=record.licence.expression if record.licence else record.repository.licence,
        last_activity=record.repository.last_activity,
        declared=record.declared,
        valid=record.valid,
        forge=record.repository.forge,
        stars=record.repository.stars,
        organisation=record.organisation.name if record.organisation else None,
        mirrors=tuple(record.relations.mirrors),
        links=hit_links(record.id),
    )


def run_search(
    search: SearchBackend,
    query: CatalogueQuery,
    page: SearchPage,
    locale: str,
    *,
    default_facets: bool = False,
) -> SearchResult:
    """Search with the query's filters; raises `InvalidQueryError` for unusable requests."""
    facets = page.facets or (list(DEFAULT_FACETS) if default_facets else [])
    return search.search(
        query=query.q,
        filters=query.filters(),
        facets=facets,
        sort=page.sort,
        page=page.page,
        per_page=page.per_page,
        locale=locale,
    )


def page_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page)) if total else 0


def facet_values(
    result: SearchResult, organisations: Mapping[str, str] | None = None
) -> dict[str, list[SearchFacetValue]]:
    """The result's facet counts; the ``organisation`` facet's values (ids) labelled with the
    names `organisations` gives (id → name, `api.organisations_view.organisation_labels`)."""
    names = organisations or {}
    return {
        name: [
            SearchFacetValue(
                value=value,
                count=count,
                label=names.get(value, value) if name == "organisation" else None,
            )
            for value, count in counts.items()
        ]
        for name, counts in result.facets.items()
    }


def search_links(base: str, query: CatalogueQuery, page: SearchPage, total: int) -> dict[str, str]:
    """self/next/prev links keeping the whole query, and the CSV export of the same selection."""

    def link(number: int) -> str:
        pairs = [*query.params()]
        pairs += [("facets", ",".join(page.facets))] if page.facets else []
        if page.sort != "relevance":
            pairs.append(("sort", page.sort))
        pairs += [("page", str(number)), ("per_page", str(page.per_page))]
        return f"{base}?{query_string(pairs)}"

    links = {"self": link(page.page)}
    if page.page < page_count(total, page.per_page):
        links["next"] = link(page.page + 1)
    if page.page > 1:
        links["prev"] = link(page.page - 1)
    links["export_csv"] = "/api/v1/export?" + query_string([("format", "csv"), *query.params()])
    return links


@dataclass(frozen=True)
class RecordTimes:
    first_seen: datetime | None
    last_seen: datetime | None
    last_changed: datetime | None


def search_response(
    result: SearchResult,
    query: CatalogueQuery,
    page: SearchPage,
    labels: Mapping[str, str],
    base: str,
    *,
    also_searched: Sequence[str] = (),
    did_you_mean: str | None = None,
) -> SearchResponse:
    """The API page of `result`: hits, counts, facets labelled by `labels`, links under `base`;
    the synonyms searched and the corrected query where the caller tells them."""
    return SearchResponse(
        query=query.q,
        total=result.total,
        partial_total=result.partial_total,
        page=result.page,
        per_page=result.per_page,
        pages=page_count(result.listed, result.per_page),
        hits=[hit_out(hit) for hit in result.hits],
        facets=facet_values(result, labels),
        links=search_links(base, query, page, result.listed),
        also_searched=list(also_searched),
        did_you_mean=did_you_mean,
    )


def record_times(store: Store, record_id: str) -> RecordTimes:
    meta = store.get_record_meta(record_id)
    if meta is None:
        return RecordTimes(None, None, None)
    return RecordTimes(meta.first_seen, meta.last_seen, meta.last_changed)


def _related_urls(record: Record) -> list[tuple[str, str]]:
    relations = record.relations
    pairs: list[tuple[str, str]] = []
    pairs += [("mirror", url) for url in relations.mirrors]
    pairs += [("alias", url) for url in relations.aliases]
    pairs += [("based_on", url) for url in relations.is_based_on]
    pairs += [("fork_of", relations.fork_of)] if relations.fork_of else []
    pairs += [("variant", url) for url in relations.variants]
    pairs += [("fork", url) for url in relations.forks]
    return pairs


def related_records(store: Store, record: Record) -> list[RelatedRecord]:
    """The record's mirrors, aliases, upstreams, forks and variants, with names when listed."""
    related: list[RelatedRecord] = []
    seen: set[tuple[str, str]] = set()
    for kind, url in _related_urls(record)[:MAX_RELATED]:
        try:
            other_id = canonical_id(url)
        except InvalidURLError:
            continue
        if (kind, other_id) in seen or other_id == record.id:
            continue
        seen.add((kind, other_id))
        other = store.get_record(other_id)
        related.append(
            RelatedRecord(
                kind=kind,  # type: ignore[arg-type]
                url=other.url if other else url,
                id=other_id,
                name=other.name if other else None,
                listed=other is not None,
            )
        )
    return related


def record_or_move(store: Store, record_id: str) -> tuple[Record | None, str | None]:
    """(the record `record_id` names, None), or (None, the id it moved to, or None): one read
    of the record when it exists, the usual case."""
    record: Record | None = store.get_record(record_id.lower())
    if record is not None:
        return record, None
    return None, _moved_id(store, record_id)


def _moved_id(store: Store, record_id: str) -> str | None:
    try:
        current: str | None = store.find_record_by_url(f"https://{record_id}")
    except ValueError:
        return None
    return current if current and current != record_id.lower() else None
