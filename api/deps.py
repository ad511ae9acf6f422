"""FastAPI dependencies as `Annotated` aliases: the app context, store, search, query, admin, language.

Routes declare what they need by type (``store: StoreDep``); everything comes from the app
context `api.app.create_app` builds, so tests hand in their own store and search backend.

The dependencies are ``async def``: they only pick attributes and parse the query, and FastAPI
runs every plain ``def`` dependency in the thread pool, one hand-over to a thread and back per
dependency and request (about a third of a millisecond each under load, six per search).
Work that may read the store (organisation names to ids) goes to the thread pool explicitly.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from api.cache import ChangeCache
from api.export_files import ExportFiles
from api.exports.csv_rows import CsvRows
from api.i18n import choose_language
from api.metrics import Metrics
from api.problems import ApiProblem
from api.query import MAX_FILTER_VALUES, CatalogueQuery, SearchPage
from api.similar import SimilarCache
from indexer.search.protocol import SearchBackend
from indexer.store import Store
from schemas.forge import ForgeRegistration
from schemas.settings import Settings

RegisterForge = Callable[..., ForgeRegistration]
"""Checks and builds a forge registration (URL, kind, SSRF refusal); `cli` wires the crawler's."""
CheckWebhookURL = Callable[..., str]
"""Checks a webhook URL (``(url, *, allow_private) -> url``, SSRF refusal); `cli` wires the crawler's."""


@dataclass
class AppContext:
    """Everything the routes share, built once per app."""

    settings: Settings
    store: Store
    search: SearchBackend
    register_forge: RegisterForge | None
    metrics: Metrics
    templates: Jinja2Templates
    cache: ChangeCache = field(default_factory=ChangeCache)
    similar: SimilarCache = field(default_factory=SimilarCache)
    check_webhook_url: CheckWebhookURL | None = None
    exports: ExportFiles | None = None
    """Exports without words kept as files beside a SQLite store (`api.export_files`)."""
    csv_rows: CsvRows = field(default_factory=CsvRows)
    """CSV rows by stored record JSON (`api.exports.csv_rows`): exports redo changed records."""


async def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]


async def get_store(context: ContextDep) -> Store:
    return context.store


async def get_search(context: ContextDep) -> SearchBackend:
    return context.search


async def get_settings(context: ContextDep) -> Settings:
    return context.settings


async def get_cache(context: ContextDep) -> ChangeCache:
    return context.cache


StoreDep = Annotated[Store, Depends(get_store)]
SearchDep = Annotated[SearchBackend, Depends(get_search)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CacheDep = Annotated[ChangeCache, Depends(get_cache)]


async def catalogue_query(
    query: Annotated[CatalogueQuery, Query()], context: ContextDep
) -> CatalogueQuery:
    """The request's query, its ``organisation`` values as organisation ids (a name, as links
    made before the filter took ids spell it, becomes the ids of that name)."""
    if not query.organisation:
        return query
    return await run_in_threadpool(_organisation_ids, query, context)


def _organisation_ids(query: CatalogueQuery, context: AppContext) -> CatalogueQuery:
    from api.organisations_view import organisation_filter_values, summaries

    entities = [item.entity for item in summaries(context.store, context.cache)]
    values = organisation_filter_values(entities, query.organisation)
    if values == query.organisation:
        return query
    return query.model_copy(update={"organisation": values[:MAX_FILTER_VALUES]})


CatalogueQueryDep = Annotated[CatalogueQuery, Depends(catalogue_query)]
SearchPageDep = Annotated[SearchPage, Query()]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="adminToken",
    description="the admin token the server was started with (CODEREUSE_ADMIN_TOKEN)",
)


async def require_admin(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let the request write only with the configured admin token (compared in constant time).

    No token configured: writes are disabled (403). No bearer token sent: 401. Wrong token: 403.
    """
    configured = settings.admin_token.get_secret_value() if settings.admin_token else ""
    if not configured:
        raise ApiProblem(
            403,
            "writes-disabled",
            "writes over the API are disabled on this server: no admin token is configured; "
            "set CODEREUSE_ADMIN_TOKEN and restart, or use the `codereuse forges` command",
        )
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise ApiProblem(
            401,
            "unauthorized",
            "this request changes the catalogue; send the admin token as 'Authorization: Bearer TOKEN'",
            headers={"WWW-Authenticate": 'Bearer realm="codereuse"'},
        )
    if not hmac.compare_digest(credentials.credentials.encode(), configured.encode()):
        raise ApiProblem(403, "forbidden", "the bearer token is not the admin token")


AdminDep = Annotated[None, Depends(require_admin)]


async def page_language(request: Request, lang: str | None = None) -> str:
    """The page language from ``?lang=`` or ``Accept-Language`` (de or en)."""
    return choose_language(lang, request.headers.get("accept-language"))


PageLanguageDep = Annotated[str, Depends(page_language)]
FindingLanguage = Annotated[
    Literal["de", "en"], Query(description="language of the findings' and errors' text")
]
"""``?lang=`` of an API answer that words findings (English when not given)."""


@dataclass(frozen=True)
class FeedRequest:
    """What every Atom feed route works with: the request (its base URL and query), the
    store, the kept answers and the page language (``?lang=`` or Accept-Language)."""

    request: Request
    store: Store
    cache: ChangeCache
    language: str


def feed_request(
    request: Request, store: StoreDep, cache: CacheDep, language: PageLanguageDep
) -> FeedRequest:
    return FeedRequest(request, store, cache, language)


FeedRequestDep = Annotated[FeedRequest, Depends(feed_request)]
