"""Publisher views (issue 13): files with errors per forge and per organisation, as JSON
(``/api/v1/forges/{name}/errors``, ``/api/v1/organisations/{id}/errors``) and as the forge
page (``/forges/{name}``); the organisation page includes the same list."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import ContextDep, PageLanguageDep, StoreDep
from api.forge_view import forge_out
from api.pages import error_page, page_url, render
from api.problems import ApiProblem, problem_responses
from api.publisher_view import ErrorList, forge_errors, organisation_errors

api_router = APIRouter(prefix="/api/v1", tags=["publishers"])
router = APIRouter(include_in_schema=False)
ForgeName = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{0,62}$", description="registered forge name")
]
Language = Annotated[Literal["de", "en"], Query(description="language of the findings' text")]


@api_router.get(
    "/forges/{name}/errors",
    response_model=ErrorList,
    summary="A forge's publiccode.yml files with errors, and counts",
    responses=problem_responses(404, 422),
)
def forge_error_list(store: StoreDep, name: ForgeName, lang: Language = "en") -> ErrorList:
    """Every live record of the forge counted (invalid, with warnings, error and warning
    findings); the records with errors listed with their findings, most errors first."""
    if store.get_forge(name) is None:
        raise ApiProblem(
            404, "not-found", f"no forge named {name!r} is registered; see /api/v1/forges"
        )
    return forge_errors(store, name, lang)


@api_router.get(
    "/organisations/{organisation_id}/errors",
    response_model=ErrorList,
    summary="An organisation's publiccode.yml files with errors, and counts",
    responses=problem_responses(404, 422),
)
def organisation_error_list(
    store: StoreDep,
    organisation_id: Annotated[str, Path(max_length=200)],
    lang: Language = "en",
) -> ErrorList:
    """As for a forge, over the records of the organisation (across forges)."""
    if store.get_organisation(organisation_id) is None:
        raise ApiProblem(
            404,
            "not-found",
            f"no organisation {organisation_id!r} in the catalogue; see /api/v1/organisations",
        )
    return organisation_errors(store, organisation_id, lang)


@router.get("/forges/{name}", response_class=HTMLResponse)
def forge_page(
    request: Request, context: ContextDep, language: PageLanguageDep, name: str
) -> HTMLResponse:
    """One registered forge: its crawl state, invalid count and files with errors."""
    registration = context.store.get_forge(name)
    if registration is None:
        detail = f"{name}: no such forge is registered"
        return error_page(context.templates, request, language, 404, detail)
    forge = forge_out(context.store, registration, language=language)
    return render(
        context.templates,
        request,
        "forge.html",
        language,
        {
            "nav": "forges",
            "forge": forge,
            "errors": forge_errors(context.store, name, language),
            "search_href": page_url("/", [("forge", name), ("lang", language)]),
            "invalid_href": page_url(
                "/", [("forge", name), ("valid", "false"), ("lang", language)]
            ),
            "json_href": f"/api/v1/forges/{name}/errors?lang={language}",
        },
    )
