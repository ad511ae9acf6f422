"""The judged relevance set (``relevance.yml``): each query's named records rank in the top 3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from indexer.search.protocol import SearchBackend, SearchResult
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
    assert all(entry["top3"] or entry.get("did_you_mean") for entry in entries)
    for kind in ("compound", "typo", "prefix", "umlaut", "missing", "synonym", "partial"):
        assert kind in whys


def test_every_judged_query_finds_its_records_in_the_top_three(
    backend: SearchBackend, backend_name: str
) -> None:
    """Each query of relevance.yml has all its judged records among the first three hits."""
    failures = []
    entries = _judgements()
    for entry in entries:
        result = backend.search(entry["query"], per_page=3)
        failures += _answer_failures(entry, result, backend, backend_name)
        top = {_repository(hit.id) for hit in result.hits}
        for wanted in entry["top3"]:
            options = wanted if isinstance(wanted, list) else [wanted]
            if not top & set(options):
                failures.append(f"{entry['query']!r}: {options} not in top 3 {sorted(top)}")
                break
    RELEVANCE_RESULTS[backend_name] = (len(entries) - len(failures), len(entries))
    assert [] == failures


def _answer_failures(
    entry: dict[str, Any], result: SearchResult, backend: SearchBackend, backend_name: str
) -> list[str]:
    """What the optional checks of `entry` (also_searched, did_you_mean, all_words, partial) find wrong."""
    query, found = entry["query"], []
    missing = set(entry.get("also_searched", ())) - set(result.also_searched)
    if missing:
        found.append(
            f"{query!r}: also_searched {list(result.also_searched)} lacks {sorted(missing)}"
        )
    # Meilisearch offers no suggestions (its vocabulary is not readable), so it is not judged.
    suggests = backend_name == "embedded"
    if suggests and "did_you_mean" in entry and entry["did_you_mean"] != result.did_you_mean:
        found.append(f"{query!r}: did_you_mean {result.did_you_mean!r}")
    if entry.get("all_words") and result.partial_total:
        found.append(f"{query!r}: {result.partial_total} partial matches")
    if entry.get("partial"):
        flags = [hit.partial for hit in backend.search(query, per_page=100).hits]
        if not result.partial_total or flags != sorted(flags):
            found.append(f"{query!r}: partial matches missing or not after the full ones")
    return found
