"""`codereuse serve`: the JSON API and the web pages over HTTP (uvicorn), on loopback by default.

Wires what `api` may not import itself: the store, the search backend and the crawler's forge
registration check (URL, kind, SSRF refusal) for ``POST /api/v1/forges``.

``--workers N`` runs N worker processes under uvicorn's own supervisor: the parent binds the
socket once and spawns the workers, each builds the app through `worker_app` (settings from the
environment, exactly as the parent read them), and a worker that dies is replaced. Uvicorn's
supervisor rather than gunicorn: it needs no second dependency, takes the app factory as an
import string, and health-checks and restarts workers itself (uvicorn 0.30+). For ``serve``,
the process that checked the settings then becomes a lean supervisor (`cli.supervisor`, by
exec), so it does not keep an app it never uses.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import sys
import time
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from cli import ui
from cli.storage import announce_new
from cli.supervisor import WORKER_APP, WORKER_HEALTHCHECK_SECONDS
from schemas.errors import CodereuseError
from schemas.settings import Settings, load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

WORKER_LOGGING = "_CODEREUSE_WORKER_LOGGING"
"""How the parent's ``--quiet`` and ``--log-format`` reach spawned workers (``json,quiet``)."""
MALLOC_ARENAS = "MALLOC_ARENA_MAX"
"""glibc's limit on malloc arenas, set to `WORKER_ARENAS` for spawned workers unless the
operator set it: by default each of a worker's threads that allocates at once gets an arena of
its own (up to 8 per core), and memory freed in one is not reused by another, so a worker's
resident memory grew with its thread pool (about 70 MB less over two workers under load)."""
WORKER_ARENAS = "2"
WORKER_JOBS = "_CODEREUSE_WORKER_JOBS"
"""Set to ``1`` by `serve --workers N`: each worker runs the crawl-job runner (one at a time
crawls, under the scheduler lease); `run`'s workers leave jobs to `run`'s scheduler."""


def start_job_runner(settings: Settings) -> Any:
    """Start the crawl-job runner of `serve` (`cli.job_runner`) and return it."""
    from cli.job_runner import JobRunner

    runner = JobRunner(settings=settings, environ=dict(os.environ))
    runner.start()
    return runner


def build_app(database_url: str | None = None) -> FastAPI:
    """The app with the real store, search backend and registration check, from the settings."""
    from api.app import create_app
    from crawler.kinds import kind_names
    from crawler.registration import register
    from crawler.webhooks import check_webhook_url
    from indexer.search.factory import create_search_backend
    from indexer.store import create_store

    overrides = {"database_url": database_url} if database_url else {}
    settings = load_settings(**overrides)
    store = create_store(settings.database_url)
    search = create_search_backend(settings, store)
    return create_app(
        settings,
        store=store,
        search=search,
        register_forge=register,
        forge_kinds=kind_names(),
        check_webhook_url=check_webhook_url,
    )


def forget_kept_answers(settings: Settings, store: Any) -> None:
    """Empty the answers the store's servers keep (`api.answers`) before serving: they are
    keyed by change position, which a store restored from a backup or replaced may repeat.
    The exports kept as files beside the store (`api.export_files`) go the same way."""
    from api.answers import shared_answers
    from api.export_files import forget_exports

    forget_exports(store.engine.url)

    answers = shared_answers(store.engine.url, settings.cache_mb * 1024 * 1024)
    if answers is not None:
        answers.clear()
        answers.close()


def check_serving() -> None:
    """Open the store and the search backend as each worker will, resolve the organisations of
    a catalogue stored before they existed (`cli.pipeline.ensure_organisations`), rebuild an
    index that is lost or of an older format (an upgrade), forget the kept answers of an
    earlier server, then close them.

    Raises:
        CodereuseError: the settings do not lead to a usable store or search backend.
    """
    from cli.pipeline import ensure_organisations
    from indexer.search.factory import create_search_backend
    from indexer.store import create_store
    from indexer.sync import ensure_usable, sync_search

    settings = load_settings()
    store = create_store(settings.database_url)
    try:
        started = time.perf_counter()
        resolved = ensure_organisations(store)
        search = create_search_backend(settings, store)
        try:
            if resolved:
                sync_search(search, store)
                ui.say(
                    f"resolved the organisations of {resolved} records stored before "
                    f"organisations existed (re-federated from the stored snapshots in "
                    f"{time.perf_counter() - started:.1f} s)"
                )
            if ensure_usable(search, store):
                ui.say(f"rebuilt the search index from {store.count_records()} stored records")
            forget_kept_answers(settings, store)
        finally:
            close = getattr(search, "close", None)
            if close is not None:
                close()
    finally:
        store.close()


def worker_app() -> FastAPI:
    """The app of one worker process (``uvicorn --factory cli.serve_command:worker_app``)."""
    from cli.logs import configure_logging

    log_format, _, quiet = os.environ.get(WORKER_LOGGING, "text").partition(",")
    configure_logging("json" if log_format == "json" else "text", quiet=bool(quiet))
    ui.QUIET = bool(quiet)
    ui.JSON_LOGS = log_format == "json"
    app = build_app()
    if os.environ.get(WORKER_JOBS) == "1":
        import atexit

        runner = start_job_runner(load_settings())
        atexit.register(runner.cancel)
    return app


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def announce(settings: Settings, host: str) -> None:
    """The lines `serve` and `run` print before listening: exposure and disabled writes."""
    if not _is_loopback(host):
        ui.say(f"listening on {host}: the pages and the API are reachable from the network")
    if settings.admin_token is None:
        ui.say("API writes are disabled (set CODEREUSE_ADMIN_TOKEN to enable them)")


def serve_http(app: Any, host: str, port: int, workers: int) -> None:
    """Serve `app` on host:port until Ctrl-C; with `workers` > 1, in that many processes.

    `app` (built and checked by the caller) serves in this process when `workers` is 1. With
    more, it is only the proof that the settings work: each worker builds its own through
    `worker_app`, and this process supervises them (a crashed worker is replaced).
    """
    import uvicorn

    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning" if ui.QUIET else "info",
        "proxy_headers": False,
        "server_header": False,
        # No line per request: `cli.logs` keeps uvicorn.access quiet, but uvicorn's own logging
        # set-up (single process) turned it back on and wrote one line per request to stderr.
        "access_log": False,
    }
    if workers == 1:
        server = uvicorn.Server(uvicorn.Config(app, **common))
        server.run()
        return
    context = getattr(getattr(app, "state", None), "context", None)
    for part in (getattr(context, "search", None), getattr(context, "store", None)):
        close = getattr(part, "close", None)
        if close is not None:
            close()  # the workers open their own; the parent only supervises
    flags = ("json" if ui.JSON_LOGS else "text") + (",quiet" if ui.QUIET else "")
    os.environ[WORKER_LOGGING] = flags
    os.environ.setdefault(MALLOC_ARENAS, WORKER_ARENAS)
    uvicorn.run(
        WORKER_APP,
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        **common,
    )


WORKERS_OPTION = typer.Option(
    1,
    "--workers",
    min=1,
    max=64,
    help="Worker processes answering requests (they share the store and the search index).",
)


def serve(
    host: str | None = typer.Option(
        None, "--host", help="Address to listen on (default: CODEREUSE_HOST or 127.0.0.1)."
    ),
    port: int | None = typer.Option(
        None, "--port", min=1, max=65535, help="Port (default: CODEREUSE_PORT or 8000)."
    ),
    workers: int = WORKERS_OPTION,
    jobs: bool = typer.Option(
        True,
        "--jobs/--no-jobs",
        help="Run crawl jobs queued over the API (POST /api/v1/forges/NAME/crawl) in this "
        "server; one process per store crawls at a time (the scheduler lease).",
    ),
) -> None:
    """Serve the search pages and the JSON API (/api/v1) until Ctrl-C.

    Writes over the API (forge registration, crawl requests) need CODEREUSE_ADMIN_TOKEN. A crawl
    asked for over the API runs in this server (--no-jobs leaves it to `codereuse run`); only
    the process holding the store's scheduler lease crawls, so a `run` on the same store
    carries the jobs out while it runs. Follow a job at /api/v1/jobs/ID.

    Example: codereuse serve --port 8080 --workers 4
    """
    settings = load_settings()
    chosen_host = host or settings.host
    chosen_port = port or settings.port
    lean = workers > 1 and os.name == "posix"
    try:
        announce_new(settings.database_url)
        check_serving()
        app = None if lean else build_app()
    except CodereuseError as error:
        ui.echo(f"codereuse: {error}", err=True)
        raise typer.Exit(1) from None
    announce(settings, chosen_host)
    processes = f", {workers} worker processes" if workers > 1 else ""
    ui.say(
        f"serving on http://{chosen_host}:{chosen_port}/ (API: /api/v1{processes}, Ctrl-C stops)"
    )
    if jobs:
        os.environ[WORKER_JOBS] = "1"  # spawned workers run the jobs (see WORKER_JOBS)
    if lean:
        _become_supervisor(chosen_host, chosen_port, workers)
    runner = start_job_runner(settings) if jobs and workers == 1 else None
    try:
        # uvicorn re-raises the Ctrl-C it handled; stopping is what the user asked for
        with contextlib.suppress(KeyboardInterrupt):
            serve_http(app, chosen_host, chosen_port, workers)
    finally:
        if runner is not None:
            runner.cancel()


def _become_supervisor(host: str, port: int, workers: int) -> NoReturn:
    """Replace this process with `cli.supervisor` (same pid), the workers' logging passed on."""
    from cli.supervisor import arguments

    os.environ[WORKER_LOGGING] = ("json" if ui.JSON_LOGS else "text") + (
        ",quiet" if ui.QUIET else ""
    )
    os.environ.setdefault(MALLOC_ARENAS, WORKER_ARENAS)
    sys.stdout.flush()
    sys.stderr.flush()
    command = arguments(host, port, workers, "warning" if ui.QUIET else "info")
    os.execv(command[0], command)


def register(app: typer.Typer) -> None:
    """Add `serve` to the codereuse command."""
    app.command("serve")(serve)
