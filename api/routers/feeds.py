"""``/feeds/software.atom``: new and updated software, newest first, with the search's filters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import Response

from api.atom import ATOM_MEDIA_TYPE, FeedEntry, atom_feed
from api.cache import cache_header, change_position
from api.catalogue import record_path
from api.deps import CatalogueQueryDep, FeedRequestDep, SearchDep
from api.i18n import translate
from api.pages import page_url
from api.problems import content_route
from api.query import CatalogueQuery
from api.selection import matching_records
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from schemas.record import Record

router = APIRouter(tags=["feeds"])
FEED_ENTRIES = 50
FIRST_WINDOW = 2 * FEED_ENTRIES  # usually enough for a feed without filters
WINDOW = 800  # windows double from FIRST_WINDOW up to this
MAX_SCANNED = 20_000  # change-feed entries looked at, at most, to fill one feed
MAX_RANKED = 1_000  # with words, only the best hits can appear


def _latest_upserts(store: Store) -> Iterator[list[tuple[str, datetime]]]:
    """Record ids upserted most recently, newest first, each once, as (id, time), in windows.

    Walks the change feed backwards from its newest entry, `MAX_SCANNED` entries at most, in
    windows that double from `FIRST_WINDOW` to `WINDOW` entries: a feed without filters is
    usually filled by the first, and a filtered one is not read in a hundred small steps.
    """
    seen: set[str] = set()
    seq = store.latest_change_seq()
    scanned = 0
    size = FIRST_WINDOW
    while seq > 0 and scanned < MAX_SCANNED:
        start = max(0, seq - size)
        changes = [change for change in store.changes_since(start, limit=size) if change.seq <= seq]
        scanned += len(changes)
        window = []
        for change in reversed(changes):
            if change.kind == "upserted" and change.id not in seen:
                seen.add(change.id)
                window.append((change.id, change.at))
        if window:
            yield window
        seq = start
        size = min(2 * size, WINDOW)


def ranked_ids(search: SearchBackend, query: CatalogueQuery) -> set[str]:
    """Ids of the best `MAX_RANKED` hits of `query`'s words and filters."""
    ids: set[str] = set()
    for page in range(1, MAX_RANKED // 100 + 1):
        result = search.search(query=query.q, filters=query.filters(), page=page, per_page=100)
        ids.update(hit.id for hit in result.hits)
        if len(result.hits) < 100:
            break
    return ids


def feed_records(
    store: Store, search: SearchBackend, query: CatalogueQuery
) -> list[tuple[Record, datetime]]:
    """Up to `FEED_ENTRIES` records matching `query`, most recently changed first."""
    allowed = ranked_ids(search, query) if query.q else None
    filters = query.filters()
    chosen: list[tuple[Record, datetime]] = []
    for window in _latest_upserts(store):
        changed_at = dict(window)
        ids = [record_id for record_id, _ in window]
        if allowed is not None:
            ids = [record_id for record_id in ids if record_id in allowed]
        for record in matching_records(store, filters, ids=ids):
            chosen.append((record, changed_at[record.id]))
            if len(chosen) == FEED_ENTRIES:
                return chosen
    return chosen


@router.get(
    "/feeds/software.atom",
    summary="Atom feed of new and updated software",
    **content_route(ATOM_MEDIA_TYPE, "string", 400, 414, 422),
)
def software_feed(feed: FeedRequestDep, search: SearchDep, query: CatalogueQueryDep) -> Response:
    """The 50 most recently new or changed records matching the filters (same as the search).

    Without words the feed reads only the store, so it is computed once per change position;
    with words it follows the search index, which syncs on its own, and is computed each time.
    """
    base = str(feed.request.base_url).rstrip("/")
    store, language = feed.store, feed.language
    if query.q:
        body, hit = _feed_body(base, store, search, query, language), False
    else:
        body, hit = feed.cache.lookup(
            ("atom", base, tuple(query.params()), language),
            change_position(store),
            lambda: _feed_body(base, store, search, query, language),
            len,
        )
    return Response(body, media_type=ATOM_MEDIA_TYPE, headers=cache_header(hit))


def _feed_body(
    base: str, store: Store, search: SearchBackend, query: CatalogueQuery, language: str
) -> bytes:
    """The Atom document of `feed_records`, links absolute under `base`."""
    entries = []
    chosen = feed_records(store, search, query)
    metas = store.record_metas(record.id for record, _ in chosen)
    for record, changed in chosen:
        meta = metas.get(record.id)
        description = record.description_in(language)
        entries.append(
            FeedEntry(
                id=f"{base}/software/{record_path(record.id)}",
                title=record.name,
                link=f"{base}/software/{record_path(record.id)}",
                updated=changed,
                published=meta.first_seen if meta else None,
                summary=description.short if description else record.repository.description,
                categories=record.categories,
                author=record.organisation.name if record.organisation else None,
            )
        )
    pairs = query.params()
    return atom_feed(
        feed_id=f"{base}{page_url('/feeds/software.atom', pairs)}",
        title=translate(language, "feed.title"),
        self_link=f"{base}{page_url('/feeds/software.atom', [*pairs, ('lang', language)])}",
        alternate_link=f"{base}{page_url('/', [*pairs, ('lang', language)])}",
        updated=max((entry.updated for entry in entries), default=datetime(1970, 1, 1, tzinfo=UTC)),
        entries=entries,
        language=language,
    )
