"""`codereuse serve`'s crawl-job runner (issue 13): a crawl queued over the API runs without
`run`, under the scheduler lease (one process crawls), and `serve` starts the runner."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from tenacity import wait_none

from cli.job_runner import JobRunner
from cli.scheduler_lease import LEASE
from indexer.search.factory import create_search_backend
from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from schemas.settings import Settings
from tests.crawler.conftest import public_resolver
from tests.crawler.fakeforge import FakeGitLab, make_repos

LAB = ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.example.org")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with create_store(f"sqlite:///{tmp_path / 'jobs.db'}") as opened:
        opened.add_forge(LAB)
        yield opened


def _runner(store: Store, said: list[str]) -> JobRunner:
    return JobRunner(
        settings=Settings(database_url=str(store.engine.url)),
        environ={},
        say=said.append,
        poll_seconds=0.01,
        crawl_options={"wait": wait_none(), "resolver": public_resolver},
    )


def test_queued_job_is_crawled_indexed_and_finished(store: Store) -> None:
    """The runner claims the job, crawls the forge into the store and the index, finishes the
    job as succeeded and releases the lease."""
    said: list[str] = []
    runner = _runner(store, said)
    search = create_search_backend(runner.settings, store)
    job = store.request_crawl("lab")
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(
            side_effect=FakeGitLab("gitlab.example.org", make_repos(12, owners=1))
        )
        assert 1 == runner.run_queued(store, search)
    finished = store.get_crawl_job(job)
    assert finished is not None and "succeeded" == finished.status
    assert 12 == search.search(per_page=1).total
    assert store.get_lease(LEASE) is None  # released at once: a `run` need not wait
    assert f"crawl job {job}: lab" in said
    assert 0 == runner.run_queued(store, search)  # nothing queued: the lease is not even taken


def test_while_another_process_holds_the_lease_the_job_waits(store: Store) -> None:
    """Only one process crawls: with the lease held elsewhere (a `run`), the job stays queued
    for that process; once it is released, the runner carries the job out."""
    runner = _runner(store, [])
    search = create_search_backend(runner.settings, store)
    store.acquire_lease(LEASE, "other host pid 1", seconds=60)
    job = store.request_crawl("lab")
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(
            side_effect=FakeGitLab("gitlab.example.org", make_repos(3, owners=1))
        )
        assert 0 == runner.run_queued(store, search)
        waiting = store.get_crawl_job(job)
        assert waiting is not None and "queued" == waiting.status
        store.release_lease(LEASE, "other host pid 1")
        assert 1 == runner.run_queued(store, search)
    done = store.get_crawl_job(job)
    assert done is not None and "succeeded" == done.status


def test_runner_thread_runs_jobs_until_cancelled(store: Store) -> None:
    """Started as `serve` starts it, the thread picks up a job queued later, then stops."""
    runner = _runner(store, [])
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(
            side_effect=FakeGitLab("gitlab.example.org", make_repos(2, owners=1))
        )
        runner.start()
        job = store.request_crawl("lab")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = store.get_crawl_job(job)
            if found is not None and found.status in {"succeeded", "failed"}:
                break
            time.sleep(0.02)  # the runner polls every 10 ms here; no clock to inject
        runner.cancel()
    finished = store.get_crawl_job(job)
    assert finished is not None and "succeeded" == finished.status
    assert runner.stop.is_set()


def test_serve_starts_the_runner_unless_no_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` (one process) starts the job runner and cancels it on exit; --no-jobs does not."""
    from typer.testing import CliRunner

    import cli.serve_command as serve_command
    from cli.app import app

    started: list[object] = []

    class Runner:
        def cancel(self) -> None:
            started.append("cancelled")

    monkeypatch.setattr(serve_command, "check_serving", lambda: None)
    monkeypatch.setattr(serve_command, "announce_new", lambda _url: None)
    monkeypatch.setattr(serve_command, "build_app", lambda: object())
    monkeypatch.setattr(serve_command, "serve_http", lambda *args: None)
    monkeypatch.setattr(
        serve_command, "start_job_runner", lambda settings: started.append("started") or Runner()
    )
    monkeypatch.delenv(serve_command.WORKER_JOBS, raising=False)
    assert 0 == CliRunner().invoke(app, ["serve"]).exit_code
    assert ["started", "cancelled"] == started
    started.clear()
    monkeypatch.delenv(serve_command.WORKER_JOBS, raising=False)
    assert 0 == CliRunner().invoke(app, ["serve", "--no-jobs"]).exit_code
    assert [] == started
