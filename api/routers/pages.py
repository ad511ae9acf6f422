"""Pages for people: search, one software, forges with the "is my repository listed?" check.

Server-rendered, no JavaScript needed: every state (words, filters, sort, page, language) lives
in the URL, so a search can be shared as a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import search_view as view
from api.cache import cache_header, cached_search, change_position
from api.catalogue import (
    record_or_move,
    record_path,
    record_times,
    related_records,
    run_search,
)
from api.deps import AppContext, CatalogueQueryDep, ContextDep, PageLanguageDep, SearchPageDep
from api.draft_view import draft_view
from api.forge_view import forge_out
from api.i18n import translate
from api.maturity_view import maturity_badge, maturity_response
from api.organisations_view import organisation_labels
from api.pages import error_page, page_headers, page_url, render, safe_href
from api.query import CatalogueQuery, SearchPage
from api.reuse_view import reuse_of
from api.routers.event_feeds import feed_link
from api.software_view import (
    choose_description,
    paragraphs,
    pictures,
    record_labels,
    similar_software,
)
from api.status_check import recrawl_interval, repository_status
from indexer.search.protocol import SORT_KEYS
from schemas.errors import InvalidQueryError

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    context: ContextDep,
    query: CatalogueQueryDep,
    page: SearchPageDep,
    language: PageLanguageDep,
) -> Response:
    """The search page: results first, filters behind a disclosure, chips, sort, pages, CSV.

    Kept per search index version like the search API's answers (`api.cache.cached_search`),
    by the page's exact query string (its links keep the parameters' order) and language.
    """
    page = page.model_copy(update={"facets": list(view.PAGE_FACETS)})

    def answer() -> bytes:
        # Only on a miss, as in the search API (`api.routers.software.search_software`).
        organisations = organisation_labels(context.store, context.cache, language)
        return bytes(_search_page(request, context, query, page, language, organisations).body)

    key = ("search page", request.url.query, language)
    try:
        body, hit = cached_search(context.cache, context.search, key, answer)
    except InvalidQueryError as error:
        return error_page(context.templates, request, language, 400, str(error))
    return HTMLResponse(body, headers={**page_headers(language), **cache_header(hit)})


def _search_page(
    request: Request,
    context: AppContext,
    query: CatalogueQuery,
    page: SearchPage,
    language: str,
    organisations: Mapping[str, str],
) -> Response:
    result = run_search(context.search, query, page, language)
    chips = view.chips(query, page, language, organisations)
    return render(
        context.templates,
        request,
        "search.html",
        language,
        {
            "nav": "search",
            "query": query,
            "page": page,
            "total": result.total,
            "results_label": translate(
                language,
                "search.results_one" if result.total == 1 else "search.results",
                total=result.total,
            ),
            "hits": view.hits(result, language, view.back_state(query, page)),
            "facets": view.facets(result, query, language, organisations),
            "chips": chips,
            "clear_href": page_url(
                "/", [("q", query.q), ("lang", language)] if query.q else [("lang", language)]
            ),
            "hidden_filters": view.hidden_filters(query),
            "sort_keys": SORT_KEYS,
            "pagination": view.pagination(query, page, result.listed, language),
            "partial_label": translate(
                language, "search.partial_matches", count=result.partial_total
            ),
            "also_searched": ", ".join(result.also_searched),
            "did_you_mean": _did_you_mean(result.did_you_mean, query, language),
            "csv_href": page_url("/api/v1/export", [("format", "csv"), *query.params()]),
            "change_feeds": [_search_feed(query, language)],
            "advice": view.advice(query, language) if not result.total else [],
            "scripts": ["/static/filters.js"],
        },
    )


def _search_feed(query: CatalogueQuery, language: str) -> dict[str, str]:
    """The head link and footer link to the change feed of this search (`api.routers.event_feeds`)."""
    title = (
        translate(language, "feeds.search_title", q=query.q)
        if query.q
        else translate(language, "feeds.changes_title")
    )
    return {"title": title, "href": feed_link("/", query)}


def _did_you_mean(
    suggestion: str | None, query: CatalogueQuery, language: str
) -> dict[str, str] | None:
    """The link to the suggested query (same filters), or None without a suggestion."""
    if not suggestion:
        return None
    pairs = [("q", suggestion), *((k, v) for k, v in query.params() if k != "q")]
    return {"query": suggestion, "href": page_url("/", [*pairs, ("lang", language)])}


@router.get("/software/{record_id:path}", response_class=HTMLResponse)
def software_page(
    request: Request,
    context: ContextDep,
    record_id: str,
    language: PageLanguageDep,
    back: Annotated[str | None, Query(max_length=2000)] = None,
) -> HTMLResponse:
    """One software: descriptions in the page language (with fallback), facts, relations, findings."""
    record, current = record_or_move(context.store, record_id)
    keep = [("back", back)] if back else []
    if current is not None:
        return RedirectResponse(  # type: ignore[return-value]
            page_url(f"/software/{record_path(current)}", [("lang", language), *keep]),
            status_code=301,
        )
    if record is None:
        detail = f"{record_id}: no such software in the catalogue"
        return error_page(context.templates, request, language, 404, detail)
    choice = choose_description(record, language)
    path = record_path(record.id)
    related = [
        {**item.model_dump(), "path": record_path(item.id), "href": safe_href(item.url)}
        for item in related_records(context.store, record)
    ]
    times = record_times(context.store, record.id)
    index = context.similar.get(change_position(context.store), context.store.iter_documents)
    return render(
        context.templates,
        request,
        "software.html",
        language,
        {
            "nav": "search",
            "record": record,
            "description": choice.description,
            "description_lang": choice.lang,
            "fallback_note": choice.note,
            "long_paragraphs": paragraphs(choice.description.long if choice.description else None),
            "labels": record_labels(record, language),
            "licence": record.licence.expression if record.licence else record.repository.licence,
            "related": related,
            "repository_href": safe_href(record.repository.url) or safe_href(record.url),
            "landing_href": safe_href(record.landing_url),
            "first_seen": times.first_seen,
            "publiccode_href": f"/api/v1/software/{path}/publiccode.yml",
            "normalised_href": f"/api/v1/software/{path}/publiccode",
            "json_href": f"/api/v1/software/{path}",
            "draft": draft_view(
                record,
                context.store.get_publiccode(record.id)
                if record.declared and record.findings
                else None,
            ),
            "draft_href": f"/api/v1/software/{path}/publiccode.yml?draft=1",
            "back_href": view.back_href(back, language),
            "similar": similar_software(index, record.id, language),
            "pictures": pictures(record, choice.description, context.store, language),
            "reuse": reuse_of(context.store, record),
            "safe": safe_href,
            "sbom_href": f"/api/v1/software/{path}/sbom",
            "reuse_href": f"/api/v1/software/{path}/reuse",
            "maturity": maturity_response(record, context.store.maturity_history(record.id)),
            "maturity_badge": maturity_badge(record, language, str(request.base_url)),
        },
    )


def _scope(language: str, forge: Any) -> str:
    registration = forge.registration
    parts = []
    for key, items in (
        ("forges.scope_groups", registration.groups),
        ("forges.scope_orgs", registration.orgs),
        ("forges.scope_repos", registration.repos),
    ):
        if items:
            shown = ", ".join(items[:5]) + (" …" if len(items) > 5 else "")
            parts.append(translate(language, key, items=shown))
    return "; ".join(parts) or translate(language, "forges.scope_whole")


@router.get("/forges", response_class=HTMLResponse)
def forges_page(
    request: Request,
    context: ContextDep,
    language: PageLanguageDep,
    url: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    """Registered forges with their crawl status, and the repository status check."""
    forges = []
    for registration in context.store.list_forges():
        forge = forge_out(context.store, registration, language=language)
        forges.append(
            {
                **forge.model_dump(),
                "registration": registration,
                "last_crawl": forge.last_crawl,
                "scope": _scope(language, forge),
            }
        )
    feeds = [
        {
            "title": translate(language, "feeds.forge_title", name=forge["registration"].name),
            "href": f"/forges/{forge['registration'].name}/feed",
        }
        for forge in forges
    ]
    every = recrawl_interval(context.settings)
    status = repository_status(context.store, url, language, every=every) if url else None
    return render(
        context.templates,
        request,
        "forges.html",
        language,
        {
            "nav": "forges",
            "forges": forges,
            "status": status,
            "status_url": url,
            "status_record_path": record_path(status.record.id) if status and status.record else "",
            "change_feeds": feeds,
        },
    )
