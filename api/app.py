"""The FastAPI app factory: JSON API under ``/api/v1``, pages for people, feeds, operations.

``create_app`` builds everything from its arguments (no import-time globals), so tests run the
app in-process on a temporary SQLite store, and ``codereuse serve`` wires the real pieces,
including the forge registration check from the crawler (``api`` may not import ``crawler``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib.metadata import version
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from api.answers import shared_answers
from api.cache import ChangeCache, Refresh
from api.deps import AppContext, CheckWebhookURL, RegisterForge
from api.export_files import export_files
from api.i18n import choose_language
from api.kept_responses import KeptResponses, StoreChanges, kept_response_files
from api.memory import heap_trimmer
from api.metrics import Metrics
from api.middleware import ETagMiddleware, LimitsMiddleware, MetricsMiddleware
from api.pages import STATIC_DIR, error_page, make_templates
from api.problems import EXCEPTION_HANDLERS, Problem
from api.routers import (
    api_docs,
    event_feeds,
    exports,
    feeds,
    forges,
    health,
    jobs,
    maturity,
    organisations,
    pages,
    pictures,
    publisher,
    reuse,
    software,
    stats,
    stats_page,
    status,
    webhooks,
)
from indexer.search.factory import create_search_backend
from indexer.search.protocol import SearchBackend
from indexer.store import Store, create_store
from indexer.sync import IndexFollower, index_follower
from schemas.errors import CodereuseError
from schemas.settings import Settings, load_settings

logger = logging.getLogger(__name__)
THREADS = 8
"""Threads per process running routes and export chunks (anyio's default is 40). The work is
CPU-bound under the GIL, so more threads only contend for it, and each one grows the process's
memory (a malloc arena, SQLite caches); more throughput comes from `serve --workers`."""
EXPORT_BUDGET = 4
"""Exports without words are kept in files beside a SQLite store (`api.export_files`) within this
many times ``CODEREUSE_CACHE_MB``: the whole catalogue in four formats and the slices of the
popular filter values, without crowding out the answers kept within the setting itself."""
Handler = Callable[[Request, Exception], Awaitable[JSONResponse]]
API_DESCRIPTION = """\
Search, read and export the codereuse catalogue of reusable public-sector software.

Errors are problem details (RFC 9457, `application/problem+json`). GET answers carry an ETag;
send it back as `If-None-Match` to get `304 Not Modified`. Writes need the admin bearer token.
"""


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/feeds/", "/static/")) or path in {
        "/healthz",
        "/readyz",
        "/metrics",
    }:
        return False
    return "text/html" in request.headers.get("accept", "")


def _html_aware(handler: Handler) -> Callable[[Request, Exception], Awaitable[Response]]:
    """Render a problem as an HTML page for browsers on page URLs, as problem+json otherwise."""

    async def handle(request: Request, error: Exception) -> Response:
        response = await handler(request, error)
        if not _wants_html(request):
            return response
        problem = Problem.model_validate_json(bytes(response.body))
        context: AppContext = request.app.state.context
        language = choose_language(
            request.query_params.get("lang"), request.headers.get("accept-language")
        )
        return error_page(context.templates, request, language, problem.status, problem.detail)

    return handle


def _warm_up(
    search: SearchBackend, follower: IndexFollower | None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that loads the search index once at start-up, so no visitor waits for it,
    and sizes the thread pool that runs the routes (`THREADS`).

    With a `follower` (an index file of its own beside the store), the index is first brought
    up to date with the store's change feed, then followed until shutdown.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        trimmer = heap_trimmer()
        try:
            if follower is not None:
                await run_in_threadpool(follower.catch_up)
            await run_in_threadpool(search.search, "", per_page=1)
        # /readyz reports it; serving pages still makes sense
        except (CodereuseError, sqlite3.Error, SQLAlchemyError) as error:
            logger.warning("search index not usable at start-up: %s", error)
        if follower is not None:
            follower.start()
        if trimmer is not None:
            trimmer.start()
        try:
            yield
        finally:
            if trimmer is not None:
                trimmer.stop()
            if follower is not None:
                follower.stop()

    return lifespan


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    search: SearchBackend | None = None,
    register_forge: RegisterForge | None = None,
    forge_kinds: Sequence[str] = (),
    check_webhook_url: CheckWebhookURL | None = None,
) -> FastAPI:
    """Build the app. Missing parts come from `settings` (default: `load_settings()`).

    `register_forge` checks a new registration (URL, kind, SSRF refusal); without it, forge
    writes over the API answer 503 and point at the CLI. `forge_kinds` (the names registered in
    `crawler.kinds`, handed in by the CLI since ``api`` may not import ``crawler``) become the
    enum of a new forge's ``kind`` in the OpenAPI document. `check_webhook_url` checks a
    webhook's URL the same way; without it, ``POST /api/v1/webhooks`` answers 503.
    """
    settings = settings or load_settings()
    if store is None:
        store = create_store(settings.database_url)
    if search is None:
        search = create_search_backend(settings, store)
    metrics = Metrics()
    app = FastAPI(
        title="codereuse",
        version=version("codereuse"),
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_warm_up(search, index_follower(settings, store, search)),
        exception_handlers={
            kind: _html_aware(handler)  # type: ignore[misc]
            for kind, handler in EXCEPTION_HANDLERS.items()
        },
    )
    app.state.context = AppContext(
        settings=settings,
        store=store,
        search=search,
        register_forge=register_forge,
        metrics=metrics,
        templates=make_templates(),
        cache=ChangeCache(
            settings.cache_mb * 1024 * 1024,
            shared_answers(store.engine.url, settings.cache_mb * 1024 * 1024),
            refresh=Refresh(settings.refresh_interval, settings.export_refresh_interval),
        ),
        check_webhook_url=check_webhook_url,
        exports=export_files(
            store.engine.url,
            EXPORT_BUDGET * settings.cache_mb * 1024 * 1024,
            settings.export_refresh_interval,
        ),
    )
    for module in (
        event_feeds,
        reuse,
        maturity,
        software,
        forges,
        jobs,
        status,
        exports,
        stats,
        feeds,
        health,
        pages,
        api_docs,
        webhooks,
    ):
        app.include_router(module.router)
    app.include_router(stats_page.router)
    app.include_router(pictures.router)
    app.include_router(stats_page.api_router)
    app.include_router(organisations.api_router)
    app.include_router(publisher.api_router)
    app.include_router(publisher.router)
    app.include_router(organisations.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(api_docs.ASSETS_PATH, api_docs.swagger_assets(), name="api-docs-assets")
    watched = kept_response_files(store, search) if settings.cache_mb > 0 else None
    if watched is not None:
        app.add_middleware(
            KeptResponses, changes=StoreChanges(watched), cache=app.state.context.cache
        )
    app.add_middleware(ETagMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Location"],
        )
    app.add_middleware(LimitsMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    if forge_kinds:
        _document_forge_kinds(app, list(forge_kinds))
    return app


def _document_forge_kinds(app: FastAPI, kinds: list[str]) -> None:
    """Give ``ForgeCreate.kind`` the registered kinds as its enum in the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        properties = document["components"]["schemas"]["ForgeCreate"]["properties"]
        properties["kind"]["enum"] = kinds
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def app_factory() -> FastAPI:
    """Entry for ``uvicorn --factory api.app:app_factory`` (settings from the environment)."""
    return create_app()


__all__ = ["app_factory", "create_app"]
