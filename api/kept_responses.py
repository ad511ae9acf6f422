"""Kept answers sent before routing: a pure-ASGI shortcut for requests answered a moment ago.

A kept search, search page, feed or statistics answer (`api.cache.ChangeCache`) still went
through FastAPI: routing, parsing and validating the query into models, resolving the
dependencies, reading the versions the answer is kept by, then the answers file. For the hits
that is most of the request. `KeptResponses` remembers, per worker process and within
`MAX_BYTES`, the whole responses the routes said were kept or computed (``X-Cache``), by what
the routes read from the request (method, path, query string, ``Host`` and ``Accept-Language``,
and the day), and sends one again while the store has not changed since it was asked for. A response is kept only
when its body is an answer the route looked up in the cache (`api.cache.LOOKUPS`), so what
the routes compute each time stays computed each time, and ``/metrics`` counts the hit under
that answer's kind.

"Not changed" is SQLite's ``PRAGMA data_version`` on a connection of its own to each file the
answers come from (the store, and the search index when it has a file of its own): it moves
with every commit by any other connection or process, and reading it is one cheap statement.
The number is read before the app computes an answer; the answer is reused only while it is
the same, so an answer computed while a crawl wrote is not reused after it. Nothing else the
routes cache by (the change position, the index generation, the forges, the crawl runs) can
move without a commit to these files, so every answer sent again is one the route would have
sent. Without a SQLite file to watch (PostgreSQL, Meilisearch) nothing is kept here.

While a crawl writes, ``data_version`` moves with every page it saves. A kept response is then
still sent within the refresh interval of its kind (`api.cache.Refresh`) counted from when its
answer was last known current, as the cache behind the routes does; and a search (kept by the
index generation, which only the index's sync moves) is sent again after commits that left the
generation as it was: the generation is read once per commit and worker
(`api.cache.Noted.source`), and the response is kept on at the new ``data_version``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from anyio.to_thread import run_sync

from api.cache import CACHE_HEADER, LOOKUPS, ChangeCache, Noted
from api.middleware import ASGIApp, Message, Receive, Scope, Send
from indexer.store import Store

MAX_BYTES = 8 * 1024 * 1024
"""Bytes of responses one worker process keeps (the answers file keeps far more, for all)."""
_KEPT_HEADER = CACHE_HEADER.lower().encode("latin-1")


def kept_response_files(store: Store, search: object) -> list[Path] | None:
    """The SQLite files every kept answer comes from (the store's, and the embedded search
    index's when it has one of its own), or None when one is elsewhere (PostgreSQL, a
    Meilisearch server, memory): then no response is kept in front of the routes."""
    url = store.engine.url
    index = getattr(search, "path", None)
    if url.get_backend_name() != "sqlite" or not isinstance(index, str):
        return None
    files = [str(url.database or ""), index]
    if any(name in {"", ":memory:"} or name.startswith("file:") for name in files):
        return None
    paths = [Path(name).expanduser().resolve() for name in files]
    return list(dict.fromkeys(paths))


class StoreChanges:
    """Whether the SQLite files `paths` changed since a token was taken (``data_version``)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self._local = threading.local()

    def token(self) -> tuple[int, ...] | None:
        """A value that differs after any commit to the files; None when one is unreadable."""
        connections: list[sqlite3.Connection] | None = getattr(self._local, "connections", None)
        try:
            if connections is None:
                connections = self._local.connections = [
                    sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                    for path in self.paths
                ]
            return tuple(
                connection.execute("PRAGMA data_version").fetchone()[0]
                for connection in connections
            )
        except sqlite3.Error:
            self._local.connections = None
            return None


@dataclass
class _Kept:
    """A kept response: the store's token and the time (``current_at``) its answer was last
    known current, what it is sent with, and how to tell it is still current after commits."""

    token: tuple[int, ...]
    current_at: float
    route: Any
    headers: list[tuple[bytes, bytes]]
    body: bytes
    kind: str
    version: Hashable
    source: Callable[[], Hashable] | None


class KeptResponses:
    """ASGI middleware: GET requests answered from the responses kept in this process."""

    def __init__(
        self, app: ASGIApp, changes: StoreChanges, cache: ChangeCache, max_bytes: int = MAX_BYTES
    ) -> None:
        self.app = app
        self.changes = changes
        self.cache = cache
        self.max_bytes = max_bytes
        self.hits = 0
        self._kept: OrderedDict[tuple[Any, ...], _Kept] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        # Per version source, the version it gave at a token: read once per commit.
        self._versions: dict[Callable[[], Hashable], tuple[tuple[int, ...], Hashable]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        now = self.cache.clock()
        token = self.changes.token()
        if token is None:
            await self.app(scope, receive, send)
            return
        key = _request_key(scope)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
        if found is not None and await self._still_current(found, token, now):
            scope["route"] = found.route  # for the metrics, as if routed
            self.hits += 1
            self.cache.count_kind(found.kind, True)
            await send({"type": "http.response.start", "status": 200, "headers": found.headers})
            await send({"type": "http.response.body", "body": found.body})
            return
        start: Message | None = None
        parts: list[bytes] | None = []

        async def keeping_send(message: Message) -> None:
            nonlocal start, parts
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and parts is not None:
                parts.append(message.get("body", b""))
                if message.get("more_body", False):
                    parts = None  # streamed: not kept here
            await send(message)

        noted: list[Noted] = []
        reset = LOOKUPS.set(noted)
        try:
            await self.app(scope, receive, keeping_send)
        finally:
            LOOKUPS.reset(reset)
        if start is None or parts is None or start["status"] != 200:
            return
        headers = start.get("headers", [])
        if not any(name == _KEPT_HEADER for name, _ in headers):
            return  # the route does not keep this answer
        body = b"".join(parts)
        # Only what the route itself keeps: the body is an answer it looked up in the cache
        # (not one it computes each time, as a search on a backend without a version).
        answer = next((n for n in noted if isinstance(n.value, bytes) and n.value == body), None)
        if answer is None:
            return
        hit_headers = [(name, b"hit" if name == _KEPT_HEADER else value) for name, value in headers]
        kept = _Kept(
            token,
            min(now, answer.current_at),
            scope.get("route"),
            hit_headers,
            body,
            answer.kind,
            answer.version,
            answer.source,
        )
        self._keep(key, kept)

    async def _still_current(self, kept: _Kept, token: tuple[int, ...], now: float) -> bool:
        """Whether `kept` is what the route would send now: no commit since it was kept, or
        within the refresh interval of its kind, or its answer's version unchanged."""
        if kept.token == token:
            return True
        if now - kept.current_at < self.cache.refresh.of(kept.kind):
            return True
        if kept.source is None:
            return False
        version = await self._version(kept.source, token)
        if version != kept.version:
            return False
        kept.token, kept.current_at = token, now  # current at this token, as the route says
        return True

    async def _version(self, source: Callable[[], Hashable], token: tuple[int, ...]) -> Hashable:
        """What `source` gives at `token`: read once per token (in a worker thread: the search
        backend's lock may be held by a search), then remembered."""
        seen = self._versions.get(source)
        if seen is not None and seen[0] == token:
            return seen[1]
        version = await run_sync(source)
        self._versions[source] = (token, version)
        return version

    def _keep(self, key: tuple[Any, ...], kept: _Kept) -> None:
        size = len(kept.body)
        if size > self.max_bytes // 8:
            return
        with self._lock:
            previous = self._kept.pop(key, None)
            if previous is not None:
                self._size -= len(previous.body)
            self._kept[key] = kept
            self._size += size
            while self._size > self.max_bytes:
                _key, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped.body)


def _request_key(scope: Scope) -> tuple[Any, ...]:
    """What the kept routes read from a request: path, query, Host, Accept-Language, the day."""
    host = language = b""
    for name, value in scope.get("headers", []):
        if name == b"host":
            host = value
        elif name == b"accept-language":
            language = value
    return (
        scope.get("path"),
        scope.get("query_string", b""),
        host,
        language,
        scope.get("scheme"),
        scope.get("root_path", ""),
        datetime.now(UTC).date(),
    )
