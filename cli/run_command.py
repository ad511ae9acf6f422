"""`codereuse run`: the whole job — crawl what is due, index, serve, and recrawl on schedule.

The web server (uvicorn) runs in the main thread and owns Ctrl-C; a scheduler thread crawls
the registered forges that are due (never crawled, or last finished crawl older than
``--every``) at the same time, runs crawl jobs asked for over the API, and federates and indexes
each forge as soon as its crawl is done. Only the `run` holding the store's scheduler lease
crawls (`cli.scheduler_lease`), so a second `run` on the same store serves but never crawls
twice. A forge that is slow or cannot be reached is reported and retried later; it holds up no
other forge, and what is already indexed is served throughout. On Ctrl-C the crawl in flight is cancelled:
every finished page is already committed with its checkpoint, so the next start resumes there.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import typer

from cli import ui
from cli.scheduler_lease import SchedulerLease
from cli.serve_command import WORKERS_OPTION
from schemas.errors import CodereuseError
from schemas.forge import ForgeRegistration
from schemas.settings import Settings, interval_seconds, load_settings

log = logging.getLogger("codereuse.run")
POLL_SECONDS = 5.0


def github_without_token(registration: ForgeRegistration, environ: dict[str, str]) -> bool:
    """True for a registration on a forge that needs a token for owner listings (github.com,
    `crawler.spec.ForgeKindSpec.token_required`) whose token variable is unset: it is skipped."""
    from crawler.kinds import kind_spec

    return registration.url.rstrip("/") in kind_spec(registration.kind).token_required and not (
        registration.token_env and environ.get(registration.token_env, "").strip()
    )


def seed_default_registry(store: Any) -> list[ForgeRegistration]:
    """Register the bundled default forges when none is registered; return what was added.

    What GitHub's government list says of their organisations (public bodies of Germany) is
    kept with them, as ``forges import`` keeps a registry's organisations."""
    from crawler.default_registry import default_organisations, default_registrations

    if store.list_forges():
        return []
    added = default_registrations()
    for registration in added:
        store.add_forge(registration)
    store.save_registry_organisations(default_organisations())
    return added


def due_forges(store: Any, every: timedelta, now: datetime) -> list[ForgeRegistration]:
    """Registered forges never crawled to the end, or whose last finished crawl is older than `every`."""
    due = []
    for registration in store.list_forges():
        finished = [
            run.finished_at
            for run in store.crawl_runs(registration.name, limit=20)
            if run.finished_at is not None and run.status == "succeeded"
        ]
        if not finished or now - max(finished) >= every:
            due.append(registration)
    return due


@dataclass
class Scheduler:
    """Crawls due forges and queued crawl jobs, then syncs the index, until stopped."""

    settings: Settings
    every: timedelta
    environ: dict[str, str]
    say: Callable[[str], None] = ui.say
    stop: threading.Event = field(default_factory=threading.Event)
    _loop: asyncio.AbstractEventLoop | None = None
    _task: asyncio.Task[Any] | None = None
    skipped_notice_shown: bool = False
    crawl_options: dict[str, Any] = field(default_factory=dict)
    """Extra `crawler.run.CrawlOptions` (tests inject a transport, waits and a resolver)."""
    failures: dict[str, int] = field(default_factory=dict)
    retry_at: dict[str, datetime] = field(default_factory=dict)
    lower_priority: bool = False
    """Crawl at ``settings.crawl_nice`` (`cli.pipeline.lower_crawl_priority`): when no request
    is answered in this process (``run --workers N``; with one process a crawl thread at a
    lower priority holding the interpreter lock would hold up the requests)."""
    runner: str | None = None
    """The scheduler lease holder this process crawls as: stored with the jobs it claims, so a
    job it leaves running when killed is noticed once its lease lapses."""

    def backoff(self, name: str, failed: bool, now: datetime) -> None:
        """After a failed crawl, wait 1, 2, 4 … minutes (at most `every`) before the next try."""
        if not failed:
            self.failures.pop(name, None)
            self.retry_at.pop(name, None)
            return
        count = self.failures.get(name, 0) + 1
        self.failures[name] = count
        delay = min(self.every, timedelta(minutes=2 ** (count - 1)))
        self.retry_at[name] = now + delay
        self.say(f"{name}: next try in {int(delay.total_seconds() // 60)} min")

    def run_forever(self) -> None:
        """The scheduler thread's body."""
        from cli.pipeline import lower_crawl_priority
        from indexer.search.factory import create_search_backend
        from indexer.store import create_store

        if self.lower_priority:
            lower_crawl_priority(self.settings, thread_only=True)
        store = create_store(self.settings.database_url)
        search = create_search_backend(self.settings, store)
        lease = SchedulerLease(store, self.say)
        self.runner = lease.holder
        lease.start()
        try:
            while not self.stop.is_set():
                if lease.held():  # another `run` on this store crawls; this one only serves
                    self.tick(store, search)
                self.stop.wait(POLL_SECONDS)
        finally:
            lease.stop()
            close = getattr(search, "close", None)
            if close is not None:
                close()
            store.close()

    def run_next_job(self, store: Any, search: Any) -> bool:
        """Claim the oldest queued crawl job (asked for over the API), crawl its forge and
        finish the job with the crawl's outcome; False when no job waits."""
        job = store.next_crawl_job(runner=self.runner)
        if job is None:
            return False
        self.say(f"crawl job {job.id}: {job.forge}")
        registration = store.get_forge(job.forge)
        status = "failed"
        if registration is not None:
            status = self.crawl(store, search, [registration], full=False)
        # A crawl cancelled at shutdown ends its job as failed: the API says it did not finish.
        store.finish_crawl_job(job.id, "succeeded" if status == "succeeded" else "failed")
        return True

    def tick(self, store: Any, search: Any) -> None:
        """One round: queued jobs first, then forges that are due."""
        self.run_next_job(store, search)
        now = datetime.now(UTC)
        due = [
            r for r in due_forges(store, self.every, now) if self.retry_at.get(r.name, now) <= now
        ]
        runnable = [r for r in due if not github_without_token(r, self.environ)]
        if len(runnable) < len(due) and not self.skipped_notice_shown:
            self.skipped_notice_shown = True
            names = ", ".join(r.name for r in due if r not in runnable)
            self.say(
                f"not crawling {names}: GitHub needs a token for organisation crawls; "
                "export GITHUB_TOKEN=<a token with public read access> and restart to include them"
            )
        if runnable and not self.stop.is_set():
            self.crawl(store, search, runnable, full=False)

    def crawl(
        self, store: Any, search: Any, registrations: Sequence[ForgeRegistration], *, full: bool
    ) -> str:
        """Run the pipeline (`cli.pipeline`) over `registrations`: forges are crawled at the
        same time, each federated and indexed as soon as it is done; an unreachable forge is
        reported and retried later with a backoff, and holds up no other."""
        from cli.pipeline import crawl_options, run_pipeline

        options = crawl_options(
            self.settings, full=full, **{"on_notice": self.say, **self.crawl_options}
        )
        for registration in registrations:
            self.say(f"crawling {registration.name} ({registration.url})")
        try:
            result = run_pipeline(
                store, list(registrations), options, search=search, run=self._run_async
            )
        except asyncio.CancelledError:
            self.say("stopped; the next start resumes each forge at its checkpoint")
            return "cancelled"
        except (CodereuseError, OSError) as error:
            self.say(f"crawl stopped: {error}")
            for registration in registrations:
                self.backoff(registration.name, True, datetime.now(UTC))
            return "failed"
        worst = "succeeded"
        for report in result.reports:
            for finding in report.findings[:5]:
                self.say(f"{report.forge}: {finding.key}: {finding.message}")
            self.say(
                f"{report.forge}: {report.status}: {report.repositories} repositories, "
                f"{report.with_publiccode} with publiccode.yml, records: {report.with_errors} "
                f"with errors, {report.with_warnings} with warnings, {report.requests} requests"
            )
            failed = report.status != "succeeded"
            worst = "failed" if failed else worst
            self.backoff(report.forge, failed, datetime.now(UTC))
        if result.index_error is not None:
            worst = "failed"
            self.say(f"index: not updated: {result.index_error}")
        else:
            indexed = result.indexed
            self.say(f"index: {'rebuilt' if indexed is None else f'{indexed} records updated'}")
        if result.pictures_error is not None:
            self.say(f"pictures: not fetched: {result.pictures_error}")
        elif result.pictures_kept or result.pictures_refused:
            self.say(f"pictures: {result.pictures_kept} kept, {result.pictures_refused} refused")
        return worst

    def _run_async(self, work: Any) -> Any:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self._task = loop.create_task(work)
            return loop.run_until_complete(self._task)
        finally:
            self._task = None
            self._loop = None
            loop.close()

    def cancel(self) -> None:
        """Stop after the current page: cancel the crawl in flight and end the loop."""
        self.stop.set()
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            loop.call_soon_threadsafe(task.cancel)


def run(
    every: str | None = typer.Option(
        None, "--every", help="Recrawl interval, e.g. 30m, 6h, 1d (default: CODEREUSE_EVERY or 6h)."
    ),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="Port to serve on."),
    host: str | None = typer.Option(
        None, "--host", help="Address to serve on (default 127.0.0.1)."
    ),
    crawl: bool = typer.Option(True, "--crawl/--no-crawl", help="Crawl on schedule while serving."),
    workers: int = WORKERS_OPTION,
) -> None:
    """Crawl every registered forge that is due, index, serve, and recrawl on schedule.

    On a fresh machine: ./codereuse.db with the embedded search, and the bundled default
    registry (Open CoDE's GitLab and the German public-sector GitHub organisations).

    With --workers N, N processes answer requests and this one runs the scheduler.

    Example: codereuse run --every 6h --port 8000 --workers 4
    """
    import os

    from cli.serve_command import announce, build_app, forget_kept_answers, serve_http
    from cli.storage import open_store

    try:
        settings = load_settings(
            **{k: v for k, v in {"every": every, "port": port, "host": host}.items() if v}
        )
        interval = timedelta(seconds=interval_seconds(settings.every))
    except (ValueError, CodereuseError) as error:
        ui.echo(f"codereuse: unusable settings: {error}", err=True)
        raise typer.Exit(2) from None
    try:
        with open_store(settings.database_url, create=True) as store:
            added = seed_default_registry(store)
            forget_kept_answers(settings, store)
        app = build_app(settings.database_url)
    except CodereuseError as error:
        ui.echo(f"codereuse: {error}", err=True)
        raise typer.Exit(2) from None
    if added:
        ui.say(
            f"registered the default forges: {', '.join(r.name for r in added)} "
            "(see `codereuse forges list`; edit with `codereuse forges`)"
        )
    scheduler = Scheduler(
        settings=settings, every=interval, environ=dict(os.environ), lower_priority=workers > 1
    )
    worker = threading.Thread(target=scheduler.run_forever, name="codereuse-crawl", daemon=True)
    if crawl:
        worker.start()
    announce(settings, settings.host)
    processes = f", {workers} worker processes" if workers > 1 else ""
    ui.say(
        f"serving on http://{settings.host}:{settings.port}/ (API: /api/v1{processes}); "
        f"recrawling every {settings.every}; Ctrl-C stops"
    )
    try:
        serve_http(app, settings.host, settings.port, workers)
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl-C it handled; stopping is what the user asked for
    finally:
        scheduler.cancel()
        if worker.is_alive():
            worker.join(timeout=30)
        ui.say("stopped")


def register(app: typer.Typer) -> None:
    """Add `run` to the codereuse command."""
    app.command("run")(run)
