"""The statistics page ``/stats`` (charts, tables, CSVs) and ``/api/v1/stats/timeseries``.

Figures come from two grouping reads (`Store.stats`, `Store.timeline`) and are computed once
per catalogue state (`api.cache.catalogue_version`), so the page, each chart's SVG, its table
and its CSV always agree and a visitor never waits for the grouping queries twice.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from api.cache import ChangeCache, cache_header, catalogue_version
from api.charts import CHART_POLICY
from api.deps import CacheDep, ContextDep, PageLanguageDep, StoreDep
from api.pages import error_page, render
from api.stats_view import CHART_NAMES, Chart, StatsPage, stats_page
from indexer.store import CatalogueStats, CatalogueTimeline, Store
from schemas.copying import from_attributes

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["stats"])
FIGURES_BYTES = 256 * 1024  # what one kept set of figures or one page is counted as


def _figures(store: Store, cache: ChangeCache) -> tuple[CatalogueStats, CatalogueTimeline]:
    figures: tuple[CatalogueStats, CatalogueTimeline] = cache.compute(
        ("stats-figures",),
        catalogue_version(store),
        lambda: (store.stats(), store.timeline()),
        lambda _: FIGURES_BYTES,
    )
    return figures


def _page(store: Store, cache: ChangeCache, language: str) -> StatsPage:
    return _kept_page(store, cache, language)[0]


def _kept_page(store: Store, cache: ChangeCache, language: str) -> tuple[StatsPage, bool]:
    """The statistics page's figures in `language`, and whether they were kept already."""
    version = catalogue_version(store)
    page: StatsPage
    page, hit = cache.lookup(
        ("stats-page", language),
        version,
        lambda: stats_page(*_figures(store, cache), language),
        lambda _: FIGURES_BYTES,
    )
    return page, hit


def _alt(page: StatsPage, name: str) -> str:
    chart = page.charts[name]
    shown = "; ".join(" ".join(str(cell) for cell in row[:3]) for row in chart.rows[:3])
    return f"{chart.title}: {shown}" + (" …" if len(chart.rows) > 3 else "")


@router.get("/stats", response_class=HTMLResponse)
def statistics_page(
    request: Request,
    context: ContextDep,
    store: StoreDep,
    cache: CacheDep,
    language: PageLanguageDep,
) -> HTMLResponse:
    """Charts with their tables and CSV links: growth, sources, rankings, activity, crawls.

    The figures are kept per catalogue state; ``X-Cache`` says whether they were (hit)."""
    page, hit = _kept_page(store, cache, language)
    charts = [
        {
            "chart": page.charts[name],
            "alt": _alt(page, name),
            "svg_href": f"/stats/charts/{name}.svg?lang={language}",
            "csv_href": f"/stats/{name}.csv?lang={language}",
        }
        for name in CHART_NAMES
    ]
    response = render(
        context.templates,
        request,
        "stats.html",
        language,
        {"nav": "stats", "page": page, "charts": charts},
    )
    response.headers.update(cache_header(hit))
    return response


def _chart(
    request: Request, context: ContextDep, store: StoreDep, language: PageLanguageDep, name: str
) -> Chart | Response:
    """The chart `name` in `language`, or the 404 page for a name the page does not have."""
    if name not in CHART_NAMES:
        return error_page(context.templates, request, language, 404, f"no chart named {name!r}")
    return _page(store, context.cache, language).charts[name]


ChartDep = Annotated[Chart | Response, Depends(_chart)]
"""The chart the path's ``{name}`` names, or the 404 page to answer instead."""


@router.get("/stats/charts/{name}.svg")
def chart_svg(chart: ChartDep, language: PageLanguageDep) -> Response:
    """One chart as an SVG image (no script; its own styles only, see `api.charts`)."""
    if isinstance(chart, Response):
        return chart
    return Response(
        chart.svg,
        media_type="image/svg+xml",
        headers={"Content-Security-Policy": CHART_POLICY, "Content-Language": language},
    )


@router.get("/stats/{name}.csv")
def chart_csv(chart: ChartDep, name: str) -> Response:
    """One chart's figures as CSV (UTF-8, a header row in the page language)."""
    if isinstance(chart, Response):
        return chart
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(chart.columns)
    writer.writerows(chart.rows)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="codereuse-{name}.csv"'},
    )


class MonthOut(BaseModel):
    """Records first seen in one month, and the catalogue's size at its end."""

    month: str = Field(description="YYYY-MM")
    new: int
    total: int


class YearOut(BaseModel):
    """Records whose repository was last active in one year."""

    year: str = Field(description="YYYY")
    records: int


class CrawlPointOut(BaseModel):
    """One finished crawl run of one forge."""

    forge: str
    finished_at: datetime | None
    status: str
    full: bool
    repositories: int = Field(description="repositories the run listed")
    with_publiccode: int = Field(description="of which carry a publiccode.yml")
    records_total: int | None = Field(description="live records in the catalogue afterwards")


class TimeseriesOut(BaseModel):
    """The catalogue over time: growth by month, activity by year, every finished crawl."""

    first_seen: list[MonthOut]
    last_activity: list[YearOut]
    no_activity: int = Field(description="records whose forge reported no activity date")
    crawls: list[CrawlPointOut]


@api_router.get(
    "/stats/timeseries", response_model=TimeseriesOut, summary="Catalogue statistics over time"
)
def timeseries(store: StoreDep, cache: CacheDep) -> TimeseriesOut:
    """Records first seen per month (with the running total), records by year of last
    activity, and each finished crawl run per forge (oldest first), for analysts."""
    stats, timeline = _figures(store, cache)
    months = []
    total = 0
    for month in sorted(timeline.first_seen_by_month):
        total += timeline.first_seen_by_month[month]
        months.append(MonthOut(month=month, new=timeline.first_seen_by_month[month], total=total))
    return TimeseriesOut(
        first_seen=months,
        last_activity=[
            YearOut(year=year, records=count) for year, count in timeline.activity_by_year.items()
        ],
        no_activity=timeline.no_activity,
        crawls=[
            from_attributes(
                CrawlPointOut,
                run,
                repositories=int(run.stats.get("repositories", 0) or 0),
                with_publiccode=int(run.stats.get("with_publiccode", 0) or 0),
                records_total=run.records_total,
            )
            for run in stats.history
        ],
    )
