"""`codereuse crawl [NAME...] [--full]`: crawl registered forges into the store.

A thin shell over the one crawl pipeline (`cli.pipeline.run_pipeline`: crawl → federate what
changed → sync the index).
Progress and rate-limit countdowns go to stderr; the one-line summary per forge to stdout.
"""

from __future__ import annotations

import time
from typing import Any

import typer

from cli import ui
from schemas.errors import CodereuseError, StoreError
from schemas.forge import ForgeRegistration
from schemas.settings import Settings, load_settings


def _fail(message: str, code: int) -> typer.Exit:
    return ui.fail(message, code)


def crawl(
    names: list[str] = typer.Argument(
        None, metavar="NAME", help="Registered forges to crawl (default: all of them)."
    ),
    full: bool = typer.Option(
        False,
        "--full",
        help="Full reconciliation: list everything, find deletions and renames "
        "(otherwise only every 7th run is full).",
    ),
    rest: bool = typer.Option(
        False, "--rest", help="Use the REST APIs only (slow: one request per repository and file)."
    ),
    concurrency: int = typer.Option(
        4, "--concurrency", min=1, max=32, help="Requests in flight per forge and token."
    ),
    federate: bool = typer.Option(
        True, "--federate/--no-federate", help="Settle mirrors, variants and forks afterwards."
    ),
    index: bool = typer.Option(
        True, "--index/--no-index", help="Bring the search index up to date afterwards."
    ),
) -> None:
    """Crawl registered forges; the first run is full, later runs only fetch what changed.

    Example: codereuse crawl opencode --full
    """
    from cli.pipeline import crawl_options, lower_crawl_priority, run_pipeline
    from cli.storage import CRAWL_HINT, open_store  # loads SQLAlchemy only when needed
    from crawler.base import summarise
    from crawler.kinds import kind_names

    settings = load_settings()
    lower_crawl_priority(settings)  # this process only crawls: requests go first
    try:
        store = open_store(settings.database_url, hint=CRAWL_HINT)
    except CodereuseError as error:
        raise _fail(str(error), 2) from error
    with store:
        registrations: list[ForgeRegistration] = []
        for name in names or []:
            registration = store.get_forge(name)
            if registration is None:
                known = ", ".join(f.name for f in store.list_forges()) or "none yet"
                raise _fail(
                    f"no forge named {name!r} (registered: {known}); see `codereuse forges list`", 2
                )
            registrations.append(registration)
        if not names:
            registrations = store.list_forges()
        if not registrations:
            raise _fail(
                "no forges registered; add one with "
                f"`codereuse forges add URL --kind {'|'.join(kind_names())}`",
                2,
            )
        last_shown: dict[str, float] = {}

        def on_wait(host: str, seconds_left: float, reason: str) -> None:
            # One line per countdown step (10 s) at most: the wait is visible, not noisy.
            if time.monotonic() - last_shown.get(host, 0.0) >= 1.0 or seconds_left < 1:
                last_shown[host] = time.monotonic()
                ui.say(f"{host}: {reason}: waiting {seconds_left:.0f} s for the reset")

        with ui.progress() as bar:
            tasks = {
                r.name: bar.add_task(r.name, total=None, status="starting") for r in registrations
            }

            def on_page(forge: str, scope: str, repositories: int) -> None:
                bar.update(
                    tasks[forge], completed=repositories, status=f"{scope}: {repositories} repos"
                )

            options = crawl_options(
                settings,
                full=full,
                prefer_rest=rest,
                concurrency=concurrency,
                on_wait=on_wait,
                on_page=on_page,
                on_notice=ui.say,
            )
            search, search_error = _open_search(settings, store) if index else (None, None)
            try:
                result = run_pipeline(
                    store, registrations, options, search=search, federate=federate
                )
            except StoreError as error:  # the store failed (a full disk): saved pages stay
                raise _fail(str(error), 1) from error
            except CodereuseError as error:
                raise _fail(str(error), 2) from error
            finally:
                close = getattr(search, "close", None)
                if close is not None:
                    close()
        for report in result.reports:
            for finding in report.findings:
                ui.say(f"{report.forge}: {finding.key}: {finding.message}")
        if result.organisations_resolved:
            ui.say(
                f"resolved the organisations of {result.organisations_resolved} records stored "
                "before organisations existed (re-federated from the stored snapshots)"
            )
        if result.federated or result.removed:
            scope = "all forges" if result.full_federation else "what changed"
            ui.say(f"federated {result.federated} records ({scope}), {result.removed} removed")
        problem = search_error or result.index_error
        if index and problem is None:
            indexed = result.indexed
            ui.say("index rebuilt" if indexed is None else f"index: {indexed} records updated")
        if result.pictures_kept or result.pictures_refused or result.pictures_error:
            ui.say(
                f"pictures: not fetched: {result.pictures_error}"
                if result.pictures_error
                else f"pictures: {result.pictures_kept} kept, {result.pictures_refused} refused"
            )
        for issues in result.issues:
            if issues.problem:
                ui.say(f"{issues.forge}: issues not written: {issues.problem}")
            for done in issues.results:
                ui.say(f"{issues.forge}: issue {done.action} {done.repository_url}: {done.detail}")
        if result.notify_error:
            ui.say(f"notifications: stopped: {result.notify_error}")
        for sent in result.webhooks:
            failed = f", {sent.failed} failed (see its delivery log)" if sent.failed else ""
            ui.say(f"webhook {sent.webhook_id}: {sent.events} events sent{failed}")
        ui.echo(summarise(result.reports))
        if problem is not None:
            raise _fail(
                f"crawl saved, but the index was not updated: {problem}; run `codereuse index`", 1
            )
        if any(report.status != "succeeded" for report in result.reports):
            raise typer.Exit(1)


def _open_search(settings: Settings, store: Any) -> tuple[Any, str | None]:
    """The configured search backend, or why it cannot be opened (the crawl goes on)."""
    from indexer.search.factory import create_search_backend

    try:
        return create_search_backend(settings, store), None
    except CodereuseError as error:
        return None, str(error)


def register(app: typer.Typer) -> None:
    """Add `crawl` to the root command."""
    app.command("crawl")(crawl)
