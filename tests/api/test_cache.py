"""Answers kept per change position: feed and exports without words, stats; `ChangeCache` itself."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from api.cache import ChangeCache
from indexer.store import Store
from tests.api.client import AppClient
from tests.api.records import make_record


@pytest.fixture
def reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the store's bulk reads of records (models and stored JSON)."""
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


def test_feed_is_computed_once_per_change_position(
    client: AppClient, store: Store, reads: Counter[str]
) -> None:
    """A second feed request reads no records; a record change gives a new feed at once."""
    first = client.get("/feeds/software.atom?lang=en")
    assert sum(reads.values()) > 0
    reads.clear()
    assert first.content == client.get("/feeds/software.atom?lang=en").content
    assert 0 == sum(reads.values())
    store.upsert_records([make_record("https://gitlab.opencode.de/kreis/eakte", "E-Akte 3")])
    assert b"E-Akte 3" in client.get("/feeds/software.atom?lang=en").content


def test_feed_keys_on_filters_and_language(client: AppClient) -> None:
    """Different filters or languages are different answers, never each other's."""
    github = client.get("/feeds/software.atom?forge=github&lang=en").content
    everything = client.get("/feeds/software.atom?lang=en").content
    german = client.get("/feeds/software.atom?lang=de").content
    assert b"Beteiligung Plus" in github and b"E-Akte" not in github
    assert b"E-Akte" in everything
    assert b'xml:lang="de"' in german and b'xml:lang="en"' in everything


def test_filtered_export_is_kept_until_the_catalogue_changes(
    client: AppClient, store: Store, reads: Counter[str]
) -> None:
    """The same filtered CSV twice reads the store once; after a write it holds the change."""
    first = client.get("/api/v1/export?format=csv&forge=opencode")
    reads.clear()
    again = client.get("/api/v1/export?format=csv&forge=opencode")
    assert (200, first.content) == (again.status_code, again.content)
    assert 0 == sum(reads.values())
    store.upsert_records([make_record("https://gitlab.opencode.de/kreis/eakte", "E-Akte 4")])
    assert "E-Akte 4" in client.get("/api/v1/export?format=csv&forge=opencode").text


def test_export_with_words_is_computed_each_time(client: AppClient, reads: Counter[str]) -> None:
    """With words the hits come from the search index, which syncs on its own: never kept."""
    client.get("/api/v1/export?format=ndjson&q=beteiligung")
    first = sum(reads.values())
    client.get("/api/v1/export?format=ndjson&q=beteiligung")
    assert 2 * first == sum(reads.values()) > 0


def test_cache_evicts_the_least_recent_within_its_budget() -> None:
    """Over the byte budget the least recently used answer goes; an oversized one is not kept."""
    cache = ChangeCache(max_bytes=100)
    cache.put("a", 1, "A", 40)
    cache.put("b", 1, "B", 40)
    assert "A" == cache.get("a", 1)
    cache.put("c", 1, "C", 40)
    assert (None, "A", "C") == (cache.get("b", 1), cache.get("a", 1), cache.get("c", 1))
    cache.put("huge", 1, "H", 51)
    assert cache.get("huge", 1) is None


def test_cache_drops_an_answer_of_an_older_version() -> None:
    """An answer kept at one change position is not given for another."""
    cache = ChangeCache()
    cache.put("feed", 7, b"old", 3)
    assert cache.get("feed", 8) is None
    assert cache.get("feed", 7) is None


def test_stream_is_kept_only_when_complete() -> None:
    """A stream read to its end is kept; one cut short (a client gone) is not."""
    cache = ChangeCache()
    assert [b"a", b"b"] == list(cache.stream("k", 1, iter([b"a", b"b"])))
    assert [b"a", b"b"] == list(cache.stream("k", 1, iter([b"x"])))
    cut = cache.stream("other", 1, iter([b"a", b"b"]))
    next(cut)
    cut.close()
    assert cache.get("other", 1) is None


def test_concurrent_callers_compute_once() -> None:
    """Eight threads asking for the same missing answer wait for one computation."""
    cache = ChangeCache()
    calls: list[int] = []

    def produce() -> bytes:
        calls.append(1)
        time.sleep(0.05)
        return b"answer"

    answers: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: answers.append(cache.compute("k", 1, produce, len)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ([1], [b"answer"] * 8) == (calls, answers)
