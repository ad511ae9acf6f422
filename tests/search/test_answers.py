"""The embedded backend's answers stay the same through speed work (issue 16)."""

from __future__ import annotations

from pathlib import Path

from tests.search.answers import answers

EXPECTED = Path(__file__).parent / "data" / "answers.txt"


def test_answers_to_the_benchmark_queries_are_unchanged() -> None:
    """The benchmark's query mix on 2,000 synthetic records gets the recorded answers: the same
    hits in the same order, highlights, partial flags, both totals, facet counts, synonyms
    searched and did-you-mean (one digest per query; see `tests.search.answers`)."""
    expected = EXPECTED.read_text(encoding="utf-8").splitlines()
    assert expected == [f"{digest} {query}" for query, digest in answers()]
