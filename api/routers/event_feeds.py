"""Atom feeds of change events: per forge, per organisation, per saved search.

``/forges/{name}/feed``, ``/organisations/{id}/feed`` and any search URL plus ``/feed``
(``/feed?q=…&licence=…`` and ``/search/feed?…`` for the search page ``/?…``,
``/api/v1/software/feed?…`` for the search API) list the newest change events
(`schemas.notifications`: new, changed, invalid, fixed, archived, removed) of the software they
select, one entry per event, titled in the page language (``?lang=`` or Accept-Language).
Without words a feed reads only the store and is kept per (change position, newest event); with
words it follows the search index and is computed each time, like ``/feeds/software.atom``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import Response

from api.atom import ATOM_MEDIA_TYPE, FeedEntry, atom_feed
from api.cache import cache_header, change_position
from api.catalogue import record_path
from api.deps import CatalogueQueryDep, FeedRequest, FeedRequestDep, SearchDep
from api.i18n import translate
from api.pages import page_url
from api.problems import ApiProblem, content_route
from api.query import CatalogueQuery
from api.routers.feeds import ranked_ids
from api.selection import record_matches
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from schemas.notifications import ChangeEvent
from schemas.organisation import OrganisationEntity

router = APIRouter(tags=["feeds"])
FEED_ENTRIES = 50
WINDOW = 200
"""Events read at once when a saved search screens them."""
MAX_SCANNED = 5_000
"""Events looked at, at most, to fill a saved search's feed."""
Producer = Callable[[], list[ChangeEvent]]


def event_title(language: str, event: ChangeEvent) -> str:
    """The entry title of `event` in `language`, e.g. "Fehlerhaft: E-Akte"."""
    return translate(language, f"feeds.event.{event.kind}", name=event.name)


def event_summary(language: str, event: ChangeEvent) -> str:
    """The entry summary: the stored English one, or the page language's (without counts)."""
    if language == "en":
        return event.summary
    key = f"feeds.summary.{event.kind}"
    text = translate(language, key, name=event.name)
    return event.summary if text == key else text


def _entries(base: str, language: str, events: list[ChangeEvent]) -> list[FeedEntry]:
    entries = []
    for event in events:
        link = f"{base}/software/{record_path(event.record_id)}"
        entries.append(
            FeedEntry(
                id=f"{base}/events/{event.seq}",
                title=event_title(language, event),
                link=link,
                updated=event.at,
                published=event.at,
                summary=event_summary(language, event),
                categories=(event.kind,),
            )
        )
    return entries


def _document(feed: FeedRequest, title: str, alternate: str, events: list[ChangeEvent]) -> bytes:
    request, language = feed.request, feed.language
    base = str(request.base_url).rstrip("/")
    pairs = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    entries = _entries(base, language, events)
    path = request.url.path
    return atom_feed(
        feed_id=f"{base}{page_url(path, pairs)}",
        title=title,
        self_link=f"{base}{page_url(path, [*pairs, ('lang', language)])}",
        alternate_link=f"{base}{page_url(alternate, [*pairs, ('lang', language)])}",
        updated=max((entry.updated for entry in entries), default=datetime(1970, 1, 1, tzinfo=UTC)),
        entries=entries,
        language=language,
    )


def _answer(
    feed: FeedRequest, title: str, alternate: str, produce: Producer, *, cached: bool = True
) -> Response:
    def body() -> bytes:
        return _document(feed, title, alternate, produce())

    if not cached:
        return Response(body(), media_type=ATOM_MEDIA_TYPE, headers=cache_header(False))
    key = ("event feed", feed.request.url.path, feed.request.url.query, feed.language)
    version = (change_position(feed.store), feed.store.latest_event_seq())
    document, hit = feed.cache.lookup(key, version, body, len)
    return Response(document, media_type=ATOM_MEDIA_TYPE, headers=cache_header(hit))


@router.get(
    "/forges/{name}/feed",
    summary="Atom feed of the changes of one forge's software",
    **content_route(ATOM_MEDIA_TYPE, "string", 404),
)
def forge_changes(name: str, feed: FeedRequestDep) -> Response:
    """The newest 50 change events of the software crawled from forge `name`."""
    if feed.store.get_forge(name) is None:
        raise ApiProblem(404, "not-found", f"{name}: no forge of that name is registered")
    title = translate(feed.language, "feeds.forge_title", name=name)
    return _answer(
        feed, title, "/forges", lambda: feed.store.events(forge=name, limit=FEED_ENTRIES)
    )


@router.get(
    "/organisations/{organisation_id}/feed",
    summary="Atom feed of the changes of one organisation's software",
    **content_route(ATOM_MEDIA_TYPE, "string", 404),
)
def organisation_changes(organisation_id: str, feed: FeedRequestDep) -> Response:
    """The newest 50 change events of the software of organisation `organisation_id`."""
    entity = feed.store.get_organisation(organisation_id)
    if entity is None:
        raise ApiProblem(
            404, "not-found", f"{organisation_id}: no such organisation in the catalogue"
        )
    name = entity.name_in(feed.language) or entity.id
    title = translate(feed.language, "feeds.organisation_title", name=name)
    return _answer(
        feed,
        title,
        f"/organisations/{organisation_id}",
        lambda: feed.store.events(organisation_id=organisation_id, limit=FEED_ENTRIES),
    )


def search_events(store: Store, search: SearchBackend, query: CatalogueQuery) -> list[ChangeEvent]:
    """Up to `FEED_ENTRIES` newest events of the software `query` selects (a saved search).

    Filters are checked on each event's record as stored (removed ones too, as they were when
    they left); with words, only records among the search's best hits qualify, so software
    removed from the catalogue (and the index) drops out of a search with words.
    """
    allowed = ranked_ids(search, query) if query.q else None
    filters = query.filters()
    chosen: list[ChangeEvent] = []
    for window in _windows(store):
        ids = {event.record_id for event in window}
        if allowed is not None:
            ids &= allowed
        matching = {
            record.id
            for record in store.iter_records(ids=sorted(ids), include_deleted=True)
            if record_matches(record, filters)
        }
        for event in window:
            if event.record_id in matching:
                chosen.append(event)
                if len(chosen) == FEED_ENTRIES:
                    return chosen
    return chosen


def _windows(store: Store) -> Iterator[list[ChangeEvent]]:
    before: int | None = None
    scanned = 0
    while scanned < MAX_SCANNED:
        window = store.events(before_seq=before, limit=WINDOW)
        if not window:
            return
        yield window
        scanned += len(window)
        before = window[-1].seq


def _search_feed(
    feed: FeedRequest, search: SearchBackend, query: CatalogueQuery, alternate: str
) -> Response:
    title = (
        translate(feed.language, "feeds.search_title", q=query.q)
        if query.q
        else translate(feed.language, "feeds.changes_title")
    )
    return _answer(
        feed,
        title,
        alternate,
        lambda: search_events(feed.store, search, query),
        cached=not query.q,
    )


@router.get("/feed", include_in_schema=False)
@router.get("/search/feed", include_in_schema=False)
def search_page_feed(feed: FeedRequestDep, search: SearchDep, query: CatalogueQueryDep) -> Response:
    """The change events of a saved search of the search page (``/?…`` → ``/feed?…``)."""
    return _search_feed(feed, search, query, "/")


@router.get(
    "/api/v1/software/feed",
    summary="Atom feed of the changes of the software a search selects",
    **content_route(ATOM_MEDIA_TYPE, "string", 400, 422),
)
def search_api_feed(feed: FeedRequestDep, search: SearchDep, query: CatalogueQueryDep) -> Response:
    """The newest 50 change events (new, changed, invalid, fixed, archived, removed) of the
    software the same words and filters as ``GET /api/v1/software`` select."""
    return _search_feed(feed, search, query, "/")


def feed_link(path: str, query: CatalogueQuery | None = None) -> str:
    """The feed URL of a page at `path` (``/`` → ``/feed``), keeping the search's parameters."""
    feed_path = "/feed" if path == "/" else f"{path.rstrip('/')}/feed"
    return page_url(feed_path, query.params() if query else [])


def organisation_feed(entity: OrganisationEntity, language: str) -> dict[str, str]:
    """Title and URL of an organisation's change feed, for its page's head and footer."""
    name = entity.name_in(language) or entity.id
    return {
        "title": translate(language, "feeds.organisation_title", name=name),
        "href": f"/organisations/{entity.id}/feed",
    }
