"""The judged relevance set (``relevance.yml``): each query's named records rank in the top 3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from indexer.search.protocol import SearchBackend
from tests.search.conftest import RELEVANCE_RESULTS

JUDGEMENTS = Path(__file__).with_name("relevance.yml")


def _judgements() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8"))
    return entries


def _repository(record_id: str) -> str:
    """``owner/repo`` of a record id (``host/owner/repo``)."""
    return record_id.split("/", 1)[1]


def test_the_set_is_large_and_varied() -> None:
    """At least 40 judged queries, with German and English ones, typos and prefixes."""
    entries = _judgements()
    whys = " ".join(entry["why"] for entry in entries)
    assert len(entries) >= 40
    assert all(entry["top3"] for entry in entries)
    for kind in ("compound", "typo", "prefix", "umlaut", "missing"):
        assert kind in whys


def test_every_judged_query_finds_its_records_in_the_top_three(
    backend: SearchBackend, backend_name: str
) -> None:
    """Each query of relevance.yml has all its judged records among the first three hits."""
    failures = []
    entries = _judgements()
    for entry in entries:
        hits = backend.search(entry["query"], per_page=3).hits
        top = {_repository(hit.id) for hit in hits}
        for wanted in entry["top3"]:
            options = wanted if isinstance(wanted, list) else [wanted]
            if not top & set(options):
                failures.append(f"{entry['query']!r}: {options} not in top 3 {sorted(top)}")
                break
    RELEVANCE_RESULTS[backend_name] = (len(entries) - len(failures), len(entries))
    assert [] == failures
