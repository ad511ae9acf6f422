"""Highlights: the text HTML-escaped first, then ``<mark>`` put around the words that matched."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from indexer.search.embedded.query import WordQuery
from indexer.search.text import LANGUAGES, WORD_PATTERN, fold, index_terms

_FORMS: dict[str, tuple[frozenset[str], str]] = {}
_FORMS_LIMIT = 200_000


def _forms(text_word: str) -> tuple[frozenset[str], str]:
    """The index terms of a text word, as a set and as ``" term term …"`` for prefix tests.

    Shared by every search of the process (a catalogue repeats its words): a word is folded and
    stemmed once, not once per search.
    """
    found = _FORMS.get(text_word)
    if found is None:
        if len(_FORMS) >= _FORMS_LIMIT:
            _FORMS.clear()
        terms = index_terms(fold(text_word), LANGUAGES)
        found = _FORMS[text_word] = (frozenset(terms), " " + " ".join(terms))
    return found


class WordMatcher(dict[str, int | None]):
    """Which query word (its index) a text word matches, or None; calling it or indexing it asks.

    A dict of the answers so far: texts are mapped over it in C (``map(matcher.__getitem__,
    words)``), and only a word not seen before in this search runs `__missing__`, which tests
    the word's index terms (itself, its contracted spelling, its stems; see `_forms`) against
    the terms each query word matches and the prefix being typed.
    """

    def __init__(self, words: Sequence[WordQuery]) -> None:
        super().__init__()
        self._terms = [word.all_terms() for word in words]
        self._every: set[str] = set().union(*self._terms)
        # " prefix" occurs in " term term …" exactly when a term starts with the prefix
        self._prefixes = [f" {word.prefix}" if word.prefix else None for word in words]
        self._some_prefix = [prefix for prefix in self._prefixes if prefix]

    def __call__(self, text_word: str) -> int | None:
        return self[text_word]

    def __missing__(self, text_word: str) -> int | None:
        found = self._match(text_word)
        self[text_word] = found
        return found

    def _match(self, text_word: str) -> int | None:
        forms, joined = _forms(text_word)
        if self._every.isdisjoint(forms) and not any(p in joined for p in self._some_prefix):
            return None
        for index, word_terms in enumerate(self._terms):
            prefix = self._prefixes[index]
            if not word_terms.isdisjoint(forms) or (prefix and prefix in joined):
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
