"""Widening expanded query words: compounds both ways and domain synonyms.

Runs after `query.expand` on the whole list of query words, as some rules span two words:

- **split** (`split_compounds`): a query compound whose parts are index words also matches
  records holding the parts apart ("Bürgerbeteiligung" → "Beteiligung der Bürger"), one typo
  level below the compound itself;
- **fuse** (`fuse_neighbours`): two consecutive query words also match records holding one
  compound that starts with both ("Termin buchen" → "Terminbuchung"), for both words;
- **synonyms** (`add_synonyms`): a word or phrase of a synonym group also matches the group's
  other phrases; returns the phrases searched, for "also searched: …".
"""

from __future__ import annotations

from itertools import pairwise

from indexer.search.compounds import (
    MIN_PART,
    finer_splits,
    fused_prefixes,
    part_forms,
    split_compound,
)
from indexer.search.embedded.query import MAX_KEPT, Alternative, WordQuery
from indexer.search.embedded.state import Vocabulary
from indexer.search.synonyms import Synonyms
from indexer.search.text import LANGUAGES, contracted, index_terms

MAX_FUSED = 200  # compounds found for one pair of query words


def _terms(word: str) -> set[str]:
    terms = {word, *index_terms(word, LANGUAGES)}
    short = contracted(word)
    if short:
        terms.update(index_terms(short, LANGUAGES))
    return terms


def split_compounds(words: list[WordQuery], vocabulary: Vocabulary, typing: bool) -> None:
    """Give each compound query word the alternative of its parts written apart."""
    for position, word in enumerate(words):
        parts = split_compound(word.word, vocabulary.knows_part)
        if not parts:
            continue
        if typing and position == len(words) - 1 and len(parts[-1]) < 5:
            continue  # "burgerbet…" is still being typed, not "burger" + "bet"
        for split in [parts, *finer_splits(parts, vocabulary.knows_part)]:
            forms = [set().union(*map(_terms, part_forms(part))) for part in split]
            word.alternatives.append(Alternative(forms, level=1))


def fuse_neighbours(words: list[WordQuery], vocabulary: Vocabulary) -> None:
    """Let two neighbouring query words match the compounds they start, together."""
    for left, right in pairwise(words):
        found = _kept_fused(left.word, right.word, vocabulary)
        if found:
            left.derived.update(found)
            right.derived.update(found)


def _kept_fused(left: str, right: str, vocabulary: Vocabulary) -> frozenset[str]:
    """The compounds two neighbouring words start, kept per vocabulary as `query.expand`
    keeps its expansions (a catalogue's searches repeat their words)."""
    kept = vocabulary.expansions
    key = ("fused", f"{left} {right}", 0)
    found: frozenset[str] | None = kept.get(key)
    if found is None:
        if len(kept) >= MAX_KEPT:
            kept.clear()
        found = kept[key] = _fused(left, right, vocabulary)
    return found


def _fused(left: str, right: str, vocabulary: Vocabulary) -> frozenset[str]:
    found: set[str] = set()
    for prefix in fused_prefixes(left, right):
        if len(prefix) < 2 * MIN_PART + 1:
            continue
        for word in vocabulary.german_starting(prefix):
            if len(found) >= MAX_FUSED:
                break
            found.add(word)
    return frozenset(found)


def add_synonyms(words: list[WordQuery], vocabulary: Vocabulary, synonyms: Synonyms) -> list[str]:
    """Widen the query words that form synonym phrases; returns the phrases also searched.

    A one-word synonym joins the matched words' terms; a phrase of several words becomes an
    `Alternative` requiring all its words. Phrases holding a word the index lacks are skipped:
    they cannot match anything.
    """
    shown: list[str] = []
    for match in synonyms.matches([word.word for word in words]):
        span = words[match.start : match.start + match.length]
        for text, phrase in match.alternatives:
            if not all(word in vocabulary.words for word in phrase):
                continue
            shown.append(text)
            if len(phrase) == 1:
                terms = _terms(phrase[0])
                for word in span:
                    word.derived.update(terms)
            else:
                for word in span:
                    word.alternatives.append(Alternative([_terms(w) for w in phrase], level=0))
    return list(dict.fromkeys(shown))
