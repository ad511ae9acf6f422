"""The statistics page's figures: one `Chart` per question, each with its table and its SVG.

Pure functions from the store's counts (`CatalogueStats`, `CatalogueTimeline`) to charts in
the page language; the router caches the result per catalogue state, so a chart, its table and
its CSV always show the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from api.charts import bar_chart, line_chart
from api.i18n import translate, vocabulary_label
from indexer.store import CatalogueStats, CatalogueTimeline, CrawlRun

TOP = 12
"""Values a ranking chart shows (licences, languages, categories, organisations)."""
CHART_NAMES: tuple[str, ...] = (
    "growth",
    "sources",
    "licences",
    "languages",
    "categories",
    "organisations",
    "activity",
    "crawls",
)


@dataclass(frozen=True)
class Chart:
    """One chart: its title, its table (column headings and rows) and its SVG."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str | int, ...]]
    svg: str = field(repr=False)


@dataclass(frozen=True)
class StatsPage:
    """Everything the statistics page shows, in one language."""

    records: int
    declared: int
    forges: int
    charts: dict[str, Chart]


def _ranking(
    name: str, language: str, counts: dict[str, int], label: str, labels: dict[str, str]
) -> Chart:
    top = list(counts.items())[:TOP]
    rows: list[tuple[str | int, ...]] = [(labels.get(value, value), count) for value, count in top]
    title = translate(language, f"stats.chart.{name}", top=TOP)
    columns = (label, translate(language, "stats.software"))
    return Chart(
        name, title, columns, rows, bar_chart(name, title, [(str(r[0]), int(r[1])) for r in rows])
    )


def _growth(language: str, timeline: CatalogueTimeline) -> Chart:
    months = sorted(timeline.first_seen_by_month)
    rows: list[tuple[str | int, ...]] = []
    total = 0
    for month in months:
        new = timeline.first_seen_by_month[month]
        total += new
        rows.append((month, new, total))
    title = translate(language, "stats.chart.growth")
    columns = (
        translate(language, "stats.month"),
        translate(language, "stats.new"),
        translate(language, "stats.total"),
    )
    series = {translate(language, "stats.total"): [int(row[2]) for row in rows]}
    return Chart("growth", title, columns, rows, line_chart("growth", title, months, series))


def _sources(language: str, stats: CatalogueStats, timeline: CatalogueTimeline) -> Chart:
    invalid = timeline.declared_invalid
    pairs = [
        (translate(language, "stats.declared_valid"), stats.declared - invalid),
        (translate(language, "stats.declared_invalid"), invalid),
        (translate(language, "stats.inferred"), stats.records - stats.declared),
    ]
    title = translate(language, "stats.chart.sources")
    columns = (translate(language, "stats.source"), translate(language, "stats.software"))
    return Chart("sources", title, columns, list(pairs), bar_chart("sources", title, pairs))


def _activity(language: str, timeline: CatalogueTimeline) -> Chart:
    pairs = list(timeline.activity_by_year.items())
    if timeline.no_activity:
        pairs.append((translate(language, "stats.unknown"), timeline.no_activity))
    title = translate(language, "stats.chart.activity")
    columns = (translate(language, "stats.year"), translate(language, "stats.software"))
    # Chronological, oldest at the top: bar_chart draws the first row at the top.
    return Chart("activity", title, columns, list(pairs), bar_chart("activity", title, pairs))


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""


def _crawls(language: str, history: Sequence[CrawlRun]) -> Chart:
    rows: list[tuple[str | int, ...]] = [
        (
            run.forge,
            _day(run.finished_at),
            run.status,
            int(run.stats.get("repositories", 0) or 0),
            int(run.stats.get("with_publiccode", 0) or 0),
        )
        for run in history
    ]
    days = sorted({str(row[1]) for row in rows})
    series: dict[str, list[int | None]] = {}
    for forge, day, _status, repositories, _with_file in rows:
        values = series.setdefault(str(forge), [None] * len(days))
        values[days.index(str(day))] = int(repositories)
    title = translate(language, "stats.chart.crawls")
    columns = (
        translate(language, "field.forge"),
        translate(language, "stats.finished"),
        translate(language, "stats.status"),
        translate(language, "stats.repositories"),
        translate(language, "stats.with_publiccode"),
    )
    return Chart("crawls", title, columns, rows, line_chart("crawls", title, days, series))


def organisation_labels(stats: CatalogueStats) -> dict[str, str]:
    """Organisation id of `stats.by_organisation` → its name; a name two organisations share
    gets the id appended, so their bars stay apart."""
    names = {oid: stats.organisation_names.get(oid) or oid for oid in stats.by_organisation}
    shared = Counter(names.values())
    return {oid: f"{name} ({oid})" if shared[name] > 1 else name for oid, name in names.items()}


def stats_page(stats: CatalogueStats, timeline: CatalogueTimeline, language: str) -> StatsPage:
    """All charts of the statistics page in `language` (category names localised)."""
    categories = {
        slug: vocabulary_label(language, "category", slug).text for slug in stats.by_category
    }
    charts = [
        _growth(language, timeline),
        _sources(language, stats, timeline),
        _ranking("licences", language, stats.by_licence, translate(language, "field.licence"), {}),
        _ranking(
            "languages", language, stats.by_language, translate(language, "facet.language"), {}
        ),
        _ranking(
            "categories",
            language,
            stats.by_category,
            translate(language, "facet.category"),
            categories,
        ),
        _ranking(
            "organisations",
            language,
            stats.by_organisation,
            translate(language, "field.organisation"),
            organisation_labels(stats),
        ),
        _activity(language, timeline),
        _crawls(language, stats.history),
    ]
    return StatsPage(
        records=stats.records,
        declared=stats.declared,
        forges=stats.forges,
        charts={chart.name: chart for chart in charts},
    )
