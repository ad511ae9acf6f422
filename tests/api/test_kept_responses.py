"""Kept answers sent before routing (`api.kept_responses`), only while the store is unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from api.cache import ChangeCache
from api.kept_responses import KeptResponses, kept_response_files
from indexer.search.protocol import SearchBackend
from indexer.store import Store, create_store
from tests.api.client import AppClient
from tests.api.conftest import build_app
from tests.api.records import make_record

KEPT_PATHS = (
    "/api/v1/software?q=akte&facets=licence",
    "/?q=akte&lang=en",
    "/feeds/software.atom?lang=de",
    "/api/v1/stats",
)


def _kept(app: FastAPI) -> KeptResponses:
    """The app's `KeptResponses` middleware (built on the first request)."""
    layer: Any = app.middleware_stack
    while layer is not None and not isinstance(layer, KeptResponses):
        layer = getattr(layer, "app", None)
    assert layer is not None, "no KeptResponses in the middleware stack"
    return layer


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds of the kept answers the routes looked up, in order (a request that reaches
    its route looks its answer up there)."""
    seen: list[str] = []
    original = ChangeCache.lookup

    def counting(self: ChangeCache, key: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(key[0]) if isinstance(key, tuple) else str(key))
        return original(self, key, *args, **kwargs)

    monkeypatch.setattr(ChangeCache, "lookup", counting)
    return seen


def test_a_repeated_request_is_answered_before_routing(
    client: AppClient, app: FastAPI, routed: list[str]
) -> None:
    """The second identical request of each kept answer does not reach the router and gets
    the same bytes and headers, marked ``X-Cache: hit``."""
    first = [client.get(path) for path in KEPT_PATHS]
    routed.clear()
    again = [client.get(path) for path in KEPT_PATHS]
    assert [] == routed
    assert [answer.content for answer in first] == [answer.content for answer in again]
    assert {"hit"} == {answer.headers["x-cache"] for answer in again}
    for before, after in zip(first, again, strict=True):
        assert before.headers["content-type"] == after.headers["content-type"]
        assert before.headers["etag"] == after.headers["etag"]
    assert len(KEPT_PATHS) == _kept(app).hits


def test_a_write_to_the_store_sends_the_request_to_the_route_again(
    client: AppClient, store: Store, routed: list[str]
) -> None:
    """After any commit to the store the answers are computed again, with the new record."""
    client.get("/feeds/software.atom?lang=de")
    client.get("/api/v1/stats")
    store.upsert_records([make_record("https://gitlab.opencode.de/kreis/neu", "Ganz Neu")])
    routed.clear()
    feed = client.get("/feeds/software.atom?lang=de")
    stats = client.get("/api/v1/stats")
    assert {"atom", "stats"} <= set(routed)
    assert b"Ganz Neu" in feed.content
    assert "miss" == stats.headers["x-cache"]


def test_what_a_route_reads_from_the_request_tells_answers_apart(
    client: AppClient, routed: list[str]
) -> None:
    """Another language header, host or query is another answer, computed by the route."""
    client.get("/feeds/software.atom", headers={"Accept-Language": "de"})
    routed.clear()
    english = client.get("/feeds/software.atom", headers={"Accept-Language": "en"})
    other_host = client.get("/feeds/software.atom", headers={"Host": "mirror.example"})
    assert ["atom", "atom"] == routed
    assert b'xml:lang="en"' in english.content
    assert b"http://mirror.example/" in other_host.content


def test_streamed_exports_and_errors_are_not_kept(client: AppClient, app: FastAPI) -> None:
    """Exports (streamed from their own files) and error answers always reach the routes."""
    paths = ("/api/v1/export?format=csv", "/api/v1/software?q=akte&sort=nonsense")
    first = [client.get(path) for path in paths]
    again = [client.get(path) for path in paths]
    assert [200, 422] == [answer.status_code for answer in first]
    assert [answer.status_code for answer in first] == [answer.status_code for answer in again]
    assert first[0].content == again[0].content
    assert 0 == _kept(app).hits


def test_nothing_is_kept_before_routing_without_a_budget_or_a_sqlite_file(
    store: Store, search: SearchBackend
) -> None:
    """CODEREUSE_CACHE_MB=0 (benchmarks of the engine) and stores not in a SQLite file keep
    no responses in front of the routes."""
    app = build_app(store, search, cache_mb=0)
    client = AppClient(app)
    try:
        client.get("/api/v1/stats")
    finally:
        client.close()
    with pytest.raises(AssertionError):
        _kept(app)
    memory = create_store("sqlite://")
    try:
        assert kept_response_files(memory, search) is None
        assert kept_response_files(store, object()) is None
    finally:
        memory.close()
