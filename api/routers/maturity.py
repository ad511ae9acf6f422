"""Maturity over the API: ``/api/v1/software/{id}/maturity`` and the README badges.

Included before the software router, whose last route takes any path as a record id.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import RedirectResponse, Response

from api.badge import SVG_MEDIA_TYPE, criterion_badge, render_svg, summary_badge
from api.catalogue import record_or_move, record_path
from api.deps import StoreDep
from api.maturity_models import MaturityResponse
from api.maturity_view import maturity_response
from api.problems import problem_responses
from api.routers.software import RecordId, _record_or_404, _shadowed_detail
from schemas.maturity import CriterionName, assess

router = APIRouter(tags=["maturity"])
BADGE_CACHE = "public, max-age=3600"
"""Badges change at most once per crawl; an hour keeps README views off the server."""
BadgeLanguage = Annotated[
    Literal["de", "en"], Query(description="language of the badge's text and title")
]
_BADGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {SVG_MEDIA_TYPE: {"schema": {"type": "string"}}},
        "description": "an SVG badge with a title and aria-label saying what it shows",
    },
    301: {"description": "the repository moved; Location names the badge of its current id"},
    **problem_responses(404, 422),
}


@router.get(
    "/api/v1/software/{record_id:path}/maturity",
    response_model=MaturityResponse,
    summary="The maturity assessment: criteria with evidence and reasons, and the summary level",
    responses=problem_responses(404, 422),
)
def software_maturity(store: StoreDep, record_id: RecordId) -> Response | MaturityResponse:
    """Each criterion (active, released, licensed, documented, tested, secure, described,
    maintained, not archived) with its level (met, partly, not_met, unknown), evidence and
    reason in German and English; the summary level 0–3 with the rule that sets it; the
    repository facts (releases, last commit, open issues, root files)."""
    shadowed = _shadowed_detail(store, record_id, "maturity")
    if shadowed is not None:
        return shadowed
    record = _record_or_404(store, record_id)
    return maturity_response(record, store.maturity_history(record.id))


def _badge(store: StoreDep, record_id: str, criterion: CriterionName | None, lang: str) -> Response:
    record, current = record_or_move(store, record_id)
    if current is not None:
        suffix = f"badge/{criterion}.svg" if criterion else "badge.svg"
        return RedirectResponse(
            f"/api/v1/software/{record_path(current)}/{suffix}?lang={lang}", status_code=301
        )
    if record is None:
        record = _record_or_404(store, record_id)
    assessment = assess(record)
    badge = (
        summary_badge(assessment, lang)
        if criterion is None
        else criterion_badge(assessment, criterion, lang)
    )
    return Response(
        render_svg(badge, lang),
        media_type=SVG_MEDIA_TYPE,
        headers={"Cache-Control": BADGE_CACHE, "Content-Language": lang},
    )


@router.get(
    "/api/v1/software/{record_id:path}/badge.svg",
    summary="An SVG badge of the summary level, or of one criterion, for a README",
    response_class=Response,
    responses=_BADGE_RESPONSES,
)
def maturity_badge(
    store: StoreDep,
    record_id: RecordId,
    criterion: Annotated[
        CriterionName | None, Query(description="one criterion instead of the summary level")
    ] = None,
    lang: BadgeLanguage = "en",
) -> Response:
    """Self-contained (no external resources) and accessible (title, aria-label, role=img);
    cached for an hour, with an ETag."""
    return _badge(store, record_id, criterion, lang)


@router.get(
    "/api/v1/software/{record_id:path}/badge/{criterion}.svg",
    summary="An SVG badge of one maturity criterion, for a README",
    response_class=Response,
    responses=_BADGE_RESPONSES,
)
def criterion_badge_svg(
    store: StoreDep,
    record_id: RecordId,
    criterion: Annotated[CriterionName, Path(description="the criterion to show")],
    lang: BadgeLanguage = "en",
) -> Response:
    """The same badge as ``badge.svg?criterion=…``, at a path of its own."""
    return _badge(store, record_id, criterion, lang)
