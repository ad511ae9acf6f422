"""The Meilisearch search backend: the protocol's search, upsert, delete and rebuild.

* Every write waits for its Meilisearch task and raises `SearchServerError` when it fails.
* The server's version is checked once, before the first request that needs the index;
  servers older than `settings.MINIMUM_VERSION` are refused with `BackendVersionError`.
* The index is created with its settings on the first write; settings are re-applied once per
  backend instance, so an index made by an older codereuse converges.
* `rebuild` never leaves the live index empty: it fills ``<index>_<timestamp>``, applies the
  settings first (so documents are indexed once), checks the document count, swaps the new index
  with the live one (``POST /swap-indexes``, atomic) and deletes the old copy.
* `sync_from_store` follows the store's change feed (see `sync`), so a recrawl re-indexes only
  what changed.
* Requests are refused with `InvalidQueryError` *before* anything is sent when a filter, facet,
  sort, page or locale is outside the protocol's whitelist.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx

from indexer.search.meilisearch import sync
from indexer.search.meilisearch.client import MeilisearchClient
from indexer.search.meilisearch.documents import (
    document_key,
    serialised_batches,
    settle_mirrors,
    to_document,
)
from indexer.search.meilisearch.filters import (
    MAX_VALUES_PER_FIELD,
    build_filter,
    build_sort,
    plain_query,
    quote,
)
from indexer.search.meilisearch.results import (
    HIGHLIGHT_POST,
    HIGHLIGHT_PRE,
    HIGHLIGHTED_ATTRIBUTES,
    to_result,
)
from indexer.search.meilisearch.settings import (
    FILTER_ATTRIBUTES,
    LOCALE_CODES,
    MAX_MIRROR_GROUP_FETCH,
    MINIMUM_VERSION,
    PRIMARY_KEY,
    index_settings,
)
from indexer.search.protocol import CheckedSearch, SearchRequest, SearchResult
from indexer.search.synonyms import domain_synonyms
from indexer.search.text import words
from schemas.errors import ConfigurationError, SearchError, SearchServerError
from schemas.record import Record
from schemas.settings import Settings

logger = logging.getLogger(__name__)

RecordSource = Callable[[], Iterable[Record]]

_INDEX_NAME = re.compile(r"^[A-Za-z0-9_-]{1,360}$")
# What a hit needs (long descriptions stay on the server).
RETRIEVED_ATTRIBUTES: list[str] = [
    "id",
    "url",
    "name",
    "short_description",
    "features",
    "licence_expression",
    "last_activity",
    "declared",
    "valid",
    "forge",
    "stars",
    "organisation",
    "organisation_name",
    "mirrors",
]
BATCH_BYTES = 10_000_000
BATCH_DOCUMENTS = 10_000


class MeilisearchBackend(CheckedSearch):
    """`SearchBackend` on a Meilisearch server (see the module docstring for the guarantees)."""

    def __init__(
        self,
        client: MeilisearchClient,
        index: str = "software",
        record_source: RecordSource | None = None,
        *,
        batch_bytes: int = BATCH_BYTES,
        batch_documents: int = BATCH_DOCUMENTS,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        store_seq: Callable[[], int] | None = None,
    ) -> None:
        if not _INDEX_NAME.match(index):
            raise ConfigurationError(
                f"CODEREUSE_MEILI_INDEX {index!r} is not a usable index name; use 1–360 "
                "characters from A-Z, a-z, 0-9, _ and -"
            )
        self.client = client
        self.index = index
        self._record_source = record_source
        self._batch_bytes = batch_bytes
        self._batch_documents = batch_documents
        self._now = now
        self._store_seq = store_seq
        self._version_checked = False
        self._index_ready = False

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()

    # -- protocol --------------------------------------------------------------------------

    def run_search(self, request: SearchRequest) -> SearchResult:
        """Search the live index for a checked request (see `protocol.CheckedSearch`)."""
        body: dict[str, Any] = {
            "q": plain_query(request.query),
            "page": request.page,
            "hitsPerPage": request.per_page,
            "attributesToRetrieve": RETRIEVED_ATTRIBUTES,
            "attributesToHighlight": list(HIGHLIGHTED_ATTRIBUTES),
            "highlightPreTag": HIGHLIGHT_PRE,
            "highlightPostTag": HIGHLIGHT_POST,
            "locales": [LOCALE_CODES[request.locale.split("-")[0].lower()]],
        }
        expression = build_filter(request.filters)
        if expression:
            body["filter"] = expression
        clauses = build_sort(request.sort)
        if clauses:
            body["sort"] = clauses
        if request.facets:
            body["facets"] = [FILTER_ATTRIBUTES[name] for name in dict.fromkeys(request.facets)]
        self._check_version()
        # Honest counts (see `protocol`): with several words under relevance order, the listed
        # hits come from `last` (all-word matches rank first by the `words` rule) and the
        # counts of matches and their facets from a second, hit-less `all` search.
        several = len(body["q"].split()) > 1 and not clauses
        body["matchingStrategy"] = "last" if several else "all"
        answer = self._search(body)
        counted = None
        if several:
            counting: dict[str, Any] = {
                key: body[key] for key in ("q", "filter", "facets", "locales") if key in body
            }
            counting |= {"matchingStrategy": "all", "page": 1, "hitsPerPage": 0}
            counted = self._search(counting)
        result = to_result(
            answer,
            list(dict.fromkeys(request.facets)),
            request.page,
            request.per_page,
            request.locale,
            counted,
        )
        # The server applies the same groups (its `synonyms` setting) without saying which.
        matches = domain_synonyms().matches(words(request.query))
        also = [text for match in matches for text, _ in match.alternatives]
        return replace(result, also_searched=tuple(dict.fromkeys(also)))

    def _search(self, body: dict[str, Any]) -> Any:
        try:
            return self.client.request("POST", f"/indexes/{self.index}/search", json=body)
        except SearchServerError as error:
            if error.code == "index_not_found":
                raise SearchServerError(
                    f"the Meilisearch index {self.index!r} does not exist at {self.client.url}; "
                    "build it with `codereuse index --rebuild`",
                    code=error.code,
                ) from None
            raise

    def upsert(self, records: Iterable[Record]) -> None:
        """Add or replace `records` by id, in size-bounded batches; waits for every task."""
        self._ensure_index()
        self._add(self.index, (to_document(record) for record in records), partners_in_index=True)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove records by canonical id; unknown ids are ignored. Waits for every task."""
        keys = list(dict.fromkeys(document_key(record_id) for record_id in ids))
        if not keys:
            return
        self._ensure_index()
        path = f"/indexes/{self.index}/documents/delete-batch"
        uids = [
            self.client.submit("POST", path, json=keys[start : start + self._batch_documents])
            for start in range(0, len(keys), self._batch_documents)
        ]
        self.client.wait_all(uids)

    def rebuild(self) -> None:
        """Rebuild the index from the record source, swapping it in without downtime.

        With a `store_seq` source the store's change position is remembered, so a following
        `sync_from_store` only applies what changed after the rebuild started.

        Raises:
            ConfigurationError: the backend was built without a record source.
            SearchError: any step failed; the live index is then untouched and the new one deleted.
        """
        if self._record_source is None:
            raise ConfigurationError(
                "this Meilisearch backend has no record source, so it cannot rebuild; "
                "build it with create_meilisearch_backend(settings, store.iter_records)"
            )
        self._check_version()
        position = self._store_seq() if self._store_seq else None
        self._rebuild(self._record_source)
        if position is not None:
            sync.write_position(self.client, self.index, position)

    def sync_from_store(self, store: sync.ChangeFeed) -> int:
        """Apply the store's changes since the last applied one; return how many ids changed.

        Without a remembered position (first sync, or a rebuild that could not record one) the
        index is rebuilt from `store` and the number of records indexed is returned.
        """
        self._check_version()
        last = sync.read_position(self.client, self.index)
        if last is None:
            position = store.latest_change_seq()
            indexed = self._rebuild(lambda: store.iter_records())
            sync.write_position(self.client, self.index, position)
            return indexed
        newest, ids = sync.changed_since(store, last)
        if newest == last:
            return 0
        sync.apply_changes(store, ids, self.upsert, self.delete)
        sync.write_position(self.client, self.index, newest)
        return len(ids)

    def _rebuild(self, source: RecordSource) -> int:
        """Build ``<index>_<timestamp>`` from `source` and swap it in; the records indexed."""
        fresh = f"{self.index}_{self._now().astimezone(UTC):%Y%m%dT%H%M%S%f}"
        self.client.wait(
            self.client.submit("POST", "/indexes", json={"uid": fresh, "primaryKey": PRIMARY_KEY})
        )
        try:
            self._apply_settings(fresh)
            sent = self._add(
                fresh, (to_document(record) for record in source()), partners_in_index=False
            )
            stats = self.client.request("GET", f"/indexes/{fresh}/stats")
            indexed = stats.get("numberOfDocuments") if isinstance(stats, dict) else None
            if indexed != sent:
                raise SearchError(
                    f"the rebuilt Meilisearch index {fresh!r} holds {indexed} documents, "
                    f"but {sent} were sent; the live index {self.index!r} was left as it was"
                )
            live = self.client.request("GET", f"/indexes/{self.index}", allow_not_found=True)
            swap: dict[str, Any] = {"indexes": [self.index, fresh]}
            if live is None:
                swap = {"indexes": [fresh, self.index], "rename": True}
            self.client.wait(self.client.submit("POST", "/swap-indexes", json=[swap]))
        except BaseException:
            self._drop(fresh)
            raise
        if live is not None:
            # After the swap `fresh` holds the previous documents.
            self.client.wait(self.client.submit("DELETE", f"/indexes/{fresh}"))
        self._index_ready = True
        logger.info("meilisearch index %s rebuilt with %d documents", self.index, sent)
        return sent

    # -- internals ---------------------------------------------------------------------------

    def _check_version(self) -> None:
        if not self._version_checked:
            self.client.require_version(MINIMUM_VERSION)
            self._version_checked = True

    def _ensure_index(self) -> None:
        """Create the live index if missing and apply the settings (once per instance)."""
        if self._index_ready:
            return
        self._check_version()
        info = self.client.request("GET", f"/indexes/{self.index}", allow_not_found=True)
        if info is None:
            try:
                self.client.wait(
                    self.client.submit(
                        "POST", "/indexes", json={"uid": self.index, "primaryKey": PRIMARY_KEY}
                    )
                )
            except SearchServerError as error:
                if error.code != "index_already_exists":  # created concurrently: fine
                    raise
        elif info.get("primaryKey") not in (None, PRIMARY_KEY):
            raise SearchError(
                f"the Meilisearch index {self.index!r} at {self.client.url} has primary key "
                f"{info.get('primaryKey')!r}, not {PRIMARY_KEY!r}; it was not made by codereuse: "
                "set CODEREUSE_MEILI_INDEX to another name or delete that index"
            )
        self._apply_settings(self.index)
        self._index_ready = True

    def _apply_settings(self, index: str) -> None:
        self.client.wait(
            self.client.submit("PATCH", f"/indexes/{index}/settings", json=index_settings())
        )

    def _add(
        self, index: str, documents: Iterable[dict[str, Any]], *, partners_in_index: bool
    ) -> int:
        """Send `documents` in batches, wait for all tasks; return the number of distinct keys.

        Documents of mirrored software are held back and sent last, with their group's ranking
        fields settled (`settle_mirrors`); with `partners_in_index`, copies already in the index
        are fetched and re-sent too, so an upsert of one copy keeps its group consistent.
        """
        keys: set[str] = set()
        held: dict[str, dict[str, dict[str, Any]]] = {}

        def unmirrored() -> Iterator[dict[str, Any]]:
            for document in documents:
                keys.add(document[PRIMARY_KEY])
                if document["mirrors"]:
                    group = held.setdefault(document["mirror_group"], {})
                    group[document[PRIMARY_KEY]] = document
                else:
                    yield document

        def mirrored() -> Iterator[dict[str, Any]]:
            if partners_in_index and held:
                self._fetch_partners(index, held)
            for group in held.values():
                yield from settle_mirrors(group.values())

        uids = [
            self.client.submit(
                "POST",
                f"/indexes/{index}/documents",
                content=b"[" + b",".join(batch) + b"]",
                params={"primaryKey": PRIMARY_KEY},
            )
            for batch in serialised_batches(
                itertools.chain(unmirrored(), mirrored()),
                self._batch_bytes,
                self._batch_documents,
            )
        ]
        self.client.wait_all(uids)
        return len(keys)

    def _fetch_partners(self, index: str, held: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Add the indexed copies of the `held` mirror groups that this write does not replace."""
        groups = list(held)
        for start in range(0, len(groups), MAX_VALUES_PER_FIELD):
            chunk = groups[start : start + MAX_VALUES_PER_FIELD]
            expression = "mirror_group IN [" + ", ".join(quote(group) for group in chunk) + "]"
            offset = 0
            while True:
                page = self.client.request(
                    "POST",
                    f"/indexes/{index}/documents/fetch",
                    json={"filter": expression, "limit": MAX_MIRROR_GROUP_FETCH, "offset": offset},
                )
                results = page.get("results", []) if isinstance(page, dict) else []
                for document in results:
                    group = held.get(document.get("mirror_group", ""))
                    if group is not None:
                        group.setdefault(document[PRIMARY_KEY], document)
                if len(results) < MAX_MIRROR_GROUP_FETCH:
                    break
                offset += MAX_MIRROR_GROUP_FETCH

    def _drop(self, index: str) -> None:
        """Delete a half-built index, logging (not raising) when that fails too."""
        try:
            self.client.wait(self.client.submit("DELETE", f"/indexes/{index}"))
        except SearchError as error:
            logger.warning("could not delete the unfinished Meilisearch index %s: %s", index, error)


def create_meilisearch_backend(
    settings: Settings,
    record_source: RecordSource | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    store_seq: Callable[[], int] | None = None,
) -> MeilisearchBackend:
    """The Meilisearch backend for `settings` (``CODEREUSE_MEILI_URL``, ``_KEY``, ``_INDEX``).

    `record_source` is what `rebuild` reads (``Store.iter_records``); no network to any forge.
    `store_seq` (``Store.latest_change_seq``) lets `rebuild` remember the store's change
    position for `sync_from_store`.

    Raises:
        ConfigurationError: ``CODEREUSE_MEILI_URL`` is unset or not an http(s) URL, or the index
            name is unusable.
    """
    url = settings.meili_url
    if not url:
        raise ConfigurationError(
            "the meilisearch search backend needs CODEREUSE_MEILI_URL, e.g. "
            "CODEREUSE_MEILI_URL=http://127.0.0.1:7700"
        )
    if not re.match(r"^https?://[^/\s]+", url):
        raise ConfigurationError(
            "CODEREUSE_MEILI_URL must be an http:// or https:// URL, e.g. http://127.0.0.1:7700"
        )
    key = settings.meili_key.get_secret_value() if settings.meili_key else None
    client = MeilisearchClient(url, key, transport=transport, sleep=sleep, clock=clock)
    return MeilisearchBackend(
        client, settings.meili_index, record_source, now=now, store_seq=store_seq
    )
