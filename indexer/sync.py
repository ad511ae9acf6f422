"""Keep the search index in step with the store (the store is the truth; the index is derived).

`sync_search` applies the store's change feed when the backend can follow it (both backends
keep the last applied change sequence beside the index), and otherwise rebuilds the index from
the store (for Meilisearch a zero-downtime rebuild followed by an index swap). An index that is
empty while the store is not (its format changed, or it was deleted), one built from another
store, or one that claims changes the store never made (the database was recreated) is rebuilt,
never followed or left silently empty.

Beside a PostgreSQL store the embedded index is a local file per host, which several processes
of that host (the API workers, `run`'s scheduler, a `crawl`) bring up to date; they take turns
through an exclusive lock on ``<index file>.lock``, so one rebuilds and the others then find
the index current. `IndexFollower` is what keeps an API process's index current: it polls the
store's newest change sequence and syncs when the store moved on.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from indexer.search.protocol import SearchBackend
from indexer.ticker import Ticker
from schemas.settings import Settings

log = logging.getLogger("codereuse.sync")
FOLLOW_SECONDS = 1.0
"""How often a follower asks the store for its newest change (one indexed ``max(seq)``)."""


def sync_search(search: SearchBackend, store: Any, *, rebuild: bool = False) -> int | None:
    """Bring `search` up to date with `store`.

    Returns how many records the incremental sync touched, or ``None`` after a full rebuild.
    """
    follow = getattr(search, "sync_from_store", None)
    with index_lock(search):
        if rebuild or follow is None or _index_stale(search, store) or _index_lost(search, store):
            search.rebuild()
            return None
        return int(follow(store))


def ensure_usable(search: SearchBackend, store: Any) -> bool:
    """Rebuild a follower-capable index that is lost or stale (a new index format after an
    upgrade, a deleted index); leave a usable one alone. True when it rebuilt.

    `serve` calls this before answering: with a SQLite store nobody else would rebuild the index,
    and every search would answer 0 results until the next crawl. Backends that cannot follow
    the store (Meilisearch) are left to the crawling process.
    """
    if getattr(search, "sync_from_store", None) is None:
        return False
    with index_lock(search):
        if _index_stale(search, store) or _index_lost(search, store):
            search.rebuild()
            return True
    return False


@contextlib.contextmanager
def index_lock(search: SearchBackend) -> Iterator[None]:
    """Hold the host-wide lock of a file-based index (``<file>.lock``); no-op for other backends."""
    path = getattr(search, "path", None)
    try:
        import fcntl
    except ImportError:  # not on POSIX: the index's own write transactions still serialise
        fcntl = None  # type: ignore[assignment]
    if not isinstance(path, str) or path == ":memory:" or fcntl is None:
        yield
        return
    with open(f"{path}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def behind(search: SearchBackend, store: Any) -> bool:
    """True when the store has changes the index has not applied (or the index cannot say)."""
    applied = getattr(search, "applied_change", None)
    if applied is None:
        return True
    return bool(store.latest_change_seq() != applied()[1])


def _index_stale(search: SearchBackend, store: Any) -> bool:
    """True for an index derived from another store, or ahead of this store's change feed."""
    applied = getattr(search, "applied_change", None)
    expected = getattr(search, "source", None)
    if applied is None:
        return False
    source, seq = applied()
    if expected is not None and source is not None and source != expected:
        log.warning("the search index was built from %s, not %s; rebuilding", source, expected)
        return True
    return bool(seq > store.latest_change_seq())


def _index_lost(search: SearchBackend, store: Any) -> bool:
    """True when the index is empty but the store is not (a new index format, a deleted index).

    Following the change feed from where it stood would leave the catalogue unsearchable.
    """
    return search.search(per_page=1).total == 0 and store.count_records() > 0


def index_follower(settings: Settings, store: Any, search: SearchBackend) -> IndexFollower | None:
    """The follower an API process needs, or None.

    Only the embedded index beside a non-SQLite store is a per-host copy that nobody else
    updates; in a SQLite store the index shares the file (whoever writes the store syncs it),
    and Meilisearch is one shared index that the crawling process syncs.
    """
    if settings.search_backend != "embedded" or getattr(store, "dialect", "sqlite") == "sqlite":
        return None
    return IndexFollower(search, store)


def catch_up(settings: Settings, store: Any, search: SearchBackend) -> int | None:
    """Bring a per-host index file up to date before a one-off read (`search`, `export`).

    Returns 0 when there is nothing to follow or nothing changed, otherwise what `sync_search`
    returned (None after a build). Raises what the store or the index raise.
    """
    follower = index_follower(settings, store, search)
    return 0 if follower is None else follower.catch_up()


class IndexFollower:
    """Keeps one process's search index current with the store's change feed, in a thread.

    `catch_up` syncs once (rebuilding only when `sync_search` finds the index unusable); `start`
    runs a daemon thread that calls it whenever the store's newest change differs from the
    index's, every `interval` seconds, until `stop`. A failing store is logged and retried:
    what is indexed stays searchable meanwhile.
    """

    def __init__(
        self, search: SearchBackend, store: Any, *, interval: float = FOLLOW_SECONDS
    ) -> None:
        self._search = search
        self._store = store
        self._ticker = Ticker(self._follow, interval, "codereuse-follow")
        self._failing = False

    def catch_up(self) -> int | None:
        """Sync now when the store moved on; returns what `sync_search` returned, or 0."""
        if not behind(self._search, self._store):
            return 0
        return sync_search(self._search, self._store)

    def start(self) -> None:
        """Start following in a daemon thread."""
        self._ticker.start()

    def stop(self) -> None:
        """Stop following; waits for a sync in flight to end."""
        self._ticker.stop()

    def _follow(self) -> None:
        try:
            self.catch_up()
        except Exception as error:  # the thread must outlive any failure; it retries
            if not self._failing:
                log.warning("search index not updated: %s (retrying)", error)
            self._failing = True
        else:
            if self._failing:
                log.warning("search index follows the store again")
            self._failing = False
