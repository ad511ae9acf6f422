"""Did-you-mean over a vocabulary: the same suggestions with its candidate pools kept."""

from __future__ import annotations

from collections import defaultdict

from indexer.search.embedded.query import _length_pool, did_you_mean
from indexer.search.embedded.state import Vocabulary


def _vocabulary(words: list[str]) -> Vocabulary:
    by_length: dict[int, list[str]] = defaultdict(list)
    for word in words:
        by_length[len(word)].append(word)
    return Vocabulary(set(words), {}, {}, "\n", [], dict(by_length))


def test_suggestions_repeat_with_the_pool_kept() -> None:
    """The closest index word is suggested for each unknown word, the same on a second search,
    whose candidates come from the pool kept by the first (words of nearby lengths, in order)."""
    vocabulary = _vocabulary(["verwaltung", "portal", "plattform", "termin", "terminal", "akte"])
    first = did_you_mean(["verwaltnug", "portla", "akte"], vocabulary)
    pool = _length_pool(6, 2, vocabulary)
    assert ["verwaltung", "portal", "akte"] == first
    assert first == did_you_mean(["verwaltnug", "portla", "akte"], vocabulary)
    assert pool is _length_pool(6, 2, vocabulary)
    assert ["akte", "portal", "termin", "terminal"] == pool
    assert did_you_mean(["qqqqqq"], vocabulary) is None
