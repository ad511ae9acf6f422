"""Server-rendered SVG charts for the statistics page, drawn with pygal.

Why pygal: it writes SVG natively (text stays text, so charts stay sharp and small), is pure
Python without numpy, and is maintained; matplotlib's SVG backend would add tens of megabytes
and seconds of import time for eight simple bar and line charts.

How the charts stay inside the strict Content-Security-Policy: pygal's tooltips need its
JavaScript, so it is switched off (``js=[]``: the SVG holds no script and names no remote file).
pygal styles its SVG with an embedded ``<style>`` element, which the pages' policy
(``style-src 'self'``) would refuse inline, so a chart is never inlined into a page: it is its
own image resource (``<img src="/stats/charts/NAME.svg">``, allowed by ``img-src 'self'``),
served with `CHART_POLICY`, which permits only the image's own styles and nothing else. An
SVG loaded as an image never runs script in any case. Every chart has a table and a CSV
beside it with the same figures.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from xml.etree import ElementTree

import pygal
from pygal.style import Style

# pygal appends a legacy import hook to sys.meta_path (for pygal.maps plugins, unused here)
# that has no find_spec, so every later failed import in the process warns (ImportWarning on
# Python 3.11). Nothing of ours needs it: take it out again.
sys.meta_path[:] = [
    finder for finder in sys.meta_path if not isinstance(finder, pygal.PluginImportFixer)
]

CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
"""The policy of a chart's SVG document: its own embedded styles, no script, nothing fetched."""
WIDTH, HEIGHT = 720, 360
SVG = "http://www.w3.org/2000/svg"
ElementTree.register_namespace("", SVG)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1c2430",
    foreground_strong="#1c2430",
    foreground_subtle="#5b6675",
    opacity="1",
    opacity_hover="1",
    colors=("#0b5cad", "#1f7a3a", "#b3261e", "#8a5a00", "#6f42c1", "#00798c", "#5b6675"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif",
    title_font_size=18,
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    legend_font_size=16,
)


def _config(name: str) -> dict[str, object]:
    return {
        "js": [],
        "style": _STYLE,
        "width": WIDTH,
        "height": HEIGHT,
        "disable_xml_declaration": True,
        "show_legend": False,
        "print_values": False,
        "truncate_label": 40,
        "truncate_legend": 40,
        "margin": 16,
        "no_data_text": "–",
        "explicit_size": False,
        "classes": ("pygal-chart", f"chart-{name}"),
    }


def _render(chart: pygal.graph.graph.Graph, name: str) -> str:
    """The SVG text without any script, with pygal's random chart id made stable.

    pygal writes its configuration into a ``<script>`` element even with ``js=[]``; it is
    removed from the tree (not by pattern), as are comments (they carry the render date), so
    the same figures give the same bytes.
    """
    tree = ElementTree.fromstring(chart.render(is_unicode=True).replace(str(chart.uuid), name))
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG}}}script":
                parent.remove(child)
    return ElementTree.tostring(tree, encoding="unicode")


def value_labels(values: Iterable[int | None]) -> list[int]:
    """Labels of the value axis from 0 to a round number at or above the largest value, in
    steps of 1, 2 or 5 times a power of ten (at most 10 steps).

    pygal's own scale starts at the smallest value (3,000 records looked like a fall to
    nothing beside 2,961) and ends at a label below the largest one (a point at 1,003 was
    drawn above the top label 1,000).
    """
    top = max((value for value in values if value is not None), default=0)
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if -(-top // step) <= 10:
                last = max(1, -(-top // step)) * step
                return list(range(0, last + 1, step))
        magnitude *= 10


def _value_axis(values: Iterable[int | None]) -> dict[str, object]:
    """pygal's settings for `value_labels`."""
    labels = value_labels(values)
    return {"y_labels": labels, "range": (0, labels[-1])}


def bar_chart(name: str, title: str, rows: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar chart of `rows` (label, count), the first row at the top.

    `title` names the series (the page's heading above the image titles the chart).
    """
    ordered = list(reversed(rows))  # pygal draws the first value at the bottom
    chart = pygal.HorizontalBar(**_config(name), **_value_axis(count for _, count in ordered))
    chart.x_labels = [label for label, _ in ordered]
    chart.add(title, [count for _, count in ordered])
    return _render(chart, name)


def line_chart(
    name: str, title: str, x_labels: Sequence[str], series: Mapping[str, Sequence[int | None]]
) -> str:
    """A line chart: one line per entry of `series` over `x_labels` (None leaves a gap)."""
    chart = pygal.Line(
        **{**_config(name), "show_legend": len(series) > 1},
        x_label_rotation=30,
        show_minor_x_labels=False,
        legend_at_bottom=True,
        dots_size=3,
        # pygal fails on labels for a chart without any series (it draws "no data" then)
        **(_value_axis(v for values in series.values() for v in values) if series else {}),
    )
    chart.x_labels = list(x_labels)
    step = max(1, len(x_labels) // 12)
    chart.x_labels_major = list(x_labels)[::step]
    for label, values in series.items():
        chart.add(label, list(values))
    return _render(chart, name)
