"""Answers computed once per catalogue state: statistics, the Atom feed, exports and searches.

These answers are pure functions of the stored catalogue. While the store's change feed does
not move (for the statistics: nor the forges and the newest crawl run), every visitor gets the
same bytes, so `ChangeCache` keeps them keyed by what was asked plus that change position,
least recently used first out, within a byte budget. A write (a crawl page, a forge
registered) moves the position and the next request computes afresh; stale entries age out.
Answers that are bytes (nearly all) go to `api.answers.SharedAnswers` when the app has one (a
file beside a SQLite store): every worker process of the server then reads what one of them
computed, and the bytes stay out of the workers' memory. Other values (models some pages
reuse) are kept in the process.

Search answers (the search API and the search page) are kept by the search index's own
version (`search_version`): the index follows the store on its own, so the store's position
would not say when its answers change. A backend without a version (Meilisearch) is not cached.

While a crawl writes, the change position moves with every page it saves, and each kept answer
would be computed again after every commit. `Refresh` says how long an answer is still sent
after the store moved past it (like a search engine's refresh interval): an answer known current
at time t (computed then, or found at the current version then) answers lookups at any version
until t + `Refresh.of(kind)`, so a commit is seen at most that much later and a burst of commits
costs one computation per interval, not one per commit. `Refresh()` (both 0) is immediate, as
before; the app takes the intervals from the settings (``CODEREUSE_REFRESH_INTERVAL``, and
``CODEREUSE_EXPORT_REFRESH_INTERVAL`` for the exports and the Atom feed).

Each lookup is counted as a hit or a miss by kind (the first part of the key), for ``/metrics``
and `bench/load.py`; a budget of 0 bytes keeps nothing (``CODEREUSE_CACHE_MB=0``), so every
answer is computed, which is what a benchmark of the engine wants.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Generator, Hashable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from api.answers import SharedAnswers
from indexer.store import Store

T = TypeVar("T")
MAX_BYTES = 64 * 1024 * 1024
"""What one server process keeps at most (the 3,000-record full NDJSON export is 16 MB)."""
COMPUTE_LOCKS = 64
CACHE_HEADER = "X-Cache"
SLOW_KINDS = frozenset({"export", "atom"})
"""Answers refreshed by `Refresh.slow_seconds`: whole-catalogue documents costing 50 ms to
half a second each (per filter), which feed readers and analysts fetch now and then."""


@dataclass(frozen=True)
class Refresh:
    """Seconds a kept answer is still sent after the store moved past it, by kind of answer:
    `slow_seconds` for `SLOW_KINDS`, `seconds` for the others; 0 sends only current answers."""

    seconds: float = 0.0
    slow_seconds: float = 0.0

    def of(self, kind: str) -> float:
        """The refresh interval of answers of `kind` (the first part of their key)."""
        return self.slow_seconds if kind in SLOW_KINDS else self.seconds


class Noted(NamedTuple):
    """A kept answer a route looked up (`LOOKUPS`): its kind, the answer, the version it was
    kept at, when it was last known current (wall-clock seconds), and a function giving the
    current version, when the caller gave one (the search index's generation)."""

    kind: str
    value: Any
    version: Hashable
    current_at: float
    source: Callable[[], Hashable] | None


LOOKUPS: ContextVar[list[Noted] | None] = ContextVar("codereuse_lookups", default=None)
"""Where `ChangeCache.lookup` notes the answers it gave when a caller set a list: how
`api.kept_responses` learns which kept answer a response is and how long it may resend it
(threads of the pool see the list of the request that started them)."""


def change_position(store: Store) -> int:
    """The store's change position: the newest change-feed entry (one indexed look-up)."""
    return store.latest_change_seq()


def search_version(search: object) -> Hashable | None:
    """The version of `search`'s index answers are kept by, or None: do not keep them."""
    version = getattr(search, "version", None)
    return version() if callable(version) else None


def cached_search(
    cache: ChangeCache, search: object, key: Hashable, produce: Callable[[], bytes]
) -> tuple[bytes, bool]:
    """The search answer `produce` makes, kept by `key` at `search`'s version; and whether it
    was kept already. Errors `produce` raises (a bad query) pass through and keep nothing."""
    version = search_version(search)
    if version is None:
        return produce(), False
    # The bound method: equal for every search of one backend, so a reader of the generation
    # (`api.kept_responses`) reads it once per commit, not once per kept search.
    source = getattr(search, "version", None)
    return cache.lookup(key, version, produce, len, source=source)


def cache_header(hit: bool) -> dict[str, str]:
    """The ``X-Cache`` header telling whether an answer was kept (hit) or computed (miss)."""
    return {CACHE_HEADER: "hit" if hit else "miss"}


def catalogue_version(store: Store) -> tuple[Any, ...]:
    """What the statistics depend on: the change feed, the forges and the newest crawl run.

    Three indexed look-ups instead of the grouping queries (about 1.4 s on 100,000 records).
    """
    newest = store.crawl_runs(limit=1)
    run = (newest[0].id, newest[0].finished_at) if newest else None
    return (change_position(store), len(store.list_forges()), run)


class ChangeCache:
    """An LRU of answers keyed by (what was asked, version), within `max_bytes` in all.

    An answer larger than half the budget is not kept (it would evict everything else);
    streamed answers are then simply recomputed, in constant memory as before. Safe to use
    from the threads of the server's thread pool.
    """

    def __init__(
        self,
        max_bytes: int = MAX_BYTES,
        shared: SharedAnswers | None = None,
        *,
        refresh: Refresh | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.shared = shared if max_bytes > 0 else None
        self.refresh = refresh or Refresh()
        self.clock = clock or _wall_clock
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        # key -> (version, value, size, when it was last known current)
        self._entries: OrderedDict[Hashable, tuple[Hashable, Any, int, float]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        # Locks for computing, by hash of the key: a bounded set, however many keys come.
        # Re-entrant: an answer computed under one may look up another kept answer (a search
        # its organisation names) whose key falls on the same lock.
        self._computing = [threading.RLock() for _ in range(COMPUTE_LOCKS)]

    def get(self, key: Hashable, version: Hashable) -> Any | None:
        """The answer kept for `key` at `version` (or at another version, within the refresh
        interval of the key's kind), or None."""
        found = self._find(key, version)
        with self._lock:
            (self.misses if found is None else self.hits)[_kind(key)] += 1
        return None if found is None else found[0]

    def count(self, key: Hashable, hit: bool) -> None:
        """Count a lookup of `key` made elsewhere (`api.export_files`) as a hit or a miss."""
        self.count_kind(_kind(key), hit)

    def count_kind(self, kind: str, hit: bool) -> None:
        """Count a lookup of an answer of `kind` made elsewhere (`api.kept_responses`)."""
        with self._lock:
            (self.hits if hit else self.misses)[kind] += 1

    def counts(self) -> dict[str, tuple[int, int]]:
        """(hits, misses) by kind of answer since the start."""
        with self._lock:
            return {kind: (self.hits[kind], self.misses[kind]) for kind in self.hits | self.misses}

    def kept_bytes(self) -> int:
        """Bytes this process holds in its own memory (answers kept in a shared file excluded)."""
        with self._lock:
            return self._size

    def peek(self, key: Hashable, version: Hashable) -> Any | None:
        """Like `get`, but not counted (a second look after waiting for another thread)."""
        found = self._find(key, version)
        return None if found is None else found[0]

    def _find(self, key: Hashable, version: Hashable) -> tuple[Any, float] | None:
        """The answer kept for `key` and when it was last known current: at `version`, or at
        another one when known current within the refresh interval of its kind."""
        now, fresh = self.clock(), self.refresh.of(_kind(key))
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                kept_version, value, size, current_at = entry
                if kept_version == version:
                    self._entries[key] = (version, value, size, now)
                    self._entries.move_to_end(key)
                    return value, now
                if now - current_at < fresh:
                    self._entries.move_to_end(key)
                    return value, current_at
                self._drop(key)
        if self.shared is None:
            return None
        return self.shared.find(key, version, fresh)

    def put(
        self,
        key: Hashable,
        version: Hashable,
        value: Any,
        size: int,
        current_at: float | None = None,
    ) -> None:
        """Keep `value` (`size` bytes) for `key` at `version`, evicting the least recent;
        `current_at` is when it began to be computed (default: now)."""
        if size > self.max_bytes // 2:
            return
        current_at = self.clock() if current_at is None else current_at
        if self.shared is not None and isinstance(value, bytes):
            self.shared.put(key, version, [value], current_at)
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (version, value, size, current_at)
            self._size += size
            while self._size > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: Hashable) -> None:
        size = self._entries.pop(key)[2]
        self._size -= size

    def compute(
        self, key: Hashable, version: Hashable, produce: Callable[[], T], size: Callable[[T], int]
    ) -> T:
        """The kept answer, or `produce()` kept for next time; concurrent callers of one key
        wait for the first instead of computing the same answer side by side."""
        return self.lookup(key, version, produce, size)[0]

    def lookup(
        self,
        key: Hashable,
        version: Hashable,
        produce: Callable[[], T],
        size: Callable[[T], int],
        *,
        source: Callable[[], Hashable] | None = None,
    ) -> tuple[T, bool]:
        """Like `compute`, and whether the answer was kept already (a hit).

        `source`, when given, reads the current `version` again: `api.kept_responses` resends
        the answer after commits that left it unchanged (a search while the index is the same).
        """
        found = self._find(key, version)
        with self._lock:
            (self.misses if found is None else self.hits)[_kind(key)] += 1
        if found is not None:
            return _noted(key, found[0], version, found[1], source), True
        if self.max_bytes <= 0:
            return produce(), False
        with self._computing[hash(key) % COMPUTE_LOCKS]:
            found = self._find(key, version)
            if found is not None:
                return _noted(key, found[0], version, found[1], source), True
            current_at = self.clock()  # before computing: it reads the store as of now or later
            value = produce()
            self.put(key, version, value, size(value), current_at)
            return _noted(key, value, version, current_at, source), False

    def stream(
        self, key: Hashable, version: Hashable, chunks: Iterable[bytes]
    ) -> Generator[bytes, None, None]:
        """The kept chunks of a streamed answer, or `chunks` passed through and kept once
        complete when they fit (a stream cut short is not kept)."""
        if self.shared is not None:
            kept_parts = self.shared.parts(key, version, self.refresh.of(_kind(key)))
            with self._lock:
                (self.misses if kept_parts is None else self.hits)[_kind(key)] += 1
            if kept_parts is not None:
                yield from kept_parts
                return
        else:
            found: list[bytes] | None = self.get(key, version)
            if found is not None:
                yield from found
                return
        if self.max_bytes <= 0:
            yield from chunks
            return
        kept: list[bytes] | None = []
        total, current_at = 0, self.clock()
        for chunk in chunks:
            if kept is not None:
                kept.append(chunk)
                total += len(chunk)
                if total > self.max_bytes // 2:
                    kept = None
            yield chunk
        if kept is None:
            return
        if self.shared is not None:
            self.shared.put(key, version, kept, current_at)
        else:
            self.put(key, version, kept, total, current_at)


def _noted(
    key: Hashable,
    value: T,
    version: Hashable,
    current_at: float,
    source: Callable[[], Hashable] | None,
) -> T:
    noted = LOOKUPS.get()
    if noted is not None:
        noted.append(Noted(_kind(key), value, version, current_at, source))
    return value


def _wall_clock() -> float:
    """Seconds since the epoch (``time.time`` looked up at each call, so tests can move it):
    the refresh intervals count across the server's processes."""
    return time.time()


def _kind(key: Hashable) -> str:
    return str(key[0]) if isinstance(key, tuple) and key else "other"
