"""``/api/v1/stats``: counts over the catalogue and its size after each crawl run."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.cache import cache_header, catalogue_version
from api.deps import CacheDep, StoreDep
from api.models import StatsOut
from api.status_check import crawl_run_out
from schemas.copying import from_attributes

router = APIRouter(prefix="/api/v1", tags=["stats"])
_STATS_JSON = TypeAdapter(StatsOut)


@router.get("/stats", response_model=StatsOut, summary="Catalogue statistics")
def stats(store: StoreDep, cache: CacheDep) -> Response:
    """Counts by forge, organisation, licence, language and category; totals per crawl run.

    Computed once per catalogue state (`api.cache.catalogue_version`), not per request, and
    kept as the JSON bytes sent: no model validated and serialised again per request.
    """
    body, hit = cache.lookup(
        ("stats",),
        catalogue_version(store),
        lambda: _STATS_JSON.dump_json(_compute(store)),
        len,
    )
    return Response(body, media_type="application/json", headers=cache_header(hit))


def _compute(store: StoreDep) -> StatsOut:
    figures = store.stats()
    return from_attributes(
        StatsOut, figures, history=[crawl_run_out(run) for run in figures.history]
    )
