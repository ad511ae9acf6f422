"""Organisations: ``/api/v1/organisations`` (list, one) and the pages ``/organisations``.

The list searches names, accounts and identifiers and counts country, kind and forge; one
organisation shows its profile (each field with its source), identifiers, accounts, what its
software uses, its activity over time (an SVG chart by `api.charts`) and its software through
the catalogue search, with the usual filters (``organisation`` is the organisation's id: two
organisations of one name stay apart).
Persons (user namespaces) are not organisations: they are neither listed nor shown.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api import organisations_view as view
from api.catalogue import page_count, run_search, search_response
from api.charts import CHART_POLICY, bar_chart
from api.deps import (
    CacheDep,
    CatalogueQueryDep,
    ContextDep,
    PageLanguageDep,
    SearchDep,
    SearchPageDep,
    StoreDep,
)
from api.i18n import translate, vocabulary_label
from api.models import FacetValue
from api.organisation_models import (
    OrganisationDetail,
    OrganisationOut,
    OrganisationsResponse,
    YearCount,
)
from api.organisation_reuse import organisation_reuse
from api.pages import error_page, page_url, render, safe_href
from api.problems import ApiProblem, problem_responses
from api.publisher_view import organisation_errors
from api.query import CatalogueQuery, SearchPage, query_string
from api.routers.event_feeds import organisation_feed
from indexer.search.protocol import SearchResult
from indexer.store import Store
from schemas.copying import from_attributes
from schemas.organisation import OrganisationEntity

api_router = APIRouter(prefix="/api/v1/organisations", tags=["organisations"])
router = APIRouter(include_in_schema=False)

OrganisationId = Annotated[
    str,
    Path(
        min_length=3,
        max_length=255,
        pattern=r"^[a-z_]+:[A-Za-z0-9._~:-]+$",
        description="organisation id, e.g. tooi:gm0363 or account:github.com:amsterdam",
        examples=["tooi:gm0363"],
    ),
]
Words = Annotated[str, Query(max_length=200, description="words in names, accounts, ids")]
Values = Annotated[list[str], Query(max_length=20)]
PER_PAGE = 50
SOFTWARE_FACETS = ["licence", "category", "language", "forge"]


def _out(item: view.OrganisationSummary) -> OrganisationOut:
    entity = item.entity
    return from_attributes(
        OrganisationOut,
        entity,
        forges=list(item.forges),
        **{name: getattr(item, name) for name in ("software", "declared", "valid")},
        links={
            "self": f"/api/v1/organisations/{entity.id}",
            "page": f"/organisations/{entity.id}",
        },
    )


def _selection(
    store: Store, cache: Any, q: str, country: list[str], kind: list[str], forge: list[str]
) -> view.Selection:
    filters = {"country": country, "kind": kind, "forge": forge}
    return view.select(view.summaries(store, cache), q.strip(), filters)


@api_router.get(
    "",
    response_model=OrganisationsResponse,
    summary="Search the organisations",
    responses=problem_responses(422),
)
def list_organisations(
    store: StoreDep,
    cache: CacheDep,
    q: Words = "",
    country: Values = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    kind: Values = [],  # noqa: B006
    forge: Values = [],  # noqa: B006
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = PER_PAGE,
) -> OrganisationsResponse:
    """Organisations publishing software in the catalogue (persons are not listed), most
    software first; words match names, accounts and registry identifiers; facets count
    country (ISO 3166), kind and forge, each under the other filters."""
    selection = _selection(store, cache, q, country, kind, forge)
    start = (page - 1) * per_page
    items = selection.items[start : start + per_page]
    pairs = [("q", q)] if q else []
    pairs += [
        (n, v)
        for n, values in (("country", country), ("kind", kind), ("forge", forge))
        for v in values
    ]

    def link(number: int) -> str:
        query = query_string([*pairs, ("page", str(number)), ("per_page", str(per_page))])
        return f"/api/v1/organisations?{query}"

    pages = page_count(len(selection.items), per_page)
    links = {"self": link(page)}
    if page < pages:
        links["next"] = link(page + 1)
    if page > 1:
        links["prev"] = link(page - 1)
    return OrganisationsResponse(
        query=q,
        total=len(selection.items),
        page=page,
        per_page=per_page,
        pages=pages,
        items=[_out(item) for item in items],
        facets={
            name: [FacetValue(value=value, count=count) for value, count in counts.items()]
            for name, counts in selection.facets.items()
        },
        links=links,
    )


def _organisation(
    store: Store, cache: Any, organisation_id: str
) -> view.OrganisationSummary | None:
    return next(
        (item for item in view.summaries(store, cache) if item.entity.id == organisation_id), None
    )


def _software(
    search: Any, entity: OrganisationEntity, query: CatalogueQuery, page: SearchPage, locale: str
) -> SearchResult:
    narrowed = query.model_copy(update={"organisation": [entity.id]})
    return run_search(search, narrowed, page, locale)


@api_router.get(
    "/{organisation_id}",
    response_model=OrganisationDetail,
    summary="One organisation, its profile and its software",
    responses=problem_responses(400, 404, 414, 422),
)
def get_organisation(
    store: StoreDep,
    cache: CacheDep,
    search: SearchDep,
    organisation_id: OrganisationId,
    query: CatalogueQueryDep,
    page: SearchPageDep,
) -> OrganisationDetail:
    """The profile (every field's source in ``organisation.sources``), identifiers with their
    sources, forge accounts, counts, licences and categories its software uses, activity per
    year, and its software under the usual filters (words, licence, category, …, page)."""
    item = _organisation(store, cache, organisation_id)
    if item is None:
        raise ApiProblem(
            404,
            "not-found",
            f"no organisation with id {organisation_id!r}; /api/v1/organisations lists them",
        )
    entity = item.entity
    page = page.model_copy(update={"facets": page.facets or SOFTWARE_FACETS})
    result = _software(search, entity, query, page, "en")
    record_ids = store.organisation_record_ids(entity.id)
    used = view.usage(store.iter_records(ids=record_ids))
    labels = view.organisation_labels(store, cache, "en")
    base = f"/api/v1/organisations/{entity.id}"
    links = {"self": base, "page": f"/organisations/{entity.id}"}
    if entity.parent:
        links["parent"] = f"/api/v1/organisations/{entity.parent}"
    return OrganisationDetail(
        organisation=entity,
        software_count=item.software,
        declared=item.declared,
        valid=item.valid,
        forges=list(item.forges),
        licences=[FacetValue(value=v, count=c) for v, c in used.licences],
        categories=[FacetValue(value=v, count=c) for v, c in used.categories],
        activity=[YearCount(year=y, records=c) for y, c in used.activity],
        software=search_response(result, query, page, labels, base),
        reuse=organisation_reuse(store, record_ids, labels),
        links=links,
    )


# ---- pages ------------------------------------------------------------------------------


def _kind_label(language: str, kind: str) -> str:
    return translate(language, f"org.kind.{kind}")


@router.get("/organisations", response_class=HTMLResponse)
def organisations_page(
    request: Request,
    context: ContextDep,
    store: StoreDep,
    cache: CacheDep,
    language: PageLanguageDep,
    q: Words = "",
    country: Values = [],  # noqa: B006
    kind: Values = [],  # noqa: B006
    forge: Values = [],  # noqa: B006
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The organisations: search, facets (country, kind, forge), counts, most software first."""
    selection = _selection(store, cache, q, country, kind, forge)
    chosen = {"country": set(country), "kind": set(kind), "forge": set(forge)}
    start = (page - 1) * PER_PAGE
    state = [("q", q)] if q else []
    state += [(n, v) for n in ("country", "kind", "forge") for v in sorted(chosen[n])]
    facets = [
        {
            "name": name,
            "options": [
                {
                    "value": value,
                    "label": _kind_label(language, value) if name == "kind" else value,
                    "count": count,
                    "checked": value in chosen[name],
                }
                for value, count in list(counts.items())[:40]
            ],
        }
        for name, counts in selection.facets.items()
        if counts
    ]
    pages = page_count(len(selection.items), PER_PAGE)
    return render(
        context.templates,
        request,
        "organisations.html",
        language,
        {
            "nav": "organisations",
            "q": q,
            "total": len(selection.items),
            "items": [
                {
                    "summary": item,
                    "name": item.entity.name_in(language) or item.entity.id,
                    "kind_label": _kind_label(language, item.entity.kind),
                    "href": page_url(f"/organisations/{item.entity.id}", [("lang", language)]),
                }
                for item in selection.items[start : start + PER_PAGE]
            ],
            "facets": facets,
            "chosen_count": sum(len(values) for values in chosen.values()),
            "previous_href": page_url(
                "/organisations", [*state, ("page", str(page - 1)), ("lang", language)]
            )
            if page > 1
            else None,
            "next_href": page_url(
                "/organisations", [*state, ("page", str(page + 1)), ("lang", language)]
            )
            if page < pages
            else None,
            "page_number": page,
            "pages": pages,
            "api_href": page_url("/api/v1/organisations", state),
        },
    )


@router.get("/organisations/{organisation_id}", response_class=HTMLResponse)
def organisation_page(
    request: Request,
    context: ContextDep,
    store: StoreDep,
    cache: CacheDep,
    search: SearchDep,
    organisation_id: str,
    query: CatalogueQueryDep,
    language: PageLanguageDep,
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> HTMLResponse:
    """One organisation: profile, identifiers and accounts, licences and categories used,
    activity over time, and its software with the usual filters (linked to the search)."""
    item = _organisation(store, cache, organisation_id)
    if item is None:
        detail = f"{organisation_id}: no such organisation in the catalogue"
        return error_page(context.templates, request, language, 404, detail)
    entity = item.entity
    listing = SearchPage(facets=SOFTWARE_FACETS, sort="name", page=page, per_page=20)
    result = _software(search, entity, query, listing, language)
    record_ids = store.organisation_record_ids(entity.id)
    used = view.usage(store.iter_records(ids=record_ids))
    labels = view.organisation_labels(store, cache, language)
    parent = store.get_organisation(entity.parent) if entity.parent else None
    narrowed = [("organisation", entity.id), *query.params()]

    def narrowed_search(name: str, value: str) -> str:
        """The search of this organisation's software with one more filter."""
        return page_url("/", [("organisation", entity.id), (name, value), ("lang", language)])

    return render(
        context.templates,
        request,
        "organisation.html",
        language,
        {
            "nav": "organisations",
            "entity": entity,
            "name": entity.name_in(language) or entity.id,
            "change_feeds": [organisation_feed(entity, language)],
            "summary": item,
            "kind_label": _kind_label(language, entity.kind),
            "sources": {
                name: translate(language, f"org.source.{source.kind}") + f" ({source.detail})"
                for name, source in entity.sources.items()
            },
            "website_href": safe_href(entity.website),
            "accounts": [
                {
                    "forge": a.forge,
                    "owner": a.owner,
                    "href": safe_href(a.url) or safe_href(f"https://{a.owner}"),
                }
                for a in entity.accounts
            ],
            "parent": {
                "name": (parent.name_in(language) if parent else None) or entity.parent,
                "href": page_url(f"/organisations/{entity.parent}", [("lang", language)]),
            }
            if entity.parent
            else None,
            "licences": [
                {"value": value, "count": count, "href": narrowed_search("licence", value)}
                for value, count in used.licences[:15]
            ],
            "categories": [
                {
                    "label": vocabulary_label(language, "category", slug),
                    "count": count,
                    "href": narrowed_search("category", slug),
                }
                for slug, count in used.categories[:15]
            ],
            "activity": used.activity,
            "chart_href": page_url(
                f"/organisations/{entity.id}/activity.svg", [("lang", language)]
            ),
            "hits": [
                {
                    "hit": hit,
                    "path": hit.id,
                    "href": page_url(f"/software/{hit.id}", [("lang", language)]),
                }
                for hit in result.hits
            ],
            "org_reuse": organisation_reuse(store, record_ids, labels),
            "safe": safe_href,
            "software_total": result.total,
            "errors": organisation_errors(store, entity.id, language),
            "query": query,
            "search_href": page_url("/", [*narrowed, ("lang", language)]),
            "json_href": f"/api/v1/organisations/{entity.id}",
            "previous_href": page_url(
                f"/organisations/{entity.id}",
                [*query.params(), ("page", str(page - 1)), ("lang", language)],
            )
            if page > 1
            else None,
            "next_href": page_url(
                f"/organisations/{entity.id}",
                [*query.params(), ("page", str(page + 1)), ("lang", language)],
            )
            if page * 20 < result.listed
            else None,
        },
    )


@router.get("/organisations/{organisation_id}/activity.svg")
def activity_chart(
    request: Request,
    context: ContextDep,
    store: StoreDep,
    cache: CacheDep,
    organisation_id: str,
    language: PageLanguageDep,
) -> Response:
    """The organisation's software by year of last activity, as an SVG bar chart."""
    item = _organisation(store, cache, organisation_id)
    if item is None:
        detail = f"{organisation_id}: no such organisation in the catalogue"
        return error_page(context.templates, request, language, 404, detail)
    used = view.usage(store.iter_records(ids=store.organisation_record_ids(item.entity.id)))
    svg = bar_chart("organisation-activity", translate(language, "org.activity"), used.activity)
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Content-Security-Policy": CHART_POLICY, "Content-Language": language},
    )


__all__ = ["api_router", "router"]
