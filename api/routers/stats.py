"""``/api/v1/stats``: counts over the catalogue and its size after each crawl run."""

from __future__ import annotations

from fastapi import APIRouter

from api.cache import catalogue_version
from api.deps import CacheDep, StoreDep
from api.models import StatsOut
from api.status_check import crawl_run_out
from schemas.copying import from_attributes

router = APIRouter(prefix="/api/v1", tags=["stats"])
STATS_BYTES = 64 * 1024  # what one kept answer is counted as against the cache's budget


@router.get("/stats", response_model=StatsOut, summary="Catalogue statistics")
def stats(store: StoreDep, cache: CacheDep) -> StatsOut:
    """Counts by forge, organisation, licence, language and category; totals per crawl run.

    Computed once per catalogue state (`api.cache.catalogue_version`), not per request.
    """
    return cache.compute(
        ("stats",), catalogue_version(store), lambda: _compute(store), lambda _: STATS_BYTES
    )


def _compute(store: StoreDep) -> StatsOut:
    figures = store.stats()
    return from_attributes(
        StatsOut, figures, history=[crawl_run_out(run) for run in figures.history]
    )
