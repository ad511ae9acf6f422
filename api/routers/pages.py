"""Pages for people: search, one software, forges with the "is my repository listed?" check.

Server-rendered, no JavaScript needed: every state (words, filters, sort, page, language) lives
in the URL, so a search can be shared as a link.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.catalogue import (
    moved_to,
    page_count,
    record_path,
    record_times,
    related_records,
    run_search,
)
from api.deps import CatalogueQueryDep, ContextDep, PageLanguageDep, SearchPageDep
from api.forge_view import forge_out
from api.i18n import translate
from api.pages import page_url, render, safe_highlight, safe_href
from api.query import DEFAULT_FACETS, CatalogueQuery, SearchPage
from api.status_check import repository_status
from indexer.search.protocol import MAX_PAGE_DEPTH, SORT_KEYS, SearchResult
from schemas.errors import InvalidQueryError
from schemas.record import Description, Record

router = APIRouter(include_in_schema=False)
PAGE_FACETS: tuple[str, ...] = (*DEFAULT_FACETS, "declared")
FACET_OPTIONS = 12
TRANSLATED_VALUES = {
    "declared": {"true", "false"},
    "archived": {"true", "false"},
    "development_status": {"concept", "development", "beta", "stable", "obsolete"},
}


def _value_label(language: str, name: str, value: str) -> str:
    """A facet value as people read it: translated for fixed vocabularies, else as stored."""
    if value in TRANSLATED_VALUES.get(name, ()):
        return translate(language, f"value.{name}.{value}")
    return value


def _facets(result: SearchResult, query: CatalogueQuery, language: str) -> list[dict[str, Any]]:
    selected = {name: set(values) for name, values in _selected(query).items()}
    facets = []
    for name in PAGE_FACETS:
        counts = dict(result.facets.get(name, {}))
        chosen = selected.get(name, set())
        shown = list(counts.items())[:FACET_OPTIONS]
        shown += [
            (value, counts.get(value, 0)) for value in sorted(chosen) if value not in dict(shown)
        ]
        if not shown:
            continue
        facets.append(
            {
                "name": name,
                "options": [
                    {
                        "value": value,
                        "label": _value_label(language, name, value),
                        "count": count,
                        "checked": value in chosen,
                    }
                    for value, count in shown
                ],
            }
        )
    return facets


def _selected(query: CatalogueQuery) -> dict[str, list[str]]:
    selected: dict[str, list[str]] = {}
    for name, value in query.params():
        if name != "q":
            selected.setdefault(name, []).append(value)
    return selected


def _state(query: CatalogueQuery, page: SearchPage, language: str) -> list[tuple[str, str]]:
    pairs = query.params()
    if page.sort != "relevance":
        pairs.append(("sort", page.sort))
    pairs.append(("lang", language))
    return pairs


def _chips(query: CatalogueQuery, page: SearchPage, language: str) -> list[dict[str, str]]:
    state = _state(query, page, language)
    chips = []
    for pair in state:
        name, value = pair
        if name in {"q", "sort", "lang"}:
            continue
        remaining = list(state)
        remaining.remove(pair)
        chips.append(
            {
                "label": f"{translate(language, 'facet.' + name)}: {_value_label(language, name, value)}",
                "href": page_url("/", remaining),
            }
        )
    return chips


def _pagination(
    query: CatalogueQuery, page: SearchPage, total: int, language: str
) -> list[dict[str, Any]]:
    last = min(page_count(total, page.per_page), MAX_PAGE_DEPTH // page.per_page)
    if last <= 1:
        return []
    state = _state(query, page, language)
    per_page = [("per_page", str(page.per_page))] if page.per_page != 20 else []

    def href(number: int) -> str:
        return page_url("/", [*state, *per_page, ("page", str(number))])

    items: list[dict[str, Any]] = []
    if page.page > 1:
        items.append(
            {
                "label": translate(language, "pagination.previous"),
                "href": href(page.page - 1),
                "rel": "prev",
            }
        )
    numbers = sorted({1, last, *range(max(1, page.page - 2), min(last, page.page + 2) + 1)})
    previous = 0
    for number in numbers:
        if number - previous > 1:
            items.append({"label": "…", "href": None})
        items.append({"label": str(number), "href": href(number), "current": number == page.page})
        previous = number
    if page.page < last:
        items.append(
            {
                "label": translate(language, "pagination.next"),
                "href": href(page.page + 1),
                "rel": "next",
            }
        )
    return items


def _hidden_filters(query: CatalogueQuery) -> list[tuple[str, str]]:
    return [
        (name, value) for name, value in query.params() if name != "q" and name not in PAGE_FACETS
    ]


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    context: ContextDep,
    query: CatalogueQueryDep,
    page: SearchPageDep,
    language: PageLanguageDep,
) -> HTMLResponse:
    """The search page: query box, facets, chips, sort, result cards, pages, CSV link."""
    page = page.model_copy(update={"facets": list(PAGE_FACETS)})
    try:
        result = run_search(context.search, query, page, language)
    except InvalidQueryError as error:
        return render(
            context.templates,
            request,
            "error.html",
            language,
            {"status_code": 400, "title": "Bad Request", "detail": str(error), "nav": "search"},
            status_code=400,
        )
    hits = [
        {
            "name": safe_highlight(hit.highlights.get("name"), hit.name),
            "summary": safe_highlight(
                hit.highlights.get("short_description"), hit.short_description
            ),
            "href": page_url(f"/software/{record_path(hit.id)}", [("lang", language)]),
            "declared": hit.declared,
            "valid": hit.valid,
            "licence": hit.licence,
            "organisation": hit.organisation,
            "last_activity": hit.last_activity,
            "forge": hit.forge,
            "partial": hit.partial,
            # The first partial match opens the "partial matches (M)" section of the list.
            "first_partial": hit.partial and (index == 0 or not result.hits[index - 1].partial),
        }
        for index, hit in enumerate(result.hits)
    ]
    export_pairs = [("format", "csv"), *query.params()]
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
            "hits": hits,
            "facets": _facets(result, query, language),
            "chips": _chips(query, page, language),
            "clear_href": page_url(
                "/", [("q", query.q), ("lang", language)] if query.q else [("lang", language)]
            ),
            "hidden_filters": _hidden_filters(query),
            "sort_keys": SORT_KEYS,
            "pagination": _pagination(query, page, result.listed, language),
            "partial_label": translate(
                language, "search.partial_matches", count=result.partial_total
            ),
            "also_searched": ", ".join(result.also_searched),
            "did_you_mean": _did_you_mean(result.did_you_mean, query, language),
            "csv_href": page_url("/api/v1/export", export_pairs),
        },
    )


def _did_you_mean(
    suggestion: str | None, query: CatalogueQuery, language: str
) -> dict[str, str] | None:
    """The link to the suggested query (same filters), or None without a suggestion."""
    if not suggestion:
        return None
    pairs = [("q", suggestion), *((k, v) for k, v in query.params() if k != "q")]
    return {"query": suggestion, "href": page_url("/", [*pairs, ("lang", language)])}


def _description(record: Record, language: str) -> tuple[str | None, Description | None]:
    for wanted in (language, "en", "de"):
        for tag, text in record.descriptions.items():
            if tag.lower().split("-")[0] == wanted:
                return tag, text
    for tag, text in record.descriptions.items():
        return tag, text
    return None, None


_MARKDOWN_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:[^()\s]|\([^()\s]*\)){1,2000}\)")


def _paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a Markdown long description as plain text (links reduced to their text)."""
    if not text:
        return []
    plain = _MARKDOWN_LINK.sub(r"\1", text.replace("\r\n", "\n"))
    return [part.strip() for part in plain.split("\n\n") if part.strip()]


@router.get("/software/{record_id:path}", response_class=HTMLResponse)
def software_page(
    request: Request, context: ContextDep, record_id: str, language: PageLanguageDep
) -> HTMLResponse:
    """One software: descriptions in the page language (with fallback), facts, relations, findings."""
    current = moved_to(context.store, record_id)
    if current is not None:
        return RedirectResponse(  # type: ignore[return-value]
            page_url(f"/software/{record_path(current)}", [("lang", language)]), status_code=301
        )
    record: Record | None = context.store.get_record(record_id.lower())
    if record is None:
        return render(
            context.templates,
            request,
            "error.html",
            language,
            {
                "status_code": 404,
                "title": "Not Found",
                "detail": f"{record_id}: no such software in the catalogue",
                "nav": "search",
            },
            status_code=404,
        )
    tag, description = _description(record, language)
    path = record_path(record.id)
    related = [
        {**item.model_dump(), "path": record_path(item.id), "href": safe_href(item.url)}
        for item in related_records(context.store, record)
    ]
    times = record_times(context.store, record.id)
    return render(
        context.templates,
        request,
        "software.html",
        language,
        {
            "nav": "search",
            "record": record,
            "description": description,
            "description_lang": tag.split("-")[0].lower() if tag else None,
            "long_paragraphs": _paragraphs(description.long if description else None),
            "licence": record.licence.expression if record.licence else record.repository.licence,
            "logo": safe_href(record.logo)
            if record.logo and record.logo.startswith("https://")
            else None,
            "related": related,
            "repository_href": safe_href(record.repository.url) or safe_href(record.url),
            "landing_href": safe_href(record.landing_url),
            "first_seen": times.first_seen,
            "publiccode_href": f"/api/v1/software/{path}/publiccode.yml",
            "normalised_href": f"/api/v1/software/{path}/publiccode",
            "json_href": f"/api/v1/software/{path}",
            "back_href": page_url("/", [("lang", language)]),
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
        forge = forge_out(context.store, registration)
        forges.append(
            {
                **forge.model_dump(),
                "registration": registration,
                "last_crawl": forge.last_crawl,
                "scope": _scope(language, forge),
            }
        )
    status = repository_status(context.store, url, language) if url else None
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
        },
    )
