"""From the user's query text to index terms per query word, grouped by how they match.

The text is only ever split into words (letters and digits); quotes, ``*``, ``NEAR(``,
``AND``/``OR``/``NOT``, ``name:`` and SQL fragments are plain words or separators. Postings are
looked up by these folded words alone, as bound SQL parameters, so no user text reaches any
query syntax.

Each query word expands into groups (`WordQuery`):

- ``exact``: the folded word and its contracted German form (``buerger`` → ``burger``);
- ``derived``: its stems in every supported language, German compounds holding it
  (``beteiligung`` → ``burgerbeteiligungsplattform``) and, for the last word when the user is
  still typing, a prefix;
- ``typos[1]``, ``typos[2]``: vocabulary words at that typo cost (Meilisearch's rules,
  `text.max_typos`), with their stems;
- ``alternatives``: sets of words that together stand for the query word (`Alternative`):
  its compound parts written apart, or a multi-word synonym (see `embedded.widen`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.search.embedded.state import Vocabulary
from indexer.search.text import (
    LANGUAGES,
    MIN_COMPOUND_PART,
    compound_parts_match,
    contracted,
    index_terms,
    max_typos,
    stem,
    words,
)

MAX_QUERY_WORDS = 10  # as Meilisearch: later words are ignored
MAX_COMPOUNDS = 100  # compounds holding one query word that are searched (shortest first)
MAX_TYPO_CANDIDATES = 12
MIN_PREFIX = 2  # a one-letter prefix would match nearly everything


@dataclass
class Alternative:
    """Records holding every part (each part: any of its terms) also match the query word, at
    typo level `level` (1 for compound parts written apart: ranked below the compound itself,
    as Meilisearch ranks split words like a typo; 0 for synonyms)."""

    parts: list[set[str]]
    level: int


@dataclass
class WordQuery:
    """One query word and the index terms it matches, by group."""

    word: str
    exact: set[str] = field(default_factory=set)
    derived: set[str] = field(default_factory=set)
    prefix: str | None = None
    typos: dict[int, set[str]] = field(default_factory=dict)
    alternatives: list[Alternative] = field(default_factory=list)
    typo_words: list[str] = field(
        default_factory=list
    )  # index words within the typo budget, best first

    def groups(self) -> list[tuple[str, set[str], str | None]]:
        """``(group name, terms, prefix)`` for each non-empty group, best first."""
        found: list[tuple[str, set[str], str | None]] = [("exact", self.exact, None)]
        derived = self.derived - self.exact
        if derived or self.prefix:
            found.append(("derived", derived, self.prefix))
        for cost in sorted(self.typos):
            terms = self.typos[cost] - self.exact - self.derived
            if terms:
                found.append((f"typo{cost}", terms, None))
        return found

    def all_terms(self) -> set[str]:
        """The terms this word matches that highlights mark (and proximity counts)."""
        terms = self.exact | self.derived
        for more in self.typos.values():
            terms |= more
        for alternative in self.alternatives:
            # The word's own parts written apart are marked; a synonym phrase's words alone
            # ("form" of "form builder") say too little to mark or to count for proximity.
            if alternative.level:
                terms = terms.union(*alternative.parts)
        return terms


def query_words(query: str) -> tuple[list[str], bool]:
    """The folded words of `query` (at most `MAX_QUERY_WORDS`) and whether the last is a prefix."""
    found = words(query)[:MAX_QUERY_WORDS]
    typing = bool(found) and not query[-1:].isspace() and len(words(query)) <= MAX_QUERY_WORDS
    return found, typing


def expand(word: str, vocabulary: Vocabulary, *, is_prefix: bool) -> WordQuery:
    """The `WordQuery` for one folded query word."""
    result = WordQuery(word=word)
    result.exact.add(word)
    short = contracted(word)
    if short:
        result.exact.add(short)
    for form in list(result.exact):
        result.derived.update(index_terms(form, LANGUAGES))
    if is_prefix and len(word) >= MIN_PREFIX and not word.isdigit():
        result.prefix = short or word
    result.derived.update(_kept_compounds(word, vocabulary))
    limit = max_typos(word)
    if limit:
        for candidate, cost in _kept_typos(word, vocabulary, limit):
            result.typos.setdefault(cost, set()).update(index_terms(candidate, LANGUAGES))
            result.typo_words.append(candidate)
    return result


MAX_KEPT = 20_000  # expansions kept per vocabulary


def _kept_compounds(word: str, vocabulary: Vocabulary) -> list[str]:
    """`_compounds`, kept per vocabulary (a catalogue's searches repeat their words)."""
    kept = vocabulary.expansions
    found: list[str] | None = kept.get(("compounds", word, 0))
    if found is None:
        if len(kept) >= MAX_KEPT:
            kept.clear()
        found = kept[("compounds", word, 0)] = _compounds(word, vocabulary)
    return found


def _kept_typos(word: str, vocabulary: Vocabulary, limit: int) -> list[tuple[str, int]]:
    """`_typo_candidates`, kept per vocabulary."""
    kept = vocabulary.expansions
    found: list[tuple[str, int]] | None = kept.get(("typos", word, limit))
    if found is None:
        if len(kept) >= MAX_KEPT:
            kept.clear()
        found = kept[("typos", word, limit)] = _typo_candidates(word, vocabulary, limit)
    return found


def _compounds(word: str, vocabulary: Vocabulary) -> list[str]:
    """German vocabulary words holding `word` (or its German stem) as a compound part."""
    parts = {p for p in (word, stem("de", word)) if len(p) >= MIN_COMPOUND_PART}
    found: set[str] = set()
    text = vocabulary.german_text
    for part in parts:
        # A known word, or the stem of a word (the stemmer cut a real ending: "schule" →
        # "schul" → "schulverwaltung"), may start a compound; other text may be cut anywhere
        # ("verwal"), so it may only stand inside one.
        as_head = part != word or part in vocabulary.words
        position = text.find(part)
        while position >= 0:
            start = text.rfind("\n", 0, position) + 1
            end = text.find("\n", position)
            candidate = text[start:end]
            if candidate != word and compound_parts_match(part, candidate, as_head=as_head):
                found.add(candidate)
            position = text.find(part, end)
    return sorted(found, key=lambda c: (len(c), c))[:MAX_COMPOUNDS]


def _typo_candidates(word: str, vocabulary: Vocabulary, limit: int) -> list[tuple[str, int]]:
    """Vocabulary words within `limit` typos of `word`; a first-letter typo costs 2."""
    pool: list[str] = []
    for length in range(len(word) - limit, len(word) + limit + 1):
        pool.extend(vocabulary.buckets.get((word[:1], length), ()))
    found: dict[str, int] = {}
    for candidate, cost, _ in process.extract(
        word, pool, scorer=OSA.distance, score_cutoff=limit, limit=None
    ):
        if cost:  # the pool shares the first letter, so OSA's count is the typo cost
            found[candidate] = int(cost)
    if limit >= 2:
        # One edit on the first letter: substituted, deleted, inserted or transposed.
        tail = word[1:]
        first_letter: list[str] = list(vocabulary.by_tail.get(tail, ()))
        first_letter += list(vocabulary.by_tail.get(word, ()))
        if tail in vocabulary.words:
            first_letter.append(tail)
        swapped = word[1:2] + word[:1] + word[2:]
        if swapped in vocabulary.words:
            first_letter.append(swapped)
        for candidate in first_letter:
            if candidate != word and candidate not in found:
                found[candidate] = 2
    ranked = sorted(found.items(), key=lambda item: (item[1], item[0]))
    return ranked[:MAX_TYPO_CANDIDATES]


def did_you_mean(folded: list[str], vocabulary: Vocabulary) -> list[str] | None:
    """`folded` with each word the index lacks replaced by the closest index word, or None.

    Looser than typo tolerance (up to 2 edits from 4 letters, 3 from 9, the first letter
    included), as it is only offered when nothing matched; words the index holds are kept.
    """
    changed = False
    suggestion = []
    for word in folded:
        if word in vocabulary.words or len(word) < 4 or not word.isalpha():
            suggestion.append(word)
            continue
        limit = 3 if len(word) >= 9 else 2
        pool = _length_pool(len(word), limit, vocabulary)
        best = process.extractOne(word, pool, scorer=OSA.distance, score_cutoff=limit)
        if best is None:
            suggestion.append(word)
            continue
        suggestion.append(best[0])
        changed = True
    return suggestion if changed else None


def _length_pool(length: int, limit: int, vocabulary: Vocabulary) -> list[str]:
    """The alphabetic index words `limit` letters shorter to `limit` longer than `length`, by
    length, kept per vocabulary: thousands of words, gathered once rather than per suggestion."""
    kept = vocabulary.expansions
    key = ("length pool", str(length), limit)
    found: list[str] | None = kept.get(key)
    if found is None:
        if len(kept) >= MAX_KEPT:
            kept.clear()
        found = kept[key] = [
            candidate
            for size in range(length - limit, length + limit + 1)
            for candidate in vocabulary.by_length.get(size, ())
        ]
    return found


def name_keys(words: list[WordQuery], limit: int = 64) -> list[str]:
    """The name keys (folded words joined by spaces) a name equal to the query may have: the
    query's words, each possibly replaced by an index word within its typo budget, so "Frontead"
    still finds the software named "Frontend" as an exact name. At most `limit` keys."""
    keys = [""]
    for word in words:
        forms = [word.word, *word.typo_words]
        keys = [f"{key} {form}".lstrip() for key in keys for form in forms][:limit]
    return keys
