"""``/api/v1/stats``: counts over the catalogue and its size after each crawl run."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.models import StatsOut
from api.status_check import crawl_run_out

router = APIRouter(prefix="/api/v1", tags=["stats"])


@router.get("/stats", response_model=StatsOut, summary="Catalogue statistics")
def stats(store: StoreDep) -> StatsOut:
    """Counts by forge, organisation, licence, language and category; totals per crawl run."""
    figures = store.stats()
    return StatsOut(
        records=figures.records,
        declared=figures.declared,
        valid=figures.valid,
        forges=figures.forges,
        repositories=figures.repositories,
        by_forge=figures.by_forge,
        by_organisation=figures.by_organisation,
        by_licence=figures.by_licence,
        by_language=figures.by_language,
        by_category=figures.by_category,
        history=[crawl_run_out(run) for run in figures.history],
    )
