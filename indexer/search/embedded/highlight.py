"""Highlights: the text HTML-escaped first, then ``<mark>`` put around the words that matched."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from indexer.search.embedded.query import WordQuery
from indexer.search.text import LANGUAGES, WORD_PATTERN, fold, index_terms


def word_matcher(words: Sequence[WordQuery]) -> Callable[[str], int | None]:
    """A function telling which query word (its index) a text word matches, or None."""
    terms = [word.all_terms() for word in words]
    every = set().union(*terms)
    prefixes = [word.prefix for word in words]
    some_prefix = tuple(prefix for prefix in prefixes if prefix)
    cache: dict[str, int | None] = {}

    def match(text_word: str) -> int | None:
        if text_word in cache:
            return cache[text_word]
        folded = fold(text_word)
        found: int | None = None
        forms = index_terms(folded, LANGUAGES)
        if every.isdisjoint(forms) and not (
            some_prefix and any(form.startswith(some_prefix) for form in forms)
        ):
            cache[text_word] = None
            return None
        for index, word_terms in enumerate(terms):
            prefix = prefixes[index]
            if (
                folded in word_terms
                or not word_terms.isdisjoint(forms)
                or (prefix and any(form.startswith(prefix) for form in forms))
            ):
                found = index
                break
        cache[text_word] = found
        return found

    return match


def highlight(text: str, matches: Callable[[str], int | None]) -> str | None:
    """`text` escaped with ``<mark>`` around matching words, or None when nothing matched."""
    pieces: list[str] = []
    position = 0
    marked = False
    for found in WORD_PATTERN.finditer(text):
        word = found.group()
        if matches(word) is None:
            continue
        start, end = found.span()
        pieces.append(escape(text[position:start]))
        pieces.append(f"<mark>{escape(word)}</mark>")
        position = end
        marked = True
    if not marked:
        return None
    pieces.append(escape(text[position:]))
    return "".join(pieces)
