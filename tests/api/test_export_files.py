"""Exports without words kept as files beside the store, one per export and change position."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import starlette.responses
from fastapi import FastAPI

from api.export_files import PART_BYTES, ExportFiles, _name, export_files, exports_path
from api.exports import EXPORT_FORMATS
from api.query import CatalogueQuery
from api.selection import select_for
from cli.serve_command import forget_kept_answers
from indexer.search.protocol import SearchBackend
from indexer.store import Store, create_store
from schemas.settings import Settings
from tests.api.client import AppClient
from tests.api.conftest import build_app
from tests.api.records import make_record

PATHS = (
    "/api/v1/export?format=csv",
    "/api/v1/export?format=csv&forge=opencode",
    "/api/v1/export?format=ndjson",
    "/api/v1/export?format=json&licence=MIT",
    "/api/v1/export?format=parquet",
)


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


def _streamed(store: Store, search: SearchBackend, name: str, **filters: list[str]) -> bytes:
    """The export as the writer streams it, computed afresh (what ``codereuse export`` writes)."""
    chosen = EXPORT_FORMATS[name]
    return b"".join(chosen.write(select_for(chosen, store, search, CatalogueQuery(**filters))))


def test_a_kept_export_is_byte_for_byte_the_streamed_one(
    workers: tuple[AppClient, AppClient], store: Store, search: SearchBackend
) -> None:
    """Every format, whole and filtered: the file one worker wrote (miss) and another read
    (hit) hold exactly the bytes the writer streams."""
    first, second = workers
    expected = {
        PATHS[0]: _streamed(store, search, "csv"),
        PATHS[1]: _streamed(store, search, "csv", forge=["opencode"]),
        PATHS[2]: _streamed(store, search, "ndjson"),
        PATHS[3]: _streamed(store, search, "json", licence=["MIT"]),
        PATHS[4]: _streamed(store, search, "parquet"),
    }
    for path in PATHS:
        computed, kept = first.get(path), second.get(path)
        assert (200, 200) == (computed.status_code, kept.status_code), path
        assert ("miss", "hit") == (computed.headers["x-cache"], kept.headers["x-cache"]), path
        assert expected[path] == computed.content == kept.content, path
        assert computed.headers["content-disposition"] == kept.headers["content-disposition"]


def test_a_change_drops_the_kept_file_of_the_older_position(
    workers: tuple[AppClient, AppClient], store: Store, search: SearchBackend
) -> None:
    """After a write the export is computed again (miss, the new record in it), and the file of
    the older position is gone from the folder."""
    first, second = workers
    before = first.get("/api/v1/export?format=ndjson")
    folder = exports_path(Path(str(store.engine.url.database)))
    files = sorted(path.name for path in folder.iterdir() if not path.name.endswith(".lock"))
    store.upsert_records([make_record("https://gitlab.opencode.de/neu/portal", "Neues Portal")])
    after = second.get("/api/v1/export?format=ndjson")
    assert ("miss", "miss") == (before.headers["x-cache"], after.headers["x-cache"])
    assert b"neu/portal" in after.content and b"neu/portal" not in before.content
    assert _streamed(store, search, "ndjson") == after.content
    now = sorted(path.name for path in folder.iterdir() if not path.name.endswith(".lock"))
    assert 1 == len(files) == len(now) and files != now


def test_concurrent_misses_write_the_export_once(tmp_path: Path) -> None:
    """Requests for one export at one position while it is being written wait for that file
    instead of computing it side by side; all get the same bytes."""
    kept = ExportFiles(tmp_path, 10 * PART_BYTES)
    computed: list[int] = []

    def produce() -> Iterator[bytes]:
        computed.append(1)
        time.sleep(0.2)
        yield b"x" * (PART_BYTES + 10)

    results: list[tuple[bytes, bool]] = []

    def ask() -> None:
        opened = kept.open(("export", "csv", ()), 7, produce)
        assert opened is not None
        file, hit = opened
        with file:
            results.append((file.read(), hit))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [1] == computed
    assert {b"x" * (PART_BYTES + 10)} == {data for data, _ in results}
    assert [False, True, True, True] == sorted(hit for _, hit in results)


def test_a_failed_export_keeps_nothing(tmp_path: Path) -> None:
    """An error while writing (a damaged store) passes through and leaves no file behind."""
    kept = ExportFiles(tmp_path, 10 * PART_BYTES)

    def broken() -> Iterator[bytes]:
        yield b"half"
        raise OSError("disk I/O error")

    with pytest.raises(OSError):
        kept.open("k", 1, broken)
    assert [] == [path for path in tmp_path.iterdir() if not path.name.endswith(".lock")]


def test_the_folder_keeps_to_its_budget_least_recent_out(tmp_path: Path) -> None:
    """Over the budget the least recently used exports go; the one just written stays."""
    kept = ExportFiles(tmp_path, 100)
    for key in ("a", "b"):
        opened = kept.open(key, 1, lambda: [b"." * 40])
        assert opened is not None
        opened[0].close()
        time.sleep(0.01)
    opened = kept.open("a", 1, lambda: [b"?"])  # a hit: used again
    assert opened is not None and opened[1]
    opened[0].close()
    time.sleep(0.01)
    opened = kept.open("c", 1, lambda: [b"." * 40])
    assert opened is not None
    opened[0].close()
    kept_names = {path.name for path in tmp_path.iterdir() if not path.name.endswith(".lock")}
    assert {f"{_name(key)}-1" for key in ("a", "c")} == kept_names


def test_no_folder_for_memory_stores_or_no_budget(tmp_path: Path) -> None:
    """A store in memory, or CODEREUSE_CACHE_MB=0, keeps no exports (they are streamed)."""
    assert export_files("sqlite://", 1024) is None
    assert export_files(f"sqlite:///{tmp_path / 'c.db'}", 0) is None
    assert not exports_path(tmp_path / "c.db").exists()


def test_serve_forgets_the_exports_of_an_earlier_server(tmp_path: Path) -> None:
    """Starting a server removes the kept exports: a restored store repeats positions."""
    database = tmp_path / "catalogue.db"
    store = create_store(f"sqlite:///{database}")
    try:
        kept = export_files(store.engine.url, 1024)
        assert kept is not None
        opened = kept.open("k", 5, lambda: [b"old"])
        assert opened is not None
        opened[0].close()
        forget_kept_answers(Settings(database_url=f"sqlite:///{database}"), store)
        again = export_files(store.engine.url, 1024)
        assert again is not None
        opened = again.open("k", 5, lambda: [b"new"])
        assert opened is not None
        with opened[0] as file:
            assert (b"new", False) == (file.read(), opened[1])
    finally:
        store.close()


def test_a_kept_export_is_read_on_the_event_loop(
    workers: tuple[AppClient, AppClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept export's parts are read by the event loop, not handed one by one to the route
    thread pool (each hand-over cost more than reading a part from the page cache)."""
    first, second = workers
    computed = first.get(PATHS[2])
    handed: list[object] = []
    original = starlette.responses.iterate_in_threadpool

    def counted(iterator: Iterator[bytes]) -> AsyncIterator[bytes]:
        handed.append(iterator)
        return original(iterator)

    monkeypatch.setattr(starlette.responses, "iterate_in_threadpool", counted)
    kept = second.get(PATHS[2])
    assert ("hit", computed.content, []) == (kept.headers["x-cache"], kept.content, handed)
