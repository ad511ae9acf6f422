"""`codereuse serve --workers N` on the SQLite default: N processes sharing the one file.

Runs the installed console command as an operator would and checks from outside: N worker
processes answer, a write transaction held on the store file does not block their searches
(WAL), and a worker killed with SIGKILL is replaced while the others keep answering.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from indexer.search.factory import create_search_backend
from indexer.store import create_store
from indexer.sync import sync_search
from schemas.settings import Settings
from tests.e2e.servers import (
    COMMAND,
    Server,
    answers,
    clean_environment,
    free_port,
    start,
    wait_for,
)
from tests.store.builders import make_record

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not COMMAND.exists(), reason=f"the console command is not installed at {COMMAND}"
    ),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`serve --workers 2` over a SQLite store holding 30 indexed records."""
    url = f"sqlite:///{tmp_path / 'codereuse.db'}"
    with create_store(url) as store:
        store.upsert_records(
            make_record(f"https://gitlab.example.org/stadt/fachverfahren-{n}") for n in range(30)
        )
        search = create_search_backend(Settings(database_url=url), store)
        sync_search(search, store)
        search.close()  # type: ignore[attr-defined]
    env = clean_environment(
        CODEREUSE_DATABASE_URL=url, CODEREUSE_CONFIG=str(tmp_path / "none.toml")
    )
    running = start(
        ["serve", "--workers", "2"], env=env, cwd=tmp_path, name="serve", port=free_port()
    )
    try:
        wait_for(lambda: answers(running.base), timeout=60, what="serve answers", server=running)
        wait_for(lambda: 2 == len(running.workers()), timeout=30, what="two workers")
        yield running
    finally:
        assert 0 == running.stop(), running.output


def _search(base: str) -> int:
    response = httpx.get(f"{base}/api/v1/software", params={"q": "fachverfahren"}, timeout=10)
    assert 200 == response.status_code, response.text
    return int(response.json()["total"])


def test_workers_answer_while_a_writer_holds_the_store(server: Server, tmp_path: Path) -> None:
    """Searches are answered within seconds while another process holds the write lock (WAL)."""
    writer = sqlite3.connect(tmp_path / "codereuse.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE forges SET name = name")
        answered = [_search(server.base) for _ in range(10)]
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert [30] * 10 == answered


def test_a_killed_worker_is_replaced_and_the_others_keep_answering(server: Server) -> None:
    """SIGKILL to one worker mid-load: every request still succeeds and a new worker starts."""
    failures: list[str] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            try:
                _search(server.base)
            except (httpx.TransportError, AssertionError) as error:
                failures.append(repr(error))

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    before = server.workers()
    try:
        os.kill(before[0], signal.SIGKILL)
        wait_for(
            lambda: 2 == len(server.workers()) and before[0] not in server.workers(),
            # the supervisor checks its workers one after another, each health check may take
            # up to its 30 s on a loaded machine, then the new worker imports the app
            timeout=120,
            what="the killed worker is replaced",
        )
        wait_for(lambda: answers(server.base), timeout=60, what="serve still answers")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert 30 == _search(server.base)
    # A request the killed worker had accepted but not answered is lost with it (the client
    # sees a dropped connection, as with any crashed server); at most one per load thread.
    assert len(failures) <= len(threads), failures


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def test_the_supervisor_is_lean(server: Server) -> None:
    """The process that checked the settings became uvicorn's bare supervisor (same pid): it
    holds no app, so it is far smaller than a worker that serves one."""
    command = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().split(b"\0")
    assert b"cli.supervisor" in command
    assert _rss_kb(server.process.pid) * 2 < min(_rss_kb(pid) for pid in server.workers())


def test_bad_settings_stop_serve_before_any_worker(tmp_path: Path) -> None:
    """An unusable store is reported by serve itself, exit 1, before a supervisor starts."""
    env = clean_environment(
        CODEREUSE_DATABASE_URL="mysql://nobody@127.0.0.1/none",
        CODEREUSE_CONFIG=str(tmp_path / "none.toml"),
    )
    running = start(
        ["serve", "--workers", "2"], env=env, cwd=tmp_path, name="bad", port=free_port()
    )
    assert 1 == running.process.wait(timeout=60)
    assert "SQLite or PostgreSQL" in running.output
    assert "Traceback" not in running.output
