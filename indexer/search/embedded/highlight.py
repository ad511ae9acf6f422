"""Highlights: the text HTML-escaped first, then ``<mark>`` put around the words that matched."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from html import escape
from itertools import compress, filterfalse, repeat
from operator import is_not

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
_EPOCH = [0]  # bumped when `learn` forgets every word (`_FORMS_LIMIT`)
_LOCK = threading.Lock()
"""Held while `learn` adds words and while a `_Snapshot` copies them: backends of one process
(each with a lock of its own) share these tables."""


def learn(folded: Iterable[str]) -> list[str]:
    """Analyse the folded words not seen before (index terms in `_FORMS` and `_BY_TERM`);
    returns the words analysed now.

    The backend passes the index vocabulary when it loads it, so that searches find the words
    of their pages analysed already (at 100,000 records, about 0.3 s once per index generation).
    """
    wanted = set(folded)
    with _LOCK:
        new = wanted.difference(_FORMS)
        if not new:
            return []
        if len(_FORMS) + len(new) > _FORMS_LIMIT:
            _FORMS.clear()
            _BY_TERM.clear()
            _EPOCH[0] += 1
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


class _Snapshot:
    """The analysed words and their index terms, sorted, at one moment: the words whose terms
    start with a prefix are those of a range of `terms` (`bisect`), found without testing the
    words of a page one by one."""

    def __init__(self) -> None:
        self.epoch = _EPOCH[0]
        self.words = frozenset(_FORMS)
        self.terms = sorted(_BY_TERM)

    def starting(self, prefix: str) -> list[str]:
        """The words of this snapshot holding an index term that starts with `prefix`."""
        terms = self.terms
        low = bisect_left(terms, prefix)
        high = bisect_left(terms, prefix + _LAST, low)
        found: list[str] = []
        for term in terms[low:high]:
            found += _BY_TERM.get(term, ())
        return found


_SNAPSHOT: list[_Snapshot] = []
_LAST = "\U0010ffff"


def snapshot(*, renew: bool = False) -> _Snapshot:
    """The current `_Snapshot`, taken anew when `renew` is set, when the words analysed since
    the last one are many (more than a quarter of it, and at least 1,000) or when `learn`
    forgot them all. The backend asks for one right after `learn` of the index vocabulary,
    so searches find it made; words analysed later are decided one by one until the next."""
    with _LOCK:
        current = _SNAPSHOT[0] if _SNAPSHOT else None
        if (
            renew
            or current is None
            or current.epoch != _EPOCH[0]
            or len(_FORMS) - len(current.words) > max(1000, len(current.words) // 4)
        ):
            current = _Snapshot()
            _SNAPSHOT[:] = [current]
        return current


class WordMatcher(dict[str, int | None]):
    """Which query word (its index) a text word matches, or None; calling it or indexing it asks.

    A dict of the answers so far: texts are mapped over it in C (``map(matcher.__getitem__,
    words)``). `prepare` answers for many words at once. Once per search the folded words
    each query word matches are found from its terms (`_BY_TERM`) and, for a prefix being
    typed, from the range of index terms starting with it (`_Snapshot`); a text word is then
    decided by looking its folded form up, in C, with no step per word in Python. Words the
    snapshot lacks (not analysed when it was taken) are analysed (`learn`) and decided by their
    own terms. A word not prepared runs `__missing__`, which prepares it alone.
    """

    def __init__(self, words: Sequence[WordQuery]) -> None:
        super().__init__()
        # term → the first query word matching it (a text word holding terms of several query
        # words answers the first)
        self._term_index: dict[str, int] = {}
        for index, word in enumerate(words):
            for term in word.all_terms():
                self._term_index.setdefault(term, index)
        self._prefixes = [(index, word.prefix) for index, word in enumerate(words) if word.prefix]
        self._decided: tuple[_Snapshot, dict[str, int]] | None = None

    def __call__(self, text_word: str) -> int | None:
        return self[text_word]

    def __missing__(self, text_word: str) -> int | None:
        self.prepare({text_word})
        return dict.__getitem__(self, text_word)

    def prepare(self, text_words: Iterable[str]) -> None:
        """Decide, in bulk, which query word each of `text_words` matches."""
        fresh = set(text_words).difference(self)
        if not fresh:
            return
        current, decided = self._decisions()
        # `fold` of an ASCII word is its lower case: computed in place rather than looked up.
        plain = list(filter(str.isascii, fresh))
        new = plain + list(filterfalse(str.isascii, fresh)) if len(plain) < len(fresh) else plain
        folded = list(map(str.lower, plain)) + list(map(fold, new[len(plain) :]))
        self.update(zip(new, map(decided.get, folded), strict=True))
        outside = set(folded).difference(current.words)
        if not outside:
            return
        # Words analysed after the snapshot (or never): decided by their own terms.
        learn(outside)
        own = {word: self._own_decision(word) for word in outside}
        for text_word, form in zip(new, folded, strict=True):
            if form in own:
                self[text_word] = own[form]

    def _own_decision(self, folded: str) -> int | None:
        """The query word an analysed word matches, from its own terms (`_FORMS`)."""
        form = _FORMS[folded]
        term_index = self._term_index
        indexes = [term_index[term] for term in form.split() if term in term_index]
        # " prefix" occurs in " term term …" exactly when a term starts with the prefix
        indexes += [index for index, prefix in self._prefixes if f" {prefix}" in form]
        return min(indexes) if indexes else None

    def _decisions(self) -> tuple[_Snapshot, dict[str, int]]:
        """Folded words of the snapshot holding a term of a query word, or one starting with a
        query word's prefix → the first such query word; made once per search (a search
        prepares the words of several pages: proximity, then the hits)."""
        if self._decided is None:
            current = snapshot()
            decided: dict[str, int] = {}
            by_term = _BY_TERM
            for term, index in self._term_index.items():
                for word in by_term.get(term, ()):
                    found = decided.get(word)
                    if found is None or index < found:
                        decided[word] = index
            for index, prefix in self._prefixes:
                for word in current.starting(prefix):
                    found = decided.get(word)
                    if found is None or index < found:
                        decided[word] = index
            self._decided = current, decided
        return self._decided


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
    # Only the matched words are visited (picked in C), not every word of the text.
    for position in compress(range(1, len(parts), 2), map(is_not, found, repeat(None))):
        pieces[position] = f"<mark>{pieces[position]}</mark>"
    return "".join(pieces)
