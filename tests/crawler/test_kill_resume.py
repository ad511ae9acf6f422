"""SIGKILL mid-crawl, run again: the crawl continues from its checkpoint, nothing lost or doubled.

For every forge kind, a fake forge is served over real HTTP on 127.0.0.1 (a threaded server with
a delay per answer so the kill lands mid-crawl); `codereuse crawl` runs in a subprocess against
a SQLite store.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer.store import create_store
from schemas.forge import ForgeRegistration
from tests.crawler.fakeforge import FakeForge, FakeGitea, FakeGitHub, FakeGitLab, make_repos
from tests.fakeserver import serve

ROOT = Path(__file__).resolve().parents[2]
REPOSITORIES = 1000
DELAY = 0.15
PAGE = {"gitlab": 100, "github": 100, "gitea": 50, "forgejo": 50}
"""Repositories per listing page of each kind (Gitea clamps to 50)."""
FAKES: dict[str, type[FakeForge]] = {
    "gitlab": FakeGitLab,
    "github": FakeGitHub,
    "gitea": FakeGitea,
    "forgejo": FakeGitea,
}


@pytest.fixture(params=sorted(PAGE))
def forge(request: pytest.FixtureRequest) -> Iterator[tuple[FakeForge, int, str]]:
    kind: str = request.param
    fake = FAKES[kind]("placeholder", make_repos(REPOSITORIES, owners=4))
    # Gitea asks for each repository's root too (about 1.3 requests per repository): a shorter
    # delay keeps its crawl as long as the others'.
    delay = DELAY if PAGE[kind] == 100 else DELAY / 20
    # The forge is slow (delay per answer), so the kill lands between pages.
    with serve(fake, delay=delay) as port:
        fake.host = f"127.0.0.1:{port}"
        yield fake, port, kind


def _prepare(database: Path, port: int, kind: str) -> None:
    # GitHub's organisation crawls need a token (GraphQL); the others crawl whole instances.
    registration = ForgeRegistration(
        name="lab",
        kind=kind,
        url=f"http://127.0.0.1:{port}",
        allow_private=True,
        orgs=[f"org{i}" for i in range(4)] if kind == "github" else [],
        token_env="KILL_TEST_TOKEN" if kind == "github" else None,
    )
    with create_store(f"sqlite:///{database}") as store:
        store.add_forge(registration)


def _crawl(database: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CODEREUSE_DATABASE_URL": f"sqlite:///{database}",
        "CODEREUSE_CONFIG": str(tmp_path / "absent.toml"),
        "PYTHONPATH": str(ROOT),
        "KILL_TEST_TOKEN": "not-a-real-token",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from cli.app import main; main()",
            "--quiet",
            "crawl",
            "lab",
            "--no-federate",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _count(database: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _content(database: Path) -> tuple[set[tuple[Any, ...]], list[str], int]:
    with create_store(f"sqlite:///{database}") as store:
        fingerprints = {
            (fp.forge_id, fp.url, fp.blob_id, fp.last_activity)
            for fp in store.fingerprints("lab").values()
        }
        ids = sorted(record.id for record in store.iter_records())
    return fingerprints, ids, _count(database, "repositories")


CRAWL_SECONDS = 240
"""A whole crawl of the fake forge in a subprocess: Gitea pays a request per repository and file,
which took over 120 s at a load average of 15."""


@pytest.mark.slow
@pytest.mark.timeout(3 * CRAWL_SECONDS)
def test_sigkill_mid_crawl_then_rerun_equals_a_clean_crawl(
    forge: tuple[FakeForge, int, str], tmp_path: Path
) -> None:
    """Killed after two committed pages, the rerun resumes from the checkpoint and ends equal to a clean crawl."""
    fake, port, kind = forge
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    _prepare(killed_db, port, kind)
    _prepare(clean_db, port, kind)

    process = _crawl(killed_db, tmp_path)
    deadline = time.monotonic() + 60
    while _count(killed_db, "repositories") < 200 and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    saved = _count(killed_db, "repositories")
    assert 200 <= saved < REPOSITORIES
    assert 1 <= _count(killed_db, "crawl_checkpoints") or saved % PAGE[kind] == 0

    # A request the killed client sent just before dying may still be arriving at the server
    # (the next page is prefetched); let those land before counting the rerun's requests.
    time.sleep(3 * DELAY)
    fake.counts.clear()
    rerun = _crawl(killed_db, tmp_path)
    out, err = rerun.communicate(timeout=CRAWL_SECONDS)
    assert 0 == rerun.returncode, err.decode()
    resumed_requests = fake.total
    with create_store(f"sqlite:///{killed_db}") as store:
        assert ["succeeded", "interrupted"] == [run.status for run in store.crawl_runs("lab")]
    assert "1 interrupted run closed" in out.decode()
    fake.counts.clear()
    clean = _crawl(clean_db, tmp_path)
    _, err = clean.communicate(timeout=CRAWL_SECONDS)
    assert 0 == clean.returncode, err.decode()
    if kind == "gitlab":
        # Only the pages not yet saved: each a listing and a request for its README, LICENSE
        # and manifest texts (repository facts).
        assert resumed_requests == 2 * ((REPOSITORIES - saved) // 100)
    assert resumed_requests < fake.total  # the rerun did not start over
    assert _content(clean_db) == _content(killed_db)
    assert REPOSITORIES == _content(killed_db)[2]
