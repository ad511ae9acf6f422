"""Answers kept in one file beside the store, shared by every worker process of the server."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from api.answers import PART_BYTES, SharedAnswers, answers_path, shared_answers
from api.cache import ChangeCache
from cli.serve_command import forget_kept_answers
from indexer.search.protocol import SearchBackend
from indexer.store import Store, create_store
from schemas.settings import Settings
from tests.api.client import AppClient
from tests.api.conftest import build_app


@pytest.fixture
def apps(store: Store, search: SearchBackend) -> tuple[FastAPI, FastAPI]:
    """Two apps on one store, as two worker processes of ``serve --workers 2`` are."""
    return build_app(store, search), build_app(store, search)


@pytest.fixture
def workers(apps: tuple[FastAPI, FastAPI]) -> Iterator[tuple[AppClient, AppClient]]:
    """A client of each of the two `apps`."""
    first, second = AppClient(apps[0]), AppClient(apps[1])
    yield first, second
    first.close()
    second.close()


def _count_reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name in ("iter_records", "iter_documents"):
        original: Callable[..., Iterator[Any]] = getattr(store, name)

        def counted(
            *args: Any,
            _name: str = name,
            _original: Callable[..., Iterator[Any]] = original,
            **kwargs: Any,
        ) -> Iterator[Any]:
            counts[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(store, name, counted)
    return counts


def test_an_answer_one_worker_computed_is_a_hit_in_another(
    workers: tuple[AppClient, AppClient],
) -> None:
    """A search, a search page, the feed and the statistics computed by one worker are kept
    for the other (X-Cache hit, same bytes)."""
    first, second = workers
    for path in (
        "/api/v1/software?q=akte&facets=licence",
        "/?q=akte&lang=en",
        "/feeds/software.atom?lang=en",
        "/api/v1/stats",
    ):
        computed = first.get(path)
        kept = second.get(path)
        assert ("miss", "hit") == (computed.headers["x-cache"], kept.headers["x-cache"]), path
        assert computed.content == kept.content


def test_an_export_one_worker_streamed_is_read_from_the_file_by_another(
    apps: tuple[FastAPI, FastAPI],
    workers: tuple[AppClient, AppClient],
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second worker's filtered CSV reads no record from the store, and the kept bytes
    are not held in the workers' memory."""
    first, second = workers
    computed = first.get("/api/v1/export?format=csv&forge=opencode")
    reads = _count_reads(store, monkeypatch)
    kept = second.get("/api/v1/export?format=csv&forge=opencode")
    assert (200, computed.content) == (kept.status_code, kept.content)
    assert 0 == sum(reads.values())
    assert [0, 0] == [app.state.context.cache.kept_bytes() for app in apps]


def test_a_large_answer_is_kept_in_parts(tmp_path: Path) -> None:
    """An answer over `PART_BYTES` comes back whole, in order, part by part."""
    answers = SharedAnswers(tmp_path / "a.db-answers", 16 * PART_BYTES)
    chunks = [bytes([n]) * 300_000 for n in range(10)]
    answers.put(("export", "ndjson"), 3, chunks)
    parts = answers.parts(("export", "ndjson"), 3)
    assert parts is not None
    read = list(parts)
    assert 1 < len(read) <= 3
    assert b"".join(chunks) == b"".join(read) == answers.get(("export", "ndjson"), 3)


def test_parts_being_read_survive_a_replacement(tmp_path: Path) -> None:
    """A worker streaming a kept export gets it whole while another replaces or trims it."""
    path = tmp_path / "a.db-answers"
    reader, writer = SharedAnswers(path, 8 * PART_BYTES), SharedAnswers(path, 8 * PART_BYTES)
    writer.put("k", 1, [b"a" * PART_BYTES, b"b" * PART_BYTES])
    parts = reader.parts("k", 1)
    assert parts is not None
    assert b"a" * PART_BYTES == next(parts)
    writer.put("k", 2, [b"c"])
    writer.put("other", 2, [b"d" * 3 * PART_BYTES])
    assert [b"b" * PART_BYTES] == list(parts)
    assert (None, b"c") == (reader.get("k", 1), reader.get("k", 2))


def test_the_file_keeps_to_its_budget_least_recent_out(tmp_path: Path) -> None:
    """Over the budget the least recently used answers go; one over half of it is not kept."""
    answers = SharedAnswers(tmp_path / "a.db-answers", 100)
    answers.put("a", 1, [b"A" * 40])
    answers.put("b", 1, [b"B" * 40])
    answers.put("c", 1, [b"C" * 40])
    assert (None, b"B" * 40, b"C" * 40) == (
        answers.get("a", 1),
        answers.get("b", 1),
        answers.get("c", 1),
    )
    answers.put("huge", 1, [b"H" * 51])
    assert answers.get("huge", 1) is None


def test_an_unusable_file_means_answers_are_computed(tmp_path: Path) -> None:
    """A damaged answers file (or a folder in its place) never fails a request: each process
    keeps its own answers instead, and a file that breaks later is a miss."""
    database = tmp_path / "catalogue.db"
    answers_path(database).write_bytes(b"not a database at all" * 100)
    assert shared_answers(f"sqlite:///{database}", 1024) is None
    answers = SharedAnswers(tmp_path / "later.db-answers", 1024)
    answers.put("k", 1, [b"x"])
    answers.close()
    (tmp_path / "later.db-answers").write_bytes(b"garbage" * 1000)
    assert answers.get("k", 1) is None
    answers.put("k", 1, [b"y"])  # logged, not raised
    cache = ChangeCache(1024, answers)
    assert (b"z", False) == cache.lookup("k", 1, lambda: b"z", len)


def test_no_shared_file_for_memory_stores_or_no_budget(tmp_path: Path) -> None:
    """A store in memory, or CODEREUSE_CACHE_MB=0, keeps no file."""
    assert shared_answers("sqlite://", 1024) is None
    assert shared_answers(f"sqlite:///{tmp_path / 'c.db'}", 0) is None
    assert not answers_path(tmp_path / "c.db").exists()


def test_serve_forgets_the_answers_of_an_earlier_server(tmp_path: Path) -> None:
    """Starting a server empties the file: a store restored from a backup repeats positions."""
    database = tmp_path / "catalogue.db"
    store = create_store(f"sqlite:///{database}")
    try:
        answers = shared_answers(store.engine.url, 1024)
        assert answers is not None
        answers.put("stats", 5, [b"old"])
        forget_kept_answers(Settings(database_url=f"sqlite:///{database}"), store)
        assert answers.get("stats", 5) is None
    finally:
        store.close()


def test_a_request_never_waits_for_another_workers_write(tmp_path: Path) -> None:
    """While another process writes the file, an answer is sent at once and simply not kept
    (the request used to wait up to 5 s for the lock)."""
    path = tmp_path / "a.db-answers"
    answers = SharedAnswers(path, 1024)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        cache = ChangeCache(1024, answers)
        assert (b"computed", False) == cache.lookup("k", 1, lambda: b"computed", len)
        assert time.monotonic() - started < 1.0
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert answers.get("k", 1) is None
    assert (b"computed", False) == cache.lookup("k", 1, lambda: b"computed", len)
    assert (b"computed", True) == cache.lookup("k", 1, lambda: b"other", len)
