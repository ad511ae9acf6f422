"""``/api/v1/software``: search with filters and facets, one record, its publiccode.yml (raw and 0.7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import RedirectResponse, Response

from api.cache import cache_header, cached_search
from api.catalogue import (
    record_or_move,
    record_path,
    record_times,
    related_records,
    run_search,
    search_response,
)
from api.deps import CatalogueQueryDep, ContextDep, SearchPageDep, StoreDep
from api.draft_view import draft_view
from api.models import SearchResponse, SoftwareDetail, findings_out
from api.organisations_view import organisation_labels
from api.problems import ApiProblem, content_route, problem_responses
from api.publiccode_view import PubliccodeUnreadableError, normalise_publiccode
from api.query import CatalogueQuery, SearchPage
from indexer.search.protocol import LOCALES, SearchBackend
from schemas.record import Record

router = APIRouter(prefix="/api/v1/software", tags=["software"])
RecordId = Annotated[
    str,
    Path(
        min_length=3,
        max_length=500,
        description="canonical id: host/path of the repository, lower-case",
        examples=["gitlab.opencode.de/bmi/opendesk"],
    ),
]
YAML_MEDIA_TYPE = "application/yaml"


@router.get(
    "",
    response_model=SearchResponse,
    summary="Search the catalogue",
    responses=problem_responses(400, 414, 422),
)
def search_software(
    context: ContextDep,
    query: CatalogueQueryDep,
    page: SearchPageDep,
    locale: str = "en",
) -> Response:
    """Words, filters (values of one filter OR-ed, filters AND-ed), facet counts, sort, paging.

    ``locale`` (de, en, it, fr, nl) chooses the language searched first and shown.
    """
    if locale not in LOCALES:
        raise ApiProblem(400, "invalid-query", f"unknown locale; use one of: {', '.join(LOCALES)}")

    def answer() -> bytes:
        # Only on a miss: the organisations' names cost three store look-ups and a pass over
        # every organisation, which a kept answer does not need (the compute locks re-enter).
        labels = organisation_labels(context.store, context.cache, locale)
        response = _search_response(context.search, query, page, locale, labels)
        return response.model_dump_json().encode()

    key = ("search", tuple(query.params()), page.model_dump_json(), locale)
    body, hit = cached_search(context.cache, context.search, key, answer)
    return Response(body, media_type="application/json", headers=cache_header(hit))


def _search_response(
    search: SearchBackend,
    query: CatalogueQuery,
    page: SearchPage,
    locale: str,
    labels: Mapping[str, str],
) -> SearchResponse:
    result = run_search(search, query, page, locale)
    return search_response(
        result,
        query,
        page,
        labels,
        "/api/v1/software",
        also_searched=result.also_searched,
        did_you_mean=result.did_you_mean,
    )


def _record_or_404(store: StoreDep, record_id: str) -> Record:
    record: Record | None = store.get_record(record_id.lower())
    if record is None:
        raise ApiProblem(
            404,
            "not-found",
            f"no software with id {record_id!r}; ids are host/path of the repository, "
            "see /api/v1/status?url=REPOSITORY_URL",
        )
    return record


def _detail(store: StoreDep, record: Record, language: str = "en") -> SoftwareDetail:
    times = record_times(store, record.id)
    path = record_path(record.id)
    return SoftwareDetail(
        record=record,
        first_seen=times.first_seen,
        last_seen=times.last_seen,
        last_changed=times.last_changed,
        related=related_records(store, record),
        findings=findings_out(record.findings, language),
        links={
            "self": f"/api/v1/software/{path}",
            "page": f"/software/{path}",
            "publiccode_yml": f"/api/v1/software/{path}/publiccode.yml",
            "publiccode": f"/api/v1/software/{path}/publiccode",
            **(
                {"publiccode_draft": f"/api/v1/software/{path}/publiccode.yml?draft=1"}
                if not record.declared
                else {}
            ),
        },
    )


def _publiccode_bytes(store: StoreDep, record: Record) -> bytes:
    raw: bytes | None = store.get_publiccode(record.id) if record.declared else None
    if raw is None:
        raise ApiProblem(
            404,
            "no-publiccode",
            f"{record.id} has no publiccode.yml: the record is inferred from forge metadata",
        )
    return raw


def _shadowed_detail(store: StoreDep, record_id: str, suffix: str) -> Response | None:
    """The detail of a repository literally named like a suffix (``…/publiccode.yml``).

    ``/api/v1/software/github.com/publiccodeyml/publiccode.yml`` names the standard's own
    repository; when ``record_id`` is no record but ``record_id/suffix`` is, answer its detail.
    """
    if store.get_record(record_id.lower()) is not None:
        return None
    record: Record | None = store.get_record(f"{record_id}/{suffix}".lower())
    if record is None:
        return None
    return Response(_detail(store, record).model_dump_json(), media_type="application/json")


@router.get(
    "/{record_id:path}/publiccode.yml",
    summary="The original publiccode.yml, or a drafted one (draft=1)",
    **content_route(YAML_MEDIA_TYPE, "string", 404, 422),
)
def publiccode_original(
    store: StoreDep,
    record_id: RecordId,
    draft: Annotated[
        bool,
        Query(
            description="a drafted publiccode.yml for a repository without one (made from "
            "what the forge knows, a comment per value naming its source, TODOs on guesses); "
            "for a declared file with findings, the suggested fix"
        ),
    ] = False,
    download: Annotated[bool, Query(description="answer as an attachment to save")] = False,
) -> Response:
    """The publiccode.yml bytes exactly as crawled, or with ``draft=1`` a draft."""
    shadowed = _shadowed_detail(store, record_id, "publiccode.yml")
    if shadowed is not None:
        return shadowed
    record = _record_or_404(store, record_id)
    disposition = "attachment" if download else "inline"
    headers = {"Content-Disposition": f'{disposition}; filename="publiccode.yml"'}
    if not draft:
        return Response(
            _publiccode_bytes(store, record), media_type=YAML_MEDIA_TYPE, headers=headers
        )
    view = draft_view(record, store.get_publiccode(record.id) if record.declared else None)
    if view is None:
        raise ApiProblem(
            404,
            "no-draft",
            f"{record.id} has its own publiccode.yml with nothing to fix: read it without draft=1",
        )
    headers["X-Codereuse-Draft"] = view.kind
    return Response(view.text, media_type=YAML_MEDIA_TYPE, headers=headers)


@router.get(
    "/{record_id:path}/publiccode",
    summary="The publiccode.yml normalised to the current standard (0.7)",
    **content_route(YAML_MEDIA_TYPE, "string", 404, 422),
)
def publiccode_normalised(store: StoreDep, record_id: RecordId) -> Response:
    """Deprecated keys rewritten (legal.repoOwner → organisation.name, IT → supports, …), as YAML."""
    shadowed = _shadowed_detail(store, record_id, "publiccode")
    if shadowed is not None:
        return shadowed
    record = _record_or_404(store, record_id)
    try:
        normalised = normalise_publiccode(_publiccode_bytes(store, record))
    except PubliccodeUnreadableError as error:
        raise ApiProblem(
            422,
            "unreadable-publiccode",
            f"the stored publiccode.yml of {record.id} cannot be normalised: {error}; "
            "its findings say why",
        ) from None
    return Response(normalised.to_yaml(), media_type=YAML_MEDIA_TYPE)


@router.get(
    "/{record_id:path}",
    response_model=SoftwareDetail,
    summary="One record with provenance, relations and findings",
    responses={
        301: {"description": "the repository moved; Location names the record's current id"},
        **problem_responses(404, 422),
    },
)
def software_detail(
    store: StoreDep,
    record_id: RecordId,
    lang: Annotated[
        Literal["de", "en"], Query(description="language of the findings' text")
    ] = "en",
) -> Response | SoftwareDetail:
    """The full catalogue record; ``related`` resolves its mirrors, forks and variants;
    ``findings`` gives each finding's code, English message and text in ``lang``.

    An earlier id of a renamed or moved repository answers 301 to the current one.
    """
    record, current = record_or_move(store, record_id)
    if current is not None:
        return RedirectResponse(f"/api/v1/software/{record_path(current)}", status_code=301)
    found = record if record is not None else _record_or_404(store, record_id)
    return _detail(store, found, lang)
