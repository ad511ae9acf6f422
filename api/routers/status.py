"""``/api/v1/status``: is a repository listed, and if not, why."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.models import StatusOut
from api.problems import problem_responses
from api.status_check import repository_status

router = APIRouter(prefix="/api/v1", tags=["status"])


@router.get(
    "/status",
    response_model=StatusOut,
    summary="Is my repository listed, and if not, why?",
    responses=problem_responses(422),
)
def status(
    store: StoreDep,
    url: Annotated[str, Query(min_length=1, max_length=500, description="repository URL")],
    lang: Annotated[Literal["de", "en"], Query(description="language of the message")] = "en",
) -> StatusOut:
    """listed, invalid (with the findings), not_found, not_covered (no forge) or bad_url; with the last crawl."""
    return repository_status(store, url, lang)
