"""A damaged SQLite file and a full disk: clear messages, exit 1, 503 problems, nothing lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from api.app import create_app
from cli.app import app
from cli.pipeline import federate_all
from indexer.store import Store, create_store
from indexer.store.health import IntegrityProbe, describe_failure
from schemas.errors import StoreError
from schemas.forge import ForgeRegistration
from schemas.settings import Settings
from tests.api.client import AppClient
from tests.api.records import make_record

RECORDS = 400


def _fill(path: Path) -> str:
    url = f"sqlite:///{path}"
    with create_store(url) as store:
        store.add_forge(
            ForgeRegistration(name="opencode", kind="gitlab", url="https://gitlab.opencode.de")
        )
        store.upsert_records(
            make_record(
                f"https://gitlab.opencode.de/amt/project-{number}",
                f"Project {number}",
                short_en="A participation platform for cities " * 8,
            )
            for number in range(RECORDS)
        )
    return url


def _corrupt_a_records_page(path: Path) -> None:
    """Overwrite one leaf page in the middle of the `records` table with garbage."""
    connection = sqlite3.connect(path)
    try:
        pages = [
            row[0]
            for row in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = 'records' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    finally:
        connection.close()
    assert len(pages) > 10, "the records table must span many pages"
    with path.open("r+b") as file:
        file.seek((pages[len(pages) // 2] - 1) * page_size)
        file.write(b"\xff" * page_size)


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[str]:
    """A real catalogue file with one corrupted page in the middle of its records."""
    path = tmp_path / "catalogue.db"
    url = _fill(path)
    _corrupt_a_records_page(path)
    yield url


def _full_disk(store: Store) -> None:
    """Every new connection of `store` may not grow the file: SQLite answers SQLITE_FULL."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(store.engine, "connect", limit)
    store.engine.dispose()


def _get(url: str, path: str, *, search: Any = None, **params: str) -> httpx.Response:
    """GET `path` from an app over the store at `url` (with `search`, or the real backend)."""
    store = create_store(url)
    client = AppClient(create_app(Settings(database_url=url), store=store, search=search))
    try:
        return client.get(path, params=params)
    finally:
        client.close()
        store.close()


def _assert_damaged_503(response: httpx.Response) -> None:
    assert (503, "application/problem+json") == (
        response.status_code,
        response.headers["content-type"],
    )
    assert "the database file is damaged" in response.json()["detail"]


def test_readyz_finds_a_damaged_page(damaged: str) -> None:
    """/readyz answers 503 problem+json naming the damage, though the first pages read fine."""
    response = _get(damaged, "/readyz")
    _assert_damaged_503(response)
    assert str(Path(damaged.removeprefix("sqlite:///"))) not in response.text


@pytest.mark.parametrize("format", ["ndjson", "csv", "json"])
def test_export_of_a_damaged_store_is_503_before_streaming(damaged: str, format: str) -> None:
    """The export answers 503 problem+json instead of 200 and a file broken half-way."""
    _assert_damaged_503(_get(damaged, "/api/v1/export", format=format))


@pytest.mark.parametrize("args", [["export", "--format", "ndjson", "-o", "out.ndjson"], ["stats"]])
def test_cli_on_a_damaged_store_says_what_where_and_what_to_do(
    damaged: str, args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One line: the file is damaged, its path, how to recover; exit 1, no traceback, no file."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args, env={"CODEREUSE_DATABASE_URL": damaged})
    path = Path(damaged.removeprefix("sqlite:///"))
    assert 1 == result.exit_code, result.output
    assert f"the database file is damaged: {path}" in result.stderr
    assert ".recover" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.ndjson").exists()


def test_full_disk_in_federation_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    """SQLITE_FULL while federating: a StoreError saying the disk is full; the records stay."""
    url = _fill(tmp_path / "catalogue.db")
    with create_store(url) as store:
        before = store.count_records()
        _full_disk(store)
        with pytest.raises(StoreError) as caught:
            store.upsert_records(
                make_record(f"https://gitlab.opencode.de/amt/extra-{n}", "Extra " * 2000)
                for n in range(50)
            )
        with pytest.raises(StoreError, match="disk is full"):
            federate_all(store)
    message = str(caught.value)
    assert message.startswith("the disk is full (or the database reached its size limit): ")
    assert str(tmp_path / "catalogue.db") in message
    with create_store(url) as store:
        assert before == store.count_records()


def _disk_full_from_now_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store connection opened from now on may not grow its file (SQLITE_FULL)."""
    from indexer.store import engine

    configure = engine._configure_sqlite

    def full(dbapi_connection: Any, record: Any) -> None:
        configure(dbapi_connection, record)
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(engine, "_configure_sqlite", full)


def test_full_disk_in_the_crawls_federation_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`crawl` whose federation meets a full disk: exit 1, what/where/what to do, data kept."""
    import cli.pipeline
    from crawler.base import CrawlReport

    url = _fill(tmp_path / "catalogue.db")

    async def crawled(*_args: object, **_options: object) -> list[CrawlReport]:
        return [CrawlReport(forge="opencode", full=True, status="succeeded", repositories=1)]

    monkeypatch.setattr(cli.pipeline, "crawl_forges", crawled)
    _disk_full_from_now_on(monkeypatch)
    result = CliRunner().invoke(app, ["crawl", "--no-index"], env={"CODEREUSE_DATABASE_URL": url})
    assert 1 == result.exit_code, result.output
    assert "Traceback" not in result.output
    assert f"the disk is full (or the database reached its size limit): {tmp_path}" in (
        result.stderr
    )
    monkeypatch.undo()
    with create_store(url) as store:
        assert RECORDS == store.count_records()


def test_full_disk_from_the_cli_exits_1_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`forges import` on a full disk: exit 1, what/where/what to do; earlier data kept."""
    url = _fill(tmp_path / "catalogue.db")
    _disk_full_from_now_on(monkeypatch)
    registry = tmp_path / "gov.yml"
    registry.write_text(
        "Germany:\n" + "".join(f"  - org-{n}-{'x' * 200}\n" for n in range(2000)), encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["forges", "import", str(registry)], env={"CODEREUSE_DATABASE_URL": url}
    )
    assert 1 == result.exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert 1 == len(lines), result.stderr
    assert "the disk is full" in lines[0] and str(tmp_path / "catalogue.db") in lines[0]
    assert "Traceback" not in result.output
    monkeypatch.undo()
    with create_store(url) as store:
        assert (RECORDS, ["opencode"]) == (
            store.count_records(),
            [forge.name for forge in store.list_forges()],
        )


def test_integrity_probe_is_cached_and_bounded(tmp_path: Path) -> None:
    """The probe runs once per max_age; a check over its time budget counts as passed."""
    url = _fill(tmp_path / "catalogue.db")
    now = [0.0]
    store = create_store(url)
    try:
        probe = IntegrityProbe(store.engine, max_age=60.0, clock=lambda: now[0])
        probe.check()
        _corrupt_a_records_page(tmp_path / "catalogue.db")
        store.engine.dispose()
        now[0] = 59.0
        probe.check()  # the answer of a minute ago still stands
        now[0] = 60.0
        with pytest.raises(StoreError, match="damaged"):
            probe.check()  # checked again
        slow = IntegrityProbe(store.engine, budget=-1.0)
        slow.check()  # out of budget at once: inconclusive, not a failure
    finally:
        store.close()


def test_describe_failure_names_each_kind() -> None:
    """Locked, read-only and unknown failures get their own words and advice."""
    where = "/srv/codereuse.db"
    locked = describe_failure(sqlite3.OperationalError("database is locked"), where)
    readonly = describe_failure(
        sqlite3.OperationalError("attempt to write a readonly database"), where
    )
    other = describe_failure(sqlite3.OperationalError("something new"), where)
    assert locked.startswith("another process held the database's lock")
    assert readonly.startswith("the database is read-only for this process: /srv/codereuse.db")
    assert "the store at /srv/codereuse.db failed: something new" == other


def test_a_running_check_does_not_hold_up_other_requests(tmp_path: Path) -> None:
    """While one thread re-checks, the others answer at once with the previous result."""
    import threading

    url = _fill(tmp_path / "catalogue.db")
    now = [0.0]
    started, release = threading.Event(), threading.Event()

    class SlowProbe(IntegrityProbe):
        def _run(self) -> str | None:
            if now[0] > 0:
                started.set()
                release.wait(10)
            return None

    store = create_store(url)
    try:
        probe = SlowProbe(store.engine, max_age=60.0, clock=lambda: now[0])
        probe.check()
        now[0] = 120.0
        worker = threading.Thread(target=probe.check)
        worker.start()
        assert started.wait(10)
        probe.check()  # returns although the re-check is still running
        release.set()
        worker.join(10)
    finally:
        store.close()


def test_raw_database_errors_in_the_api_are_503(tmp_path: Path) -> None:
    """A SQLite error the search backend lets through answers 503 problem+json, not 500."""
    url = _fill(tmp_path / "catalogue.db")

    class DamagedSearch:
        def search(self, *_args: object, **_options: object) -> None:
            raise sqlite3.DatabaseError("database disk image is malformed")

    _assert_damaged_503(_get(url, "/api/v1/software", search=DamagedSearch(), q="project"))
