"""``/api/v1/stats``: counts over the catalogue and its size after each crawl run."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request

from api.deps import StoreDep
from api.models import StatsOut
from api.status_check import crawl_run_out

router = APIRouter(prefix="/api/v1", tags=["stats"])
_LOCK = threading.Lock()


def _version(store: StoreDep) -> tuple[Any, ...]:
    """What the figures depend on: the change feed, the forges and the newest crawl run.

    Three indexed look-ups instead of the grouping queries (about 1.4 s on 100,000 records).
    """
    newest = store.crawl_runs(limit=1)
    run = (newest[0].id, newest[0].finished_at) if newest else None
    return (store.latest_change_seq(), len(store.list_forges()), run)


@router.get("/stats", response_model=StatsOut, summary="Catalogue statistics")
def stats(request: Request, store: StoreDep) -> StatsOut:
    """Counts by forge, organisation, licence, language and category; totals per crawl run."""
    version = _version(store)
    cached: tuple[tuple[Any, ...], StatsOut] | None = getattr(request.app.state, "stats", None)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _LOCK:
        figures = _compute(store)
        request.app.state.stats = (version, figures)
    return figures


def _compute(store: StoreDep) -> StatsOut:
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
