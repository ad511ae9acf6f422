"""``/healthz`` (the process answers), ``/readyz`` (store and index usable), ``/metrics`` (Prometheus)."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from api.deps import ContextDep
from api.metrics import CONTENT_TYPE
from api.models import Health
from api.problems import ApiProblem, problem_responses
from indexer.store.health import what_failed
from schemas.errors import CodereuseError

router = APIRouter(tags=["operations"])
logger = logging.getLogger(__name__)


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    """The process is up and answering."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, summary="Readiness", responses=problem_responses(503))
def readyz(context: ContextDep) -> Health:
    """The store's pages are readable (a cached integrity probe), the store answers, the search
    index answers a query, and the index is not empty while the store holds records (a dropped
    or never-built index would find nothing)."""
    checks: dict[str, str] = {}
    try:
        context.store.check_integrity()
        checks["integrity"] = "ok"
    except CodereuseError as error:
        logger.error("readiness: %s", error)
        raise ApiProblem(
            503,
            "not-ready",
            f"the store cannot be read ({what_failed(str(error))}); the server's log says where "
            "and what to do",
        ) from None
    try:
        store_has_records = next(context.store.iter_documents(batch_size=1), None) is not None
        checks["store"] = "ok"
    except CodereuseError as error:
        logger.warning("readiness: store not usable: %s", error)
        raise ApiProblem(503, "not-ready", "the store cannot be read") from None
    try:
        indexed = context.search.search(per_page=1).total
        checks["search"] = "ok"
    except CodereuseError as error:
        logger.warning("readiness: search not usable: %s", error)
        raise ApiProblem(503, "not-ready", "the search index cannot be queried") from None
    if store_has_records and indexed == 0:
        raise ApiProblem(
            503,
            "not-ready",
            "the search index is empty while the store holds records; rebuild it "
            "(codereuse index --rebuild)",
        )
    return Health(status="ok", checks=checks)


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    summary="Prometheus metrics",
    responses={200: {"content": {CONTENT_TYPE: {"schema": {"type": "string"}}}}},
)
def metrics(context: ContextDep) -> PlainTextResponse:
    """Requests and latencies by route, and the catalogue size, in the Prometheus text format."""
    gauges: dict[str, tuple[str, float]] = {}
    try:
        gauges["codereuse_catalogue_records"] = (
            "Live records in the catalogue.",
            float(context.store.count_records()),
        )
        gauges["codereuse_forges"] = ("Registered forges.", float(len(context.store.list_forges())))
        applied = getattr(context.search, "applied_change", None)
        if applied is not None:  # the embedded index; Meilisearch keeps its position elsewhere
            gauges["codereuse_search_changes_behind"] = (
                "Store changes the search index has not applied yet (it follows the change feed).",
                float(max(0, context.store.latest_change_seq() - applied()[1])),
            )
    except CodereuseError as error:
        logger.warning("metrics: store not readable: %s", error)
    text = context.metrics.render(gauges, cache=context.cache.counts())
    return PlainTextResponse(text, media_type=CONTENT_TYPE)
