"""Highlights: the text HTML-escaped first, then ``<mark>`` put around the words that matched."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from html import escape
from itertools import accumulate

from indexer.search.embedded.query import WordQuery
from indexer.search.text import WORD_PATTERN, fold, index_terms_many

_FORMS: dict[str, str] = {}
"""Folded word → its index terms as ``" term term …"`` (for prefix tests), for every word
analysed so far by this process (a catalogue repeats its words: each is stemmed once, not once
per search)."""
_BY_TERM: dict[str, list[str]] = {}
"""Index term → the folded words in `_FORMS` that have it: a search finds the words its terms
match by looking its terms up here, instead of testing every word of a page against them."""
_FORMS_LIMIT = 200_000


def learn(folded: Iterable[str]) -> list[str]:
    """Analyse the folded words not seen before (index terms in `_FORMS` and `_BY_TERM`);
    returns the words analysed now.

    The backend passes the index vocabulary when it loads it, so that searches find the words
    of their pages analysed already (at 100,000 records, about 0.3 s once per index generation).
    """
    wanted = set(folded)
    new = wanted.difference(_FORMS)
    if len(_FORMS) + len(new) > _FORMS_LIMIT:
        _FORMS.clear()
        _BY_TERM.clear()
        new = wanted
    by_term = _BY_TERM
    words = list(new)
    for word, terms in zip(words, index_terms_many(words), strict=True):
        _FORMS[word] = " " + " ".join(terms)
        for term in terms:
            holders = by_term.get(term)
            if holders is None:
                by_term[term] = [word]
            else:
                holders.append(word)
    return words


class WordMatcher(dict[str, int | None]):
    """Which query word (its index) a text word matches, or None; calling it or indexing it asks.

    A dict of the answers so far: texts are mapped over it in C (``map(matcher.__getitem__,
    words)``). `prepare` answers for many words at once: the words not analysed before get
    their index terms (itself, its contracted spelling, its stems; see `learn`), and the words
    each query word matches are looked up by its terms (`_BY_TERM`) rather than each text word
    tested against every query word; only the prefix being typed is tested word by word. A word
    not prepared runs `__missing__`, which prepares it alone.
    """

    def __init__(self, words: Sequence[WordQuery]) -> None:
        super().__init__()
        # term → the first query word matching it (a text word holding terms of several query
        # words answers the first)
        self._term_index: dict[str, int] = {}
        for index, word in enumerate(words):
            for term in word.all_terms():
                self._term_index.setdefault(term, index)
        # " prefix" occurs in " term term …" exactly when a term starts with the prefix
        self._prefixes = [
            (index, f" {word.prefix}") for index, word in enumerate(words) if word.prefix
        ]
        self._known: dict[str, int] | None = None

    def __call__(self, text_word: str) -> int | None:
        return self[text_word]

    def __missing__(self, text_word: str) -> int | None:
        self.prepare({text_word})
        return dict.__getitem__(self, text_word)

    def prepare(self, text_words: Iterable[str]) -> None:
        """Decide, in bulk, which query word each of `text_words` matches."""
        new = set(text_words).difference(self)
        if not new:
            return
        folded = dict(zip(new, map(fold, new), strict=True))
        distinct = set(folded.values())
        analysed = learn(distinct)
        known = self._known_words()
        decided = {word: known.get(word) for word in distinct}
        # Words analysed after `_known_words` was made: decided by their own terms.
        term_index = self._term_index
        for word in analysed:
            if word in decided and word not in known:
                indexes = [term_index[t] for t in _FORMS[word].split() if t in term_index]
                decided[word] = min(indexes) if indexes else None
        if self._prefixes:
            self._decide_prefixes(list(distinct), decided)
        self.update({word: decided[form] for word, form in folded.items()})

    def _decide_prefixes(self, words: list[str], decided: dict[str, int | None]) -> None:
        """Let each of `words` whose terms start with a query word's prefix match that query
        word, when it matches no earlier one: the words' terms are searched as one text."""
        forms = list(map(_FORMS.__getitem__, words))
        text = "\n".join(forms)  # each form is " term term …"
        ends = list(accumulate(len(form) + 1 for form in forms))  # where each word's line ends
        for index, prefix in self._prefixes:
            position = text.find(prefix)
            while position >= 0:
                line = bisect_right(ends, position)
                word = words[line]
                current = decided[word]
                if current is None or index < current:
                    decided[word] = index
                position = text.find(prefix, ends[line])

    def _known_words(self) -> dict[str, int]:
        """Analysed words holding a term of a query word → the first such query word; made once
        per search (a search prepares the words of several pages: proximity, then the hits)."""
        if self._known is None:
            known: dict[str, int] = {}
            by_term = _BY_TERM
            for term, index in self._term_index.items():
                for word in by_term.get(term, ()):
                    current = known.get(word)
                    if current is None or index < current:
                        known[word] = index
            self._known = known
        return self._known


def word_matcher(words: Sequence[WordQuery]) -> WordMatcher:
    """The `WordMatcher` of one search's query words."""
    return WordMatcher(words)


_SPLIT = re.compile(f"({WORD_PATTERN.pattern})")
_HTML_SPECIAL = re.compile("[&<>\"']")  # what `html.escape` replaces


def split_words(text: str) -> list[str]:
    """`text` split into separators (even positions) and words (odd positions)."""
    return _SPLIT.split(text)


def highlight(text: str, matches: WordMatcher, parts: list[str] | None = None) -> str | None:
    """`text` escaped with ``<mark>`` around matching words, or None when nothing matched.

    `parts` is ``split_words(text)`` when the caller has it already (to `prepare` the matcher
    for the words of many texts at once).
    """
    if parts is None:
        parts = _SPLIT.split(text)  # separators at even positions, words at odd ones
    found = list(map(matches.__getitem__, parts[1::2]))
    if found.count(None) == len(found):
        return None
    # Words are letters and digits only: just the separators can need escaping.
    pieces = list(parts)
    if _HTML_SPECIAL.search("".join(parts[0::2])):
        pieces[0::2] = map(escape, parts[0::2])
    for position, index in enumerate(found):
        if index is not None:
            pieces[2 * position + 1] = f"<mark>{pieces[2 * position + 1]}</mark>"
    return "".join(pieces)
