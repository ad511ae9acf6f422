"""The statistics page: SVG charts from our origin with tables and CSVs, the timeseries API,
and figures computed once per catalogue state."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from api.stats_view import CHART_NAMES
from indexer.store import Store
from tests.api.client import AppClient
from tests.api.records import make_record


@pytest.mark.parametrize(("language", "heading"), [("de", "Statistik"), ("en", "Statistics")])
def test_stats_page_has_every_chart_with_table_and_csv(
    client: AppClient, language: str, heading: str
) -> None:
    """Each chart with figures is a same-origin SVG image with alt text; one without figures
    (no crawl recorded in this catalogue) says so instead of drawing empty axes; every chart
    has a table and a CSV link."""
    html = client.get(f"/stats?lang={language}").text
    assert f"<h1>{heading}</h1>" in html
    images = re.findall(r'<img class="chart" src="([^"]+)" alt="([^"]+)"', html)
    drawn = [name for name in CHART_NAMES if name != "crawls"]
    assert [f"/stats/charts/{name}.svg?lang={language}" for name in drawn] == [
        src for src, _ in images
    ]
    assert all(alt.strip() for _, alt in images)
    assert len(CHART_NAMES) == html.count("<table>") == html.count(".csv?lang=")
    crawls = re.search(
        r'<section class="stat" aria-labelledby="chart-crawls">.*?</section>', html, re.S
    )
    no_data = {"de": "Noch keine Zahlen.", "en": "No figures yet."}[language]
    assert crawls is not None and f'<p class="muted">{no_data}</p>' in crawls.group(0)


def test_category_ranking_is_localised(client: AppClient) -> None:
    """The categories chart's table names categories in the page language."""
    assert "Dokumentenmanagement" in client.get("/stats?lang=de").text


def test_chart_svg_holds_no_script_and_fetches_nothing(client: AppClient) -> None:
    """A chart is an SVG image with no script, no remote reference and a no-script policy."""
    response = client.get("/stats/charts/licences.svg?lang=en")
    svg = response.text
    assert "image/svg+xml" == response.headers["content-type"]
    assert "<script" not in svg and 'xlink:href="http' not in svg and "@import" not in svg
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert "EUPL-1.2" in svg


def test_chart_csv_has_the_table_figures(client: AppClient) -> None:
    """The licences CSV has a header and one row per licence, most first."""
    text = client.get("/stats/licences.csv?lang=en").text
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Licence", "Software"] == rows[0]
    assert ["EUPL-1.2", "3"] == rows[1]


def test_unknown_chart_is_a_404(client: AppClient) -> None:
    """A chart name outside the page's charts answers 404."""
    assert 404 == client.get("/stats/charts/secrets.svg").status_code


def test_timeseries_api(client: AppClient) -> None:
    """The timeseries gives months with running totals, activity years and crawls."""
    body = client.get("/api/v1/stats/timeseries").json()
    assert body["first_seen"][-1]["total"] == sum(m["new"] for m in body["first_seen"])
    assert {"2024": 1, "2026": 4} == {y["year"]: y["records"] for y in body["last_activity"]}
    assert [] == body["crawls"]


def test_figures_are_computed_once_per_change_position(
    client: AppClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Repeated views reuse the figures; a changed catalogue computes them afresh."""
    calls: list[str] = []
    original = store.timeline

    def counted() -> Any:
        calls.append("timeline")
        return original()

    monkeypatch.setattr(store, "timeline", counted)
    client.get("/stats?lang=en")
    client.get("/stats/charts/growth.svg?lang=en")
    client.get("/api/v1/stats/timeseries")
    assert ["timeline"] == calls
    store.upsert_records([make_record("https://gitlab.opencode.de/neu/app", "Neue App")])
    assert "6 pieces of software" in client.get("/stats?lang=en").text
    assert ["timeline", "timeline"] == calls


@pytest.mark.browser
@pytest.mark.parametrize("language", ["de", "en"])
def test_charts_load_in_chromium_and_tables_open(page: Any, base_url: str, language: str) -> None:
    """In chromium every chart image loads from our origin and its table opens below it."""
    page.goto(f"{base_url}/stats?lang={language}")
    images = page.locator("img.chart")
    assert len(CHART_NAMES) - 1 == images.count()  # no crawl recorded: that chart says so
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
        loaded = images.nth(index).evaluate("(img) => img.decode().then(() => img.naturalWidth)")
        assert loaded > 0
    first_table = page.locator("details.stat-table").first
    first_table.locator("summary").click()
    assert first_table.locator("table tbody tr").first.is_visible()


def test_organisations_of_the_same_name_get_their_own_bars() -> None:
    """The organisations chart ranks by organisation id and labels by name; a name two
    organisations share carries the id, so the two rows stay apart."""
    from api.stats_view import organisation_labels, stats_page
    from indexer.store import CatalogueStats, CatalogueTimeline

    stats = CatalogueStats(
        records=4,
        declared=4,
        valid=4,
        forges=1,
        repositories=4,
        by_forge={"lab": 4},
        by_organisation={"tooi:gm0363": 2, "ipa:c_a123": 1, "name:kreis-d": 1},
        by_licence={},
        by_language={},
        by_category={},
        history=[],
        organisation_names={
            "tooi:gm0363": "Stadt A",
            "ipa:c_a123": "Stadt A",
            "name:kreis-d": "Kreis D",
        },
    )
    assert {
        "tooi:gm0363": "Stadt A (tooi:gm0363)",
        "ipa:c_a123": "Stadt A (ipa:c_a123)",
        "name:kreis-d": "Kreis D",
    } == organisation_labels(stats)
    timeline = CatalogueTimeline({}, {}, 0, 0)
    rows = stats_page(stats, timeline, "en").charts["organisations"].rows
    assert [("Stadt A (tooi:gm0363)", 2), ("Stadt A (ipa:c_a123)", 1), ("Kreis D", 1)] == rows


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        ([3, 1003, 500], ["0", "200", "400", "600", "800", "1000", "1200"]),
        ([2961, 3000, 2990], ["0", "500", "1000", "1500", "2000", "2500", "3000"]),
        ([None, 5, None], ["0", "1", "2", "3", "4", "5"]),
        ([None], ["0", "1"]),
    ],
)
def test_the_value_axis_starts_at_zero_and_reaches_the_largest_value(
    values: list[int | None], labels: list[str]
) -> None:
    """A line chart's value axis runs from 0 to a round label at or above its largest value:
    pygal's own scale drew a point at 1,003 above its top label 1,000 and started 3,000
    records' axis at 2,964, so a dip to 2,961 looked like a fall to nothing."""
    from xml.etree import ElementTree

    from api.charts import line_chart

    svg = ElementTree.fromstring(
        line_chart("crawls", "Crawls", ["a", "b", "c"][: len(values)], {"x": values})
    )
    axis = next(
        g
        for g in svg.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class", "").startswith("axis y")
    )
    assert labels == [text.text for text in axis.iter("{http://www.w3.org/2000/svg}text")]
