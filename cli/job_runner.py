"""The crawl-job runner of `codereuse serve`: crawls asked for over the API run without `run`.

``POST /api/v1/forges/{name}/crawl`` queues a job row (`api` never crawls). `codereuse run`'s
scheduler runs such jobs between its scheduled crawls; a server started with `serve` runs them
with this runner, a thread in the serving process. Only one process on a store crawls at a
time: the runner takes the store's scheduler lease (`cli.scheduler_lease`) only while a job
waits, runs the queued jobs, and releases the lease at once, so a `run` started later is not
kept from its schedule and, while a `run` holds the lease, that `run` carries the jobs out.
Each job crawls its forge incrementally, then federates and indexes it (`cli.pipeline`), as
`run` does; ``GET /api/v1/jobs/{id}`` follows it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from cli import ui
from cli.run_command import Scheduler
from cli.scheduler_lease import SchedulerLease
from schemas.settings import Settings, interval_seconds

POLL_SECONDS = 5.0


@dataclass
class JobRunner:
    """Polls the store for queued crawl jobs and runs them under the scheduler lease."""

    settings: Settings
    environ: dict[str, str]
    say: Callable[[str], None] = ui.say
    poll_seconds: float = POLL_SECONDS
    crawl_options: dict[str, Any] = field(default_factory=dict)
    """Extra `crawler.run.CrawlOptions` (tests inject waits and a resolver)."""
    stop: threading.Event = field(default_factory=threading.Event)
    _scheduler: Scheduler | None = None
    _thread: threading.Thread | None = None

    def scheduler(self) -> Scheduler:
        """The crawl machinery shared with `run` (never used for scheduled crawls here)."""
        if self._scheduler is None:
            self._scheduler = Scheduler(
                settings=self.settings,
                every=timedelta(seconds=interval_seconds(self.settings.every)),
                environ=self.environ,
                say=self.say,
                stop=self.stop,
                crawl_options=self.crawl_options,
            )
        return self._scheduler

    def run_queued(self, store: Any, search: Any) -> int:
        """Run every queued job if this process gets the lease; returns how many ran.

        First, jobs a killed process left running are closed as failed (once its lease
        expired), so the job list never shows a dead crawl as running."""
        store.close_orphaned_crawl_jobs()
        if not any(job.status == "queued" for job in store.crawl_jobs(limit=50)):
            return 0
        lease = SchedulerLease(store, lambda _line: None)  # `run` already says who crawls
        self.scheduler().runner = lease.holder
        lease.start()
        ran = 0
        try:
            while lease.held() and not self.stop.is_set():
                if not self.scheduler().run_next_job(store, search):
                    break
                ran += 1
        finally:
            lease.stop()
        return ran

    def run_forever(self) -> None:
        """The runner thread's body: poll, run what is queued, until `cancel`."""
        from indexer.search.factory import create_search_backend
        from indexer.store import create_store

        store = create_store(self.settings.database_url)
        search = create_search_backend(self.settings, store)
        try:
            while not self.stop.is_set():
                self.run_queued(store, search)
                self.stop.wait(self.poll_seconds)
        finally:
            close = getattr(search, "close", None)
            if close is not None:
                close()
            store.close()

    def start(self) -> None:
        """Run `run_forever` in a daemon thread."""
        self._thread = threading.Thread(target=self.run_forever, name="codereuse-jobs", daemon=True)
        self._thread.start()

    def cancel(self, timeout: float = 30.0) -> None:
        """Stop after the current page (a crawl in flight is cancelled; its pages are kept)."""
        self.stop.set()
        if self._scheduler is not None:
            self._scheduler.cancel()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=timeout)
