"""A crawl job whose process was killed (SIGKILL) does not stay ``running`` forever.

The runner claims a job under the store's scheduler lease; killed, it never finishes the job
nor renews the lease. Once the lease has lapsed, the next runner poll (`serve`'s job runner, or
`run`'s scheduler when it claims the next job) closes the job as failed and its open crawl run
as interrupted; the crawl's checkpoints stay, so the next crawl of the forge resumes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tenacity import wait_none

from cli.job_runner import JobRunner
from cli.scheduler_lease import LEASE, LEASE_SECONDS
from indexer.search.factory import create_search_backend
from indexer.store import create_store
from indexer.store.crawl_state import RUNNERLESS_GRACE
from schemas.forge import ForgeRegistration
from schemas.settings import Settings
from tests.crawler.conftest import public_resolver

ROOT = Path(__file__).resolve().parents[2]
LAB = ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.example.org")
CHILD = """
import sys, time
from indexer.store import create_store
from indexer.store.crawl_state import RUNNERLESS_GRACE
store = create_store(sys.argv[1])
store.acquire_lease("scheduler", "doomed pid 1", seconds=60)
job = store.next_crawl_job(runner="doomed pid 1")
store.start_crawl_run(job.forge, full=False)
print(job.id, flush=True)
time.sleep(600)
"""


def test_a_job_of_a_killed_runner_is_closed_once_its_lease_lapses(tmp_path: Path) -> None:
    """SIGKILL mid-job: running while the lease lasts, then failed (run interrupted)."""
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    clock = {"now": datetime.now(UTC)}
    with create_store(url, clock=lambda: clock["now"]) as store:
        store.add_forge(LAB)
        job = store.request_crawl("lab")
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, url],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert str(job) == child.stdout.readline().decode().strip()
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=30)
        runner = JobRunner(
            settings=Settings(database_url=url),
            environ={},
            say=lambda _line: None,
            crawl_options={"wait": wait_none(), "resolver": public_resolver},
        )
        search = create_search_backend(runner.settings, store)
        assert 0 == runner.run_queued(store, search)
        running = store.get_crawl_job(job)
        assert running is not None and "running" == running.status  # its lease still lasts
        clock["now"] = datetime.now(UTC) + timedelta(seconds=LEASE_SECONDS + 1)
        assert 0 == runner.run_queued(store, search)
        failed = store.get_crawl_job(job)
        assert failed is not None
        assert ("failed", clock["now"]) == (failed.status, failed.finished_at)
        assert ["interrupted"] == [run.status for run in store.crawl_runs("lab")]
        assert store.get_lease(LEASE) is not None  # the dead holder's row: expired, harmless


def test_the_next_claim_closes_a_job_whose_lease_was_taken_over(tmp_path: Path) -> None:
    """A job of a holder whose lease another process took over is closed at the next claim;
    a job of the current holder is left alone."""
    clock = {"now": datetime(2026, 12, 3, tzinfo=UTC)}
    with create_store(f"sqlite:///{tmp_path / 'jobs.db'}", clock=lambda: clock["now"]) as store:
        store.add_forge(LAB)
        first = store.request_crawl("lab")
        store.acquire_lease(LEASE, "old", seconds=60)
        store.next_crawl_job(runner="old")
        store.start_crawl_run("lab", full=False)  # it was crawling when it lost its lease
        clock["now"] += timedelta(seconds=61)
        store.acquire_lease(LEASE, "new", seconds=60)
        second = store.request_crawl("lab")
        claimed = store.next_crawl_job(runner="new")
        assert claimed is not None and second == claimed.id
        assert ["running", "failed"] == [job.status for job in store.crawl_jobs("lab")]
        assert [] == store.close_orphaned_crawl_jobs()
        assert first != second


def test_a_job_whose_runner_died_before_crawling_is_queued_again(tmp_path: Path) -> None:
    """Claimed, then the runner's lease lapses before it started a crawl: the job never ran,
    so it is queued again (not failed) and the next claim carries it out."""
    clock = {"now": datetime(2026, 12, 3, tzinfo=UTC)}
    with create_store(f"sqlite:///{tmp_path / 'jobs.db'}", clock=lambda: clock["now"]) as store:
        store.add_forge(LAB)
        job = store.request_crawl("lab")
        store.acquire_lease(LEASE, "gone", seconds=60)
        store.next_crawl_job(runner="gone")
        clock["now"] += timedelta(seconds=61)
        assert [job] == store.close_orphaned_crawl_jobs()
        queued = store.get_crawl_job(job)
        assert queued is not None
        assert ("queued", None, None) == (queued.status, queued.started_at, queued.finished_at)
        store.acquire_lease(LEASE, "next", seconds=60)
        claimed = store.next_crawl_job(runner="next")
        assert claimed is not None and (job, "running") == (claimed.id, claimed.status)
        assert [] == store.crawl_runs("lab")


def test_a_job_claimed_without_a_runner_is_given_time(tmp_path: Path) -> None:
    """A job claimed without a runner (no lease tells whether its claimant lives) is not taken
    for orphaned at the next poll; only after `RUNNERLESS_GRACE` with no lease held at all,
    and then, having started a crawl, it fails and its run is interrupted."""
    clock = {"now": datetime(2026, 12, 3, tzinfo=UTC)}
    with create_store(f"sqlite:///{tmp_path / 'jobs.db'}", clock=lambda: clock["now"]) as store:
        store.add_forge(LAB)
        job = store.request_crawl("lab")
        assert store.next_crawl_job() is not None
        store.start_crawl_run("lab", full=False)
        clock["now"] += timedelta(seconds=30)
        assert [] == store.close_orphaned_crawl_jobs()
        running = store.get_crawl_job(job)
        assert running is not None and "running" == running.status
        clock["now"] += RUNNERLESS_GRACE
        assert [job] == store.close_orphaned_crawl_jobs()
        failed = store.get_crawl_job(job)
        assert failed is not None and "failed" == failed.status
        assert ["interrupted"] == [run.status for run in store.crawl_runs("lab")]
