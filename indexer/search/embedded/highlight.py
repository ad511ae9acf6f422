"""Highlights: the text HTML-escaped first, then ``<mark>`` put around the words that matched."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from indexer.search.embedded.query import WordQuery
from indexer.search.text import LANGUAGES, WORD_PATTERN, contracted, fold, index_terms


def word_matcher(words: Sequence[WordQuery]) -> Callable[[str], int | None]:
    """A function telling which query word (its index) a text word matches, or None.

    Most words of a text match nothing; they are turned away by their first three letters
    before being stemmed in five languages: every form a word is indexed under (itself, its
    contracted spelling, its stems) starts with those letters, transliterations aside.
    """
    terms = [word.all_terms() for word in words]
    every = set().union(*terms)
    prefixes = [word.prefix for word in words]
    some_prefix = tuple(prefix for prefix in prefixes if prefix)
    heads = {term[:3] for term in every} | {prefix[:3] for prefix in some_prefix}
    cache: dict[str, int | None] = {}

    def match(text_word: str) -> int | None:
        if text_word in cache:
            return cache[text_word]
        folded = fold(text_word)
        if len(folded) > 4 and folded[:3] not in heads:
            short = contracted(folded[:6])
            if short is None or short[:3] not in heads:
                cache[text_word] = None
                return None
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
