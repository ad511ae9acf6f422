"""Highlights: the text HTML-escaped first, then ``<mark>`` put around the words that matched."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from indexer.search.embedded.query import WordQuery
from indexer.search.text import LANGUAGES, WORD_PATTERN, contracted, fold, index_terms


class WordMatcher(dict[str, int | None]):
    """Which query word (its index) a text word matches, or None; calling it or indexing it asks.

    A dict of the answers so far: texts are mapped over it in C (``map(matcher.__getitem__,
    words)``), and only a word not seen before in this search runs `__missing__`. Most words of
    a text match nothing; they are turned away by their first three letters before being
    stemmed in five languages: every form a word is indexed under (itself, its contracted
    spelling, its stems) starts with those letters, transliterations aside.
    """

    def __init__(self, words: Sequence[WordQuery]) -> None:
        super().__init__()
        self._terms = [word.all_terms() for word in words]
        self._every: set[str] = set().union(*self._terms)
        self._prefixes = [word.prefix for word in words]
        self._some_prefix = tuple(prefix for prefix in self._prefixes if prefix)
        self._heads = {term[:3] for term in self._every} | {p[:3] for p in self._some_prefix}

    def __call__(self, text_word: str) -> int | None:
        return self[text_word]

    def __missing__(self, text_word: str) -> int | None:
        found = self._match(text_word)
        self[text_word] = found
        return found

    def _match(self, text_word: str) -> int | None:
        folded = fold(text_word)
        if len(folded) > 4 and folded[:3] not in self._heads:
            short = contracted(folded[:6])
            if short is None or short[:3] not in self._heads:
                return None
        forms = index_terms(folded, LANGUAGES)
        some_prefix = self._some_prefix
        if self._every.isdisjoint(forms) and not (
            some_prefix and any(form.startswith(some_prefix) for form in forms)
        ):
            return None
        for index, word_terms in enumerate(self._terms):
            prefix = self._prefixes[index]
            if (
                folded in word_terms
                or not word_terms.isdisjoint(forms)
                or (prefix and any(form.startswith(prefix) for form in forms))
            ):
                return index
        return None


def word_matcher(words: Sequence[WordQuery]) -> WordMatcher:
    """The `WordMatcher` of one search's query words."""
    return WordMatcher(words)


_SPLIT = re.compile(f"({WORD_PATTERN.pattern})")


def highlight(text: str, matches: WordMatcher) -> str | None:
    """`text` escaped with ``<mark>`` around matching words, or None when nothing matched."""
    parts = _SPLIT.split(text)  # separators at even positions, words at odd ones
    found = list(map(matches.__getitem__, parts[1::2]))
    if found.count(None) == len(found):
        return None
    pieces = [escape(part) for part in parts]
    for position, index in enumerate(found):
        if index is not None:
            pieces[2 * position + 1] = f"<mark>{pieces[2 * position + 1]}</mark>"
    return "".join(pieces)
