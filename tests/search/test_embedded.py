"""The embedded backend's own duties: store sync, rebuild, shared file, replacement, setup errors."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from indexer.search.embedded import EmbeddedSearch
from indexer.search.embedded.backend import sqlite_path
from indexer.search.embedded.postings import MAX_SEGMENTS
from indexer.search.embedded.schema import set_meta
from indexer.search.factory import BACKENDS, create_search_backend
from indexer.store import create_store
from schemas.errors import ConfigurationError
from schemas.record import Record
from schemas.settings import Settings
from tests.search.corpus import make_record


def _ids(backend: EmbeddedSearch, query: str = "", **request: object) -> list[str]:
    return [hit.id for hit in backend.search(query, **request).hits]  # type: ignore[arg-type]


def test_sync_applies_the_change_feed(tmp_path: Path) -> None:
    """Upserts, changes and deletions in the store reach the index through sync_from_store."""
    url = f"sqlite:///{tmp_path / 'codereuse.db'}"
    store = create_store(url)
    backend = create_search_backend(Settings(database_url=url), store)
    assert isinstance(backend, EmbeddedSearch)
    first = make_record("one", "Kalender", texts={"de": "Termine planen"})
    second = make_record("two", "Ratgeber", texts={"de": "Hilfe für Bürger"})
    store.upsert_records([first, second])
    assert 2 == backend.sync_from_store(store)
    assert [first.id] == _ids(backend, "termine")

    changed = first.model_copy(update={"name": "Wochenplaner"})
    store.upsert_records([changed])
    assert 1 == backend.sync_from_store(store)
    assert [first.id] == _ids(backend, "wochenplaner")
    assert [] == _ids(backend, "kalender ")

    store.delete_records([second.id])
    assert 1 == backend.sync_from_store(store)
    assert [first.id] == _ids(backend)
    assert 0 == backend.sync_from_store(store)


def test_rebuild_reads_the_store_and_remembers_its_position(tmp_path: Path) -> None:
    """A rebuild indexes every live record and a following sync has nothing left to do."""
    url = f"sqlite:///{tmp_path / 'codereuse.db'}"
    store = create_store(url)
    records = [make_record(f"r{i}", f"Werkzeug {i}") for i in range(5)]
    store.upsert_records(records)
    backend = create_search_backend(Settings(database_url=url), store)
    backend.rebuild()
    assert sorted(r.id for r in records) == sorted(_ids(backend))
    assert 0 == backend.sync_from_store(store)  # type: ignore[attr-defined]


def test_sync_compacts_hidden_rows_once_they_outnumber_live_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replaced records leave their postings behind; a sync that makes them the majority rebuilds."""
    from indexer.search.embedded import backend as embedded

    monkeypatch.setattr(embedded, "COMPACT_AFTER", 4)
    url = f"sqlite:///{tmp_path / 'codereuse.db'}"
    store = create_store(url)
    records = [make_record(f"r{i}", f"Werkzeug {i}") for i in range(3)]
    store.upsert_records(records)
    backend = create_search_backend(Settings(database_url=url), store)
    assert isinstance(backend, EmbeddedSearch)
    backend.rebuild()
    store.upsert_records([r.model_copy(update={"name": f"Gerät {r.id}"}) for r in records])
    backend.sync_from_store(store)
    assert (3, 3) == backend.dead_rows()  # 3 hidden rows: not more than the live ones
    store.upsert_records([r.model_copy(update={"name": f"Apparat {r.id}"}) for r in records])
    backend.sync_from_store(store)
    assert (0, 3) == backend.dead_rows()  # 6 hidden rows > 3 live: compacted by a rebuild
    assert sorted(r.id for r in records) == sorted(_ids(backend, "apparat"))
    assert 0 == backend.sync_from_store(store)


def test_another_instance_sees_writes(tmp_path: Path) -> None:
    """Two backends on one file: what one writes, the other finds on its next search."""
    reader = EmbeddedSearch(tmp_path / "shared.db")
    writer = EmbeddedSearch(tmp_path / "shared.db")
    assert [] == _ids(reader)
    writer.upsert([make_record("x", "Fahrplan")])
    assert ["github.com/test/x"] == _ids(reader, "fahrplan")
    writer.delete(["github.com/test/x", "github.com/test/unknown"])
    assert [] == _ids(reader, "fahrplan")


def test_replacing_a_record_leaves_no_stale_hits_or_counts(tmp_path: Path) -> None:
    """An upsert replaces text and facets; the old text no longer finds the record."""
    backend = EmbeddedSearch(tmp_path / "search.db")
    backend.upsert([make_record("x", "Altname", forge="gitlab.com", licence="MIT")])
    backend.upsert([make_record("x", "Neuname", forge="gitlab.com", licence="EUPL-1.2")])
    backend.upsert([make_record("x", "Neuname", forge="gitlab.com", licence="EUPL-1.2")])
    assert [] == _ids(backend, "altname ")
    result = backend.search("neuname", facets=["licence"])
    assert 1 == result.total
    assert {"EUPL-1.2": 1} == dict(result.facets["licence"])


def test_a_batch_repeating_an_id_keeps_the_last(tmp_path: Path) -> None:
    """Within one upsert, the last record of a repeated id wins."""
    backend = EmbeddedSearch(tmp_path / "search.db")
    backend.upsert([make_record("x", "Erste"), make_record("x", "Zweite")])
    assert ["Zweite"] == [hit.name for hit in backend.search("").hits]


def test_index_of_another_schema_version_is_reset(tmp_path: Path) -> None:
    """Opening an index written by another schema version starts it afresh (rebuild needed)."""
    backend = EmbeddedSearch(tmp_path / "search.db")
    backend.upsert([make_record("x", "Fahrplan")])
    set_meta(backend._connection, "schema_version", "0")
    backend.close()
    assert [] == _ids(EmbeddedSearch(tmp_path / "search.db"))


def test_rebuild_needs_a_record_source(tmp_path: Path) -> None:
    """Rebuilding without a record source is a configuration error, not a crash."""
    with pytest.raises(ConfigurationError, match="record source"):
        EmbeddedSearch(tmp_path / "search.db").rebuild()


@pytest.mark.parametrize(
    ("database", "expected"),
    [
        ("sqlite:///./codereuse.db", "./codereuse.db"),
        ("sqlite:////var/lib/codereuse.db", "/var/lib/codereuse.db"),
        ("sqlite://", ":memory:"),
        ("/tmp/x.db", "/tmp/x.db"),
    ],
)
def test_sqlite_locations(database: str, expected: str) -> None:
    """SQLAlchemy SQLite URLs and plain paths name the file the index lives in."""
    assert expected == sqlite_path(database)


def test_a_postgresql_url_is_not_an_index_file() -> None:
    """The embedded backend refuses a PostgreSQL URL and names the setting for its own file."""
    with pytest.raises(ConfigurationError, match="CODEREUSE_SEARCH_PATH"):
        sqlite_path("postgresql://user@localhost/codereuse")


def test_factory_registers_both_backends_by_name() -> None:
    """Backends are chosen by explicit name from one registry."""
    assert ["embedded", "meilisearch"] == sorted(BACKENDS)


def test_activity_filter_uses_utc(tmp_path: Path) -> None:
    """A naive datetime bound is taken as UTC."""
    backend = EmbeddedSearch(tmp_path / "search.db")
    backend.upsert(
        [make_record("x", "Fahrplan", last_activity=datetime(2024, 5, 1, 12, tzinfo=UTC))]
    )
    from indexer.search.protocol import ActivityRange

    window = ActivityRange(since=datetime(2024, 5, 1, 12), until=datetime(2024, 5, 1, 13))
    assert 1 == backend.search("", filters={"last_activity": window}).total


QUERIES = ["verwaltung", "whistleblowing", "meteo dati", "gestione documentale", "open", "web"]


def _answers(backend: EmbeddedSearch) -> list[object]:
    answers: list[object] = []
    for query in QUERIES:
        result = backend.search(query, facets=["forge", "licence"], per_page=50)
        answers.append(([hit.id for hit in result.hits], result.total, dict(result.facets)))
    return answers


def test_postings_as_bitmaps_equal_postings_as_rowids(tmp_path: Path) -> None:
    """Postings stored as bitmaps give the same answers as rowid arrays, after writes, in
    later segments and once those are merged."""
    from tests.search.corpus import REAL_WORLD, load_corpus

    if not REAL_WORLD.is_dir():
        pytest.skip(f"the real-world publiccode.yml files are missing at {REAL_WORLD}")
    records = load_corpus()
    plain = EmbeddedSearch(tmp_path / "plain.db", lambda: records)
    stored = EmbeddedSearch(tmp_path / "stored.db", lambda: records, frequent_at=2)
    plain.rebuild()
    stored.rebuild()
    count = stored._connection.execute(
        "SELECT count(*) FROM search_term WHERE dense = 1"
    ).fetchone()[0]
    assert count > 100
    assert _answers(plain) == _answers(stored)
    changed = [make_record("w", "Web Verwaltung", texts={"de": "Offene Verwaltung im Web"})]
    for backend in (plain, stored):
        backend.upsert([*changed, records[5].model_copy(update={"name": "Open Web"})])
        backend.delete([records[7].id, records[9].id])
    assert _answers(plain) == _answers(stored)
    for round_ in range(MAX_SEGMENTS):  # enough writes for the later segments to be merged
        for backend in (plain, stored):
            backend.upsert([records[11].model_copy(update={"name": f"Web Runde {round_}"})])
    segments = stored._connection.execute(
        "SELECT count(DISTINCT segment) FROM search_term_added"
    ).fetchone()[0]
    assert segments < MAX_SEGMENTS
    assert _answers(plain) == _answers(stored)


def test_rebuild_from_stored_json_equals_rebuild_from_records(tmp_path: Path) -> None:
    """The fast rebuild path (the store's JSON documents) indexes exactly what records give."""
    from tests.search.corpus import REAL_WORLD, load_corpus

    if not REAL_WORLD.is_dir():
        pytest.skip(f"the real-world publiccode.yml files are missing at {REAL_WORLD}")
    records = load_corpus()
    url = f"sqlite:///{tmp_path / 'codereuse.db'}"
    store = create_store(url)
    store.upsert_records(records)
    from_json = create_search_backend(Settings(database_url=url), store)
    from_records = EmbeddedSearch(tmp_path / "records.db", lambda: records)
    from_json.rebuild()
    from_records.rebuild()
    assert _answers(from_records) == _answers(from_json)  # type: ignore[arg-type]


def test_a_word_only_in_the_readme_finds_the_record_below_description_hits(
    tmp_path: Path,
) -> None:
    """README words are searchable, ranked after records whose name or description holds them."""
    from schemas.facts import RepositoryFacts

    backend = EmbeddedSearch(tmp_path / "search.db")
    readme_only = make_record("a", "Alpha")
    readme_only.repository.facts = RepositoryFacts(
        readme_text="# Alpha\n\nA tool for Wasserversorgung planning in small towns."
    )
    described = make_record("b", "Beta", texts={"de": "Planung der Wasserversorgung"})
    backend.upsert([readme_only, described, make_record("c", "Gamma")])
    assert [described.id, readme_only.id] == _ids(backend, "wasserversorgung")


def _index_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("search_term", "search_vocab", "search_doc", "search_facet")
        }


def _records_for_rebuild(count: int) -> list[Record]:
    texts = ["Termine für Bürgerämter buchen", "Ratsinformation, Sitzungsdienst & e-Akte"]
    return [
        make_record(
            f"r{i}",
            f"Werkzeug {i}",
            texts={"de": texts[i % 2], "en": f"Tool number {i}"},
            features={"de": ["Müllkalender", f"Straße {i}"]},
            long={"de": "Bürgerbeteiligung über Beteiligungsverfahren. " * (i % 3)},
        )
        for i in range(count)
    ]


def _counted_starts(monkeypatch: pytest.MonkeyPatch, after: int) -> list[int]:
    """Child processes started by rebuilds from now on, each from `after` records."""
    from indexer.search.embedded import parallel

    started: list[int] = []
    start = parallel.ParallelRebuild._start

    def counted(self: parallel.ParallelRebuild) -> None:
        started.append(1)
        start(self)

    monkeypatch.setattr(parallel.ParallelRebuild, "_start", counted)
    monkeypatch.setattr(parallel.ParallelRebuild.__init__, "__kwdefaults__", {"after": after})
    return started


def test_a_large_rebuild_writes_its_index_in_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `PARALLEL_AFTER` records a rebuild writes the index in a child process and copies it
    in: the same rows as in process, and no build file left; a small rebuild stays in process."""
    records = _records_for_rebuild(25)
    started = _counted_starts(monkeypatch, 100)
    EmbeddedSearch(tmp_path / "here.db", lambda: records).rebuild()
    assert not started
    started = _counted_starts(monkeypatch, 10)
    child = EmbeddedSearch(tmp_path / "child.db", lambda: records)
    child.rebuild()
    assert [1] == started
    assert _index_rows(tmp_path / "here.db") == _index_rows(tmp_path / "child.db")
    assert {records[0].id, records[2].id} <= set(_ids(child, "bürgeramt"))
    assert [] == [path.name for path in tmp_path.iterdir() if ".rebuild-" in path.name]
    child.upsert([records[3].model_copy(update={"name": "Wochenplaner"})])
    assert [records[3].id] == _ids(child, "wochenplaner")
    assert 26 == child.dead_rows()[0] + child.dead_rows()[1]


def test_a_parallel_rebuild_keeps_the_last_of_a_repeated_id_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids repeated across batches, frequent terms stored as bitmaps: the child's index equals
    the one written in process (the later record wins, its first row is dropped)."""
    from indexer.search.embedded import backend as embedded

    monkeypatch.setattr(embedded, "BATCH", 4)
    records = _records_for_rebuild(14)
    records += [r.model_copy(update={"name": f"Ersatz {r.id}"}) for r in records[:6]]
    _counted_starts(monkeypatch, 100)
    EmbeddedSearch(tmp_path / "here.db", lambda: records, frequent_at=3).rebuild()
    started = _counted_starts(monkeypatch, 8)
    child = EmbeddedSearch(tmp_path / "child.db", lambda: records, frequent_at=3)
    child.rebuild()
    assert [1] == started
    assert _index_rows(tmp_path / "here.db") == _index_rows(tmp_path / "child.db")
    assert {record.id for record in records[:6]} == set(_ids(child, "ersatz"))
    assert (6, 14) == child.dead_rows()


def test_a_failing_child_rebuild_keeps_the_old_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document the child cannot write fails the rebuild with a SearchError naming the build
    process; the transaction rolls back (the old index still answers) and the build file is
    deleted."""
    import dataclasses

    from indexer.search.documents import search_document
    from indexer.search.embedded import backend as embedded
    from schemas.errors import SearchError

    records = _records_for_rebuild(12)
    backend = EmbeddedSearch(tmp_path / "index.db", lambda: records)
    backend.rebuild()
    _counted_starts(monkeypatch, 5)

    def broken(record: Record) -> object:
        document = search_document(record)
        if record.id == records[7].id:
            return dataclasses.replace(document, facets=None)
        return document

    monkeypatch.setattr(embedded, "search_document", broken)
    with pytest.raises(SearchError, match="index build process failed"):
        backend.rebuild()
    assert records[7].id in _ids(backend, "werkzeug 7")
    assert [] == [path.name for path in tmp_path.iterdir() if ".rebuild-" in path.name]


def test_the_version_is_read_while_a_search_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`version` answers while another thread's search holds the index (a server checks it
    before every kept search), and it still follows every write."""
    backend = EmbeddedSearch(tmp_path / "index.db")
    backend.upsert([make_record("one", "Kalender")])
    before = backend.version()
    searching, release = threading.Event(), threading.Event()
    search = backend._search

    def slow_search(*args: Any) -> Any:
        searching.set()
        release.wait(10)
        return search(*args)

    monkeypatch.setattr(backend, "_search", slow_search)
    worker = threading.Thread(target=backend.search, args=("kalender",))
    worker.start()
    try:
        assert searching.wait(10)
        answered: list[int] = []
        reader = threading.Thread(target=lambda: answered.append(backend.version()))
        reader.start()
        reader.join(5)
        assert [before] == answered
    finally:
        release.set()
        worker.join()
    backend.upsert([make_record("two", "Ratgeber")])
    assert backend.version() != before
    backend.close()
