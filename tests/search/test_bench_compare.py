"""The Tantivy comparison benchmark measures fairly (issue 16): CPU of child processes counted,
build order alternating across runs, medians printed."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from bench import search_compare
from indexer.search.embedded import EmbeddedSearch
from tests.search.corpus import make_record


def test_the_engine_building_first_alternates_between_runs() -> None:
    """Run 1 builds codereuse first, run 2 Tantivy first, run 3 codereuse again."""
    expected = [("codereuse", "tantivy"), ("tantivy", "codereuse"), ("codereuse", "tantivy")]
    assert expected == [search_compare.build_order(run) for run in range(3)]


def test_build_cpu_time_counts_child_processes() -> None:
    """CPU spent by a child process the build waited for is part of the build's CPU time."""
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    wall, cpu = search_compare.timed_build(lambda: subprocess.run([sys.executable, "-c", burn]))
    assert cpu >= 0.25
    assert wall >= 0.25


def test_known_items_are_read_from_the_built_index(tmp_path: Path) -> None:
    """The catalogue of names comes from the embedded index, in record order, outside the builds:
    a name two records share is not a known item, a unique one is."""
    records = [
        make_record("a", "Termin Planer"),
        make_record("b", "Termin Planer"),
        make_record("c", "Ratsinformation Sitzungsdienst"),
    ]
    database = tmp_path / "index.db"
    backend = EmbeddedSearch(database, lambda: records)
    backend.rebuild()
    backend.close()
    catalogue = search_compare._catalogue_of(database)
    assert {record.id for record in records} == set(catalogue.groups)
    items = catalogue.known_items(5)
    assert ["Ratsinformation Sitzungsdienst"] == [name for name, _, _ in items]
    assert catalogue.groups[records[2].id] == items[0][1]


def test_a_comparison_prints_each_run_and_the_median_ratios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two small runs: one line per run naming the build order, one table of medians with the
    build CPU column, and the ratio line with build CPU."""
    pytest.importorskip("tantivy")
    options = argparse.Namespace(records=200, runs=2, queries=6)
    search_compare.compare(options, ["termin", "akte", "planer", "daten", "karte", "rat"], ())
    captured = capsys.readouterr()
    assert "run 1 (codereuse first, tantivy second)" in captured.err
    assert "run 2 (tantivy first, codereuse second)" in captured.err
    assert "medians over 2 runs, build order alternating" in captured.out
    assert "| build CPU |" in captured.out
    ratio = [line for line in captured.out.splitlines() if line.startswith("ratio ")]
    assert 1 == len(ratio)
    assert ratio[0].startswith("ratio codereuse/tantivy: p50 ")
    assert " build CPU " in ratio[0]
