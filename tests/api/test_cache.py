"""Answers kept per change position: feed and exports without words, stats, searches by index
version; `ChangeCache` itself."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from api.cache import ChangeCache
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from tests.api.client import AppClient
from tests.api.conftest import build_app
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


@pytest.fixture
def searches(search: SearchBackend, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The words of every search the backend actually runs."""
    ran: list[str] = []
    original = search.search

    def counted(*args: Any, **kwargs: Any) -> Any:
        ran.append(kwargs.get("query", args[0] if args else ""))
        return original(*args, **kwargs)

    monkeypatch.setattr(search, "search", counted)
    return ran


def test_search_answer_is_kept_until_the_index_changes(
    client: AppClient, store: Store, search: SearchBackend, searches: list[str]
) -> None:
    """The same search twice runs once (X-Cache miss, then hit, same bytes); once the index
    takes a new record, the next search runs again and finds it."""
    first = client.get("/api/v1/software?q=akte&facets=licence")
    again = client.get("/api/v1/software?q=akte&facets=licence")
    assert ("miss", "hit") == (first.headers["x-cache"], again.headers["x-cache"])
    assert first.content == again.content
    assert ["akte"] == searches
    record = make_record("https://gitlab.opencode.de/kreis/aktenplan", "Aktenplan Kreis")
    store.upsert_records([record])
    search.upsert([record])
    after = client.get("/api/v1/software?q=akte&facets=licence")
    assert "miss" == after.headers["x-cache"]
    assert "Aktenplan Kreis" in [hit["name"] for hit in after.json()["hits"]]
    assert first.json()["total"] + 1 == after.json()["total"]


def test_search_answers_key_on_what_was_asked(client: AppClient, searches: list[str]) -> None:
    """Other words, filters, pages or locales are other answers, never each other's."""
    for path in (
        "/api/v1/software?q=akte",
        "/api/v1/software?q=beteiligung",
        "/api/v1/software?q=akte&forge=github",
        "/api/v1/software?q=akte&per_page=1",
        "/api/v1/software?q=akte&locale=de",
    ):
        assert "miss" == client.get(path).headers["x-cache"], path
    assert 5 == len(searches)


def test_search_page_is_kept_per_query_string_and_language(
    client: AppClient, searches: list[str]
) -> None:
    """The search page is kept like the API's answer; each language is its own page."""
    english = client.get("/?q=akte&lang=en")
    assert "miss" == english.headers["x-cache"]
    again = client.get("/?q=akte&lang=en")
    assert ("hit", english.text) == (again.headers["x-cache"], again.text)
    assert "en" == again.headers["content-language"]
    assert "default-src 'none'" in again.headers["content-security-policy"]
    german = client.get("/?q=akte", headers={"Accept-Language": "de"})
    assert ("miss", "de") == (german.headers["x-cache"], german.headers["content-language"])
    assert 2 == len(searches)


def test_a_bad_search_is_an_error_and_never_kept(client: AppClient) -> None:
    """A refused query answers its problem each time; nothing is kept for it."""
    for _ in range(2):
        assert 400 == client.get("/api/v1/software?q=a&locale=xx").status_code
        assert 400 == client.get("/?q=akte&page=9999").status_code
        assert 400 == client.get("/api/v1/software?q=akte&page=9999").status_code


def test_no_cache_budget_computes_every_answer(store: Store, search: SearchBackend) -> None:
    """CODEREUSE_CACHE_MB=0: every search, feed and statistics answer is computed afresh."""
    opened = AppClient(build_app(store, search, cache_mb=0))
    try:
        for _ in range(2):
            assert "miss" == opened.get("/api/v1/software?q=akte").headers["x-cache"]
            assert "miss" == opened.get("/?q=akte&lang=en").headers["x-cache"]
            assert "miss" == opened.get("/feeds/software.atom?lang=en").headers["x-cache"]
        metrics = opened.get("/metrics").text
    finally:
        opened.close()
    assert 'codereuse_cache_lookups_total{kind="search",result="hit"} 0' in metrics
    assert 'codereuse_cache_lookups_total{kind="search",result="miss"} 2' in metrics


def test_metrics_count_hits_and_misses_by_kind(client: AppClient) -> None:
    """/metrics tells how many answers this process served as kept, by kind."""
    for _ in range(3):
        client.get("/api/v1/software?q=akte")
    client.get("/feeds/software.atom?lang=en")
    metrics = client.get("/metrics").text
    assert "# TYPE codereuse_cache_lookups_total counter" in metrics
    assert 'codereuse_cache_lookups_total{kind="search",result="hit"} 2' in metrics
    assert 'codereuse_cache_lookups_total{kind="search",result="miss"} 1' in metrics
    assert 'codereuse_cache_lookups_total{kind="atom",result="miss"} 1' in metrics


def test_a_backend_without_a_version_is_never_kept(store: Store, search: SearchBackend) -> None:
    """A search backend that cannot say when its answers change (Meilisearch) runs each time."""

    class Unversioned:
        def __init__(self, inner: SearchBackend) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> Any:
            if name == "version":
                raise AttributeError(name)
            return getattr(self.inner, name)

    opened = AppClient(build_app(store, Unversioned(search)))  # type: ignore[arg-type]
    try:
        answers = [opened.get("/api/v1/software?q=akte") for _ in range(2)]
    finally:
        opened.close()
    assert ["miss", "miss"] == [answer.headers["x-cache"] for answer in answers]
    assert answers[0].content == answers[1].content


def test_lookup_says_whether_the_answer_was_kept() -> None:
    """`lookup` returns the answer and hit/miss; the counts follow by kind."""
    cache = ChangeCache()
    assert (b"x", False) == cache.lookup(("search", 1), 3, lambda: b"x", len)
    assert (b"x", True) == cache.lookup(("search", 1), 3, lambda: b"y", len)
    assert (b"z", False) == cache.lookup(("search", 1), 4, lambda: b"z", len)
    assert {"search": (1, 2)} == cache.counts()


def test_statistics_are_kept_as_the_bytes_sent(client: AppClient, store: Store) -> None:
    """The second statistics request is the kept JSON (X-Cache hit); a change recomputes."""
    first = client.get("/api/v1/stats")
    again = client.get("/api/v1/stats")
    assert ("miss", "hit") == (first.headers["x-cache"], again.headers["x-cache"])
    assert first.content == again.content
    store.upsert_records([make_record("https://gitlab.opencode.de/kreis/neu", "Neu")])
    after = client.get("/api/v1/stats")
    assert ("miss", first.json()["records"] + 1) == (
        after.headers["x-cache"],
        after.json()["records"],
    )


def test_the_statistics_page_says_whether_its_figures_were_kept(
    client: AppClient, store: Store
) -> None:
    """``/stats`` carries X-Cache like the other kept answers: hit while the catalogue stays."""
    first = client.get("/stats?lang=en")
    again = client.get("/stats?lang=en")
    assert ("miss", "hit") == (first.headers["x-cache"], again.headers["x-cache"])
    assert first.text == again.text
    store.upsert_records([make_record("https://gitlab.opencode.de/kreis/neu", "Neu")])
    assert "miss" == client.get("/stats?lang=en").headers["x-cache"]


def test_a_kept_search_reads_no_organisation_names(
    client: AppClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The organisations' names are read only to compute a search answer or page: a kept one
    is sent without them (they cost three store look-ups and a pass over all organisations)."""
    from api.routers import pages, software

    paths = ("/api/v1/software?q=akte&facets=organisation", "/?q=akte&lang=de")
    first = [client.get(path) for path in paths]

    def refused(*_args: Any) -> dict[str, str]:
        raise AssertionError("organisation names read for a kept answer")

    monkeypatch.setattr(software, "organisation_labels", refused)
    monkeypatch.setattr(pages, "organisation_labels", refused)
    again = [client.get(path) for path in paths]
    assert ["hit", "hit"] == [answer.headers["x-cache"] for answer in again]
    assert [answer.content for answer in first] == [answer.content for answer in again]


def test_an_answer_may_look_up_a_kept_answer_on_its_own_lock() -> None:
    """Computing one answer may compute another kept answer whose key falls on the same
    compute lock (a search and its organisation names) without waiting for itself."""
    cache = ChangeCache()
    inner = next(key for key in range(1000) if hash(key) % 64 == hash("outer") % 64)
    value = cache.compute(
        "outer", 1, lambda: cache.compute(inner, 1, lambda: b"inner", len) + b"!", len
    )
    assert b"inner!" == value
