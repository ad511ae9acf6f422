"""``/api/v1/status``: is a repository listed, and if not, why."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import SettingsDep, StoreDep
from api.models import StatusOut
from api.problems import problem_responses
from api.status_check import recrawl_interval, repository_status

router = APIRouter(prefix="/api/v1", tags=["status"])


@router.get(
    "/status",
    response_model=StatusOut,
    summary="Is my repository listed, and if not, why?",
    responses=problem_responses(422),
)
def status(
    store: StoreDep,
    settings: SettingsDep,
    url: Annotated[str, Query(min_length=1, max_length=500, description="repository URL")],
    lang: Annotated[Literal["de", "en"], Query(description="language of the message")] = "en",
) -> StatusOut:
    """Listed (invalid, unreadable, renamed) or why not: not covered (and what would cover
    it), excluded (the rule), internal, private, deleted (since when), not crawled yet, the
    forge failing (its error), not found in the last crawl, or not a repository URL; with the
    most specific registration covering the URL and its last crawl."""
    return repository_status(store, url, lang, every=recrawl_interval(settings))
