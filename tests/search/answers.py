"""Answers of the embedded backend to the benchmark's query mix on a small synthetic catalogue,
as one digest per query: what `test_answers.py` compares after speed work.

Regenerate (only when a change is meant to alter answers) with
``.venv/bin/python -m tests.search.answers > tests/search/data/answers.txt``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

RECORDS = 2_000
QUERIES = 150
FACETS = ("licence", "category", "organisation", "forge", "software_type", "development_status")


def answers() -> Iterator[tuple[str, str]]:
    """``(query, digest of its answer)``: hit ids, highlights and flags, both totals, facet
    counts, also-searched and did-you-mean, for the first two pages."""
    from bench.catalogue import synthetic_records
    from bench.search import query_mix
    from indexer.search.embedded import EmbeddedSearch

    with tempfile.TemporaryDirectory() as directory:
        backend = EmbeddedSearch(Path(directory) / "answers.db", lambda: synthetic_records(RECORDS))
        try:
            backend.rebuild()
            for query in query_mix(QUERIES):
                pages = []
                for page in (1, 2):
                    result = backend.search(query, facets=FACETS, page=page, per_page=10)
                    pages.append(
                        {
                            "hits": [
                                [hit.id, dict(hit.highlights), hit.partial] for hit in result.hits
                            ],
                            "total": result.total,
                            "partial_total": result.partial_total,
                            "facets": {
                                name: dict(counts) for name, counts in result.facets.items()
                            },
                            "also": list(result.also_searched),
                            "did_you_mean": result.did_you_mean,
                        }
                    )
                text = json.dumps(pages, sort_keys=True, ensure_ascii=False)
                yield query, hashlib.sha256(text.encode()).hexdigest()[:16]
        finally:
            backend.close()


if __name__ == "__main__":
    for query, digest in answers():
        print(f"{digest} {query}")
