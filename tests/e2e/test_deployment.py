"""A PostgreSQL deployment for real: two API servers, one scheduler, a crawl, a crash, a second run.

Everything runs through the installed console command in its own process, on the machine's
PostgreSQL server (a throw-away database) and fake forges on loopback:

* `db upgrade` on a fresh database, forges registered with `forges add`;
* API server A (`serve --workers 2`) and scheduler R (`run`) share one host's index file, API
  server B keeps its own (another host): each index is derived from the store and kept current
  through its change feed;
* R crawls the fakes; after a forge changed, a crawl asked for over A's API is run by R, and
  both A and B answer a search for the changed record within 10 s of that crawl's end;
* B is killed with SIGKILL under load: A keeps answering every request;
* a second `run` finds R holding the scheduler lease: it serves but never crawls, while R
  carries out the next crawl asked for.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from indexer.store import Store, create_store, head_revision
from tests.e2e.fakes import EnterpriseServer, GitLabInstance
from tests.e2e.servers import (
    COMMAND,
    Server,
    answers,
    clean_environment,
    free_port,
    start,
    wait_for,
)
from tests.fakeserver import serve

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not COMMAND.exists(), reason=f"the console command is not installed at {COMMAND}"
    ),
]
ADMIN = "deploy-admin-not-secret-0001-for-tests-only"
CHANGED_NAME = "Wahlhelferportal"
UP_SECONDS = 180
"""How long a server may take to answer after its start: `serve --workers 2` starts three
interpreters that each import the app, which took over 60 s at a load average of 19."""


@pytest.fixture
def database(postgres_server: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server; dropped afterwards."""
    name = f"codereuse_deploy_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _command(env: dict[str, str], cwd: Path, *args: str) -> str:
    import subprocess

    result = subprocess.run(
        [str(COMMAND), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert 0 == result.returncode, f"codereuse {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout + result.stderr


def _finds(server: Server, query: str) -> bool:
    try:
        response = httpx.get(f"{server.base}/api/v1/software", params={"q": query}, timeout=5)
    except httpx.TransportError:
        return False
    hits = response.json().get("hits", []) if response.status_code == 200 else []
    return any(hit["name"] == query for hit in hits)


def _crawl_over_api(server: Server, forge: str) -> int:
    response = httpx.post(
        f"{server.base}/api/v1/forges/{forge}/crawl",
        headers={"Authorization": f"Bearer {ADMIN}"},
        timeout=10,
    )
    assert 202 == response.status_code, response.text
    return int(response.json()["id"])


def _crawls(server: Server) -> list[str]:
    """The forges a `run` process started crawling, in order (its "crawling NAME (URL)" lines)."""
    return re.findall(r"^crawling (\S+) \(", server.output, flags=re.MULTILINE)


def _job_finished(store: Store, job_id: int) -> bool:
    job = store.get_crawl_job(job_id)
    return job is not None and job.finished_at is not None


def _load(servers: dict[str, Server], stop: threading.Event, tally: dict[str, list[int]]) -> None:
    """Search on every server in turn until `stop`; tally [answered, failed] per server."""
    while not stop.is_set():
        for name, server in servers.items():
            try:
                ok = httpx.get(f"{server.base}/api/v1/software?q=project", timeout=5).is_success
            except httpx.TransportError:
                ok = False
            tally[name][0 if ok else 1] += 1


def test_two_api_servers_one_scheduler_on_postgresql(database: str, tmp_path: Path) -> None:
    """Fresh database to served, followed, crash-tolerant search with exactly one crawling run."""
    hosts = {name: tmp_path / name for name in ("host-a", "host-b", "host-c")}
    for folder in hosts.values():
        folder.mkdir()

    def env(host: str) -> dict[str, str]:
        return clean_environment(
            CODEREUSE_DATABASE_URL=database,
            CODEREUSE_SEARCH_PATH=str(hosts[host] / "codereuse-search.db"),
            CODEREUSE_CONFIG=str(tmp_path / "none.toml"),
            CODEREUSE_ADMIN_TOKEN=ADMIN,
            E2E_GHES_TOKEN="e2e-token-not-secret-0001",
        )

    assert head_revision() in _command(env("host-a"), tmp_path, "db", "upgrade")
    gitlab, ghes = GitLabInstance(), EnterpriseServer()
    running: list[Server] = []
    with (
        serve(gitlab) as gitlab_port,
        serve(ghes) as ghes_port,
        create_store(database) as store,
    ):
        gitlab.fake.host = f"127.0.0.1:{gitlab_port}"
        ghes.fake.host = f"127.0.0.1:{ghes_port}"
        a_env = env("host-a")
        _command(a_env, tmp_path, "forges", "add", f"http://127.0.0.1:{gitlab_port}",
                 "--kind", "gitlab", "--name", "lab", "--allow-private")  # fmt: skip
        _command(a_env, tmp_path, "forges", "add", f"http://127.0.0.1:{ghes_port}/", "--kind",
                 "github", "--name", "ghes", "--token-env", "E2E_GHES_TOKEN", "--allow-private")  # fmt: skip
        try:
            api_a = start(["serve", "--workers", "2"], env=a_env, cwd=hosts["host-a"],
                          name="serve-a", port=free_port())  # fmt: skip
            api_b = start(["serve"], env=env("host-b"), cwd=hosts["host-b"], name="serve-b",
                          port=free_port())  # fmt: skip
            scheduler = start(["run"], env=a_env, cwd=hosts["host-a"], name="run",
                              port=free_port())  # fmt: skip
            running += [api_a, api_b, scheduler]
            for server in running:
                wait_for(
                    lambda s=server: answers(s.base), timeout=UP_SECONDS, what="up", server=server
                )  # type: ignore[misc]

            # R's first crawl of both forges, then both API servers' indexes have the catalogue.
            wait_for(
                lambda: (
                    {"lab", "ghes"}
                    <= {run.forge for run in store.crawl_runs() if run.finished_at is not None}
                ),
                timeout=90,
                what="the first crawl",
                server=scheduler,
            )
            for server in (api_a, api_b):
                wait_for(lambda s=server: _finds(s, "project-13"), timeout=30, what="indexed")  # type: ignore[misc]

            # A repository changes on the forge; a crawl asked for over A's API is run by R.
            repo = gitlab.fake.by_id()[21]
            repo.publiccode = (repo.publiccode or "").replace(
                "name: project-21", f"name: {CHANGED_NAME}"
            )
            gitlab.fake.touch([21], change_file=False)
            job = _crawl_over_api(api_a, "lab")
            wait_for(
                lambda: _job_finished(store, job),
                timeout=60,
                what="the crawl job",
                server=scheduler,
            )
            for server in (api_a, api_b):
                took = wait_for(lambda s=server: _finds(s, CHANGED_NAME), timeout=10,
                                what=f"{server.log.stem} finds the changed record")  # fmt: skip
                assert took < 10

            # B dies with SIGKILL under load; A answers every request before and after.
            tally = {"a": [0, 0], "b": [0, 0]}
            stop = threading.Event()
            load = threading.Thread(target=_load, args=({"a": api_a, "b": api_b}, stop, tally))
            load.start()
            try:
                time.sleep(1.0)
                os.kill(api_b.process.pid, signal.SIGKILL)
                api_b.process.wait(timeout=10)
                answered_before = tally["a"][0]
                time.sleep(2.0)
            finally:
                stop.set()
                load.join()
            assert 0 == tally["a"][1], tally
            assert tally["a"][0] > answered_before > 0, tally
            assert tally["b"][1] > 0, tally  # B really was down
            running.remove(api_b)

            # A second `run` on the same store serves but does not crawl; R still does.
            second = start(["run"], env=env("host-c"), cwd=hosts["host-c"], name="run-2",
                           port=free_port())  # fmt: skip
            running.append(second)
            wait_for(
                lambda: "serves only" in second.output,
                timeout=UP_SECONDS,
                what="standby",
                server=second,
            )
            wait_for(lambda: answers(second.base), timeout=UP_SECONDS, what="up", server=second)
            assert ["ghes", "lab", "lab"] == sorted(_crawls(scheduler)), scheduler.output
            job = _crawl_over_api(second, "lab")
            wait_for(
                lambda: _job_finished(store, job),
                timeout=60,
                what="the second job",
                server=scheduler,
            )
            assert answers(second.base)
            assert [] == _crawls(second), second.output
            assert ["ghes", "lab", "lab", "lab"] == sorted(_crawls(scheduler)), scheduler.output
            assert [1, 3] == sorted(
                sum(1 for run in store.crawl_runs(forge)) for forge in ("ghes", "lab")
            )
            lease = store.get_lease("scheduler")
            assert lease is not None and f"pid {scheduler.process.pid} " in lease.holder
        finally:
            codes = {server.log.stem: server.stop() for server in running}
        assert {server.log.stem: 0 for server in running} == codes, "\n".join(
            server.output for server in running
        )
