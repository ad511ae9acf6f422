"""The refresh intervals (`api.cache.Refresh`): kept answers outlive a crawl's commits for at
most the interval of their kind, then show them; searches outlive commits the index never saw."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from api.answers import SharedAnswers
from api.cache import ChangeCache, Refresh
from api.export_files import ExportFiles
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from indexer.sync import sync_search
from tests.api.client import AppClient
from tests.api.conftest import build_app
from tests.api.records import make_record

NEW = make_record("https://gitlab.opencode.de/kreis/neu", "Ganz Neu Akte")


class Clock:
    """Wall-clock time standing still but for the test moving it on (`time.time`), so a slow
    machine does not move it between two requests."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def refreshing(store: Store, search: SearchBackend) -> FastAPI:
    """The app with the default refresh intervals (1 s; 60 s for exports and the feed)."""
    return build_app(store, search, refresh_interval=1.0, export_refresh_interval=60.0)


@pytest.fixture
def client(refreshing: FastAPI) -> Iterator[AppClient]:
    opened = AppClient(refreshing)
    yield opened
    opened.close()


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds of the kept answers the routes looked up (a request that reached its route)."""
    seen: list[str] = []
    original = ChangeCache.lookup

    def counting(self: ChangeCache, key: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(key[0]))
        return original(self, key, *args, **kwargs)

    monkeypatch.setattr(ChangeCache, "lookup", counting)
    return seen


def test_statistics_show_a_commit_after_the_refresh_interval_not_before(
    client: AppClient, store: Store, clock: Clock
) -> None:
    """Within 1 s of a commit the kept statistics are sent; after it, the new ones."""
    before = client.get("/api/v1/stats").json()["records"]
    store.upsert_records([NEW])
    clock.advance(0.5)
    kept = client.get("/api/v1/stats")
    assert (before, "hit") == (kept.json()["records"], kept.headers["x-cache"])
    clock.advance(0.6)
    fresh = client.get("/api/v1/stats")
    assert (before + 1, "miss") == (fresh.json()["records"], fresh.headers["x-cache"])


def test_feed_and_exports_show_a_commit_after_their_longer_interval(
    client: AppClient, store: Store, clock: Clock
) -> None:
    """The Atom feed and exports without words are kept 60 s after a commit, then redone."""
    paths = ("/feeds/software.atom?lang=de", "/api/v1/export?format=csv")
    assert all(b"Ganz Neu" not in client.get(path).content for path in paths)
    store.upsert_records([NEW])
    clock.advance(30)
    assert all(b"Ganz Neu" not in client.get(path).content for path in paths)
    clock.advance(31)
    assert all(b"Ganz Neu" in client.get(path).content for path in paths)


def test_a_kept_search_outlives_commits_until_the_index_changes(
    client: AppClient, store: Store, search: SearchBackend, clock: Clock, routed: list[str]
) -> None:
    """A crawl's commits leave the index generation as it was: the kept search response is
    sent without routing long after them; once the index synced, the new answer after 1 s."""
    path = "/api/v1/software?q=akte"
    first = client.get(path)
    store.upsert_records([NEW])
    clock.advance(10)
    routed.clear()
    again = client.get(path)
    assert ([], first.content, "hit") == (routed, again.content, again.headers["x-cache"])
    sync_search(search, store)
    clock.advance(0.5)
    assert first.content == client.get(path).content  # within the interval
    clock.advance(1)
    assert "Ganz Neu Akte" in [hit["name"] for hit in client.get(path).json()["hits"]]


def test_an_interval_of_0_shows_every_commit_at_once(
    store: Store, search: SearchBackend, clock: Clock
) -> None:
    """With both intervals 0 every kept answer follows the store's commits immediately."""
    client = AppClient(build_app(store, search, refresh_interval=0, export_refresh_interval=0))
    try:
        paths = ("/api/v1/stats", "/feeds/software.atom?lang=de", "/api/v1/export?format=csv")
        before = [client.get(path).content for path in paths]
        store.upsert_records([NEW])
        after = [client.get(path).content for path in paths]
    finally:
        client.close()
    assert all(old != new for old, new in zip(before, after, strict=True))
    assert b"Ganz Neu" in after[1] and b"Ganz Neu" in after[2]


def test_change_cache_sends_another_version_only_within_the_kinds_interval() -> None:
    """An answer known current at t answers other versions until t + the kind's interval;
    a lookup at its own version makes it known current again."""
    now = [1000.0]
    cache = ChangeCache(refresh=Refresh(seconds=1, slow_seconds=60), clock=lambda: now[0])
    cache.put(("stats",), 1, b"one", 3)
    cache.put(("export", "csv"), 1, b"csv one", 7)
    now[0] += 0.9
    assert (b"one", b"csv one") == (cache.get(("stats",), 2), cache.get(("export", "csv"), 2))
    assert b"one" == cache.get(("stats",), 1)  # known current again at 1000.9
    now[0] += 0.9
    assert b"one" == cache.get(("stats",), 2)
    now[0] += 0.2
    assert cache.get(("stats",), 2) is None
    now[0] += 57.5
    assert b"csv one" == cache.get(("export", "csv"), 2)
    now[0] += 0.5
    assert cache.get(("export", "csv"), 2) is None
    immediate = ChangeCache(clock=lambda: now[0])
    immediate.put(("stats",), 1, b"one", 3)
    assert immediate.get(("stats",), 2) is None


def test_shared_answers_and_export_files_send_a_recent_answer_of_another_version(
    tmp_path: Path, clock: Clock
) -> None:
    """The answers file and the export files apply the interval across processes, by the
    time an entry was written (or last found at its own version)."""
    answers = SharedAnswers(tmp_path / "answers", 1024 * 1024)
    answers.put(("stats",), 1, [b"one"])
    clock.advance(5)
    assert (b"one", True) == (
        (answers.find(("stats",), 2, 10) or (b"", 0))[0],
        answers.find(("stats",), 2, 4) is None,
    )
    exports = ExportFiles(tmp_path, 1024 * 1024, refresh=10)
    opened = exports.open(("export", "csv"), 1, lambda: [b"rows of 1"])
    assert opened is not None and (b"rows of 1", False) == (opened[0].read(), opened[1])
    opened[0].close()
    clock.advance(5)
    kept = exports.open(("export", "csv"), 2, lambda: [b"rows of 2"])
    assert kept is not None and (b"rows of 1", True) == (kept[0].read(), kept[1])
    kept[0].close()
    clock.advance(6)
    redone = exports.open(("export", "csv"), 2, lambda: [b"rows of 2"])
    assert redone is not None and (b"rows of 2", False) == (redone[0].read(), redone[1])
    redone[0].close()
