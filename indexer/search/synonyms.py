"""Domain synonyms (``synonyms.yml`` beside this module), matched in query words.

Each group in the file lists equivalent words or phrases (German and English); a query holding
one of them also searches the others. Phrases are compared word by word on a *key*: the folded
word with German transliterations contracted, then German-stemmed, so "Termine", "termin" and
"TERMIN" all meet "Termin", and "Müll" meets "muell". Multi-word phrases ("citizen
participation", "elektronische Akte") match consecutive query words.

The embedded backend widens the matched query words at query time (`SynonymMatch`); the
Meilisearch backend sends the same groups as its ``synonyms`` setting (`meilisearch_synonyms`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from indexer.search.text import contracted, stem, words

DATA_FILE = "synonyms.yml"


def _key(folded: str) -> str:
    return stem("de", contracted(folded) or folded)


@dataclass(frozen=True)
class SynonymMatch:
    """Query words ``start`` to ``start + length`` (exclusive) are a phrase of a synonym group;
    `alternatives` are the group's other phrases as (shown text, folded words)."""

    start: int
    length: int
    alternatives: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Synonyms:
    """Synonym groups and a lookup from phrase keys to groups."""

    groups: tuple[tuple[str, ...], ...]

    @classmethod
    def from_groups(cls, groups: list[list[str]]) -> Synonyms:
        """Groups of phrases; raises ValueError on a group of fewer than two phrases."""
        for group in groups:
            if len(group) < 2 or not all(isinstance(p, str) and words(p) for p in group):
                raise ValueError(f"a synonym group needs two or more phrases of words: {group!r}")
        return cls(tuple(tuple(group) for group in groups))

    @property
    def _index(self) -> dict[tuple[str, ...], list[int]]:
        return _phrase_index(self)

    def matches(self, folded: list[str]) -> list[SynonymMatch]:
        """The synonym phrases among the folded query words, longest first at each position."""
        index = self._index
        longest = max((len(key) for key in index), default=0)
        keys = [_key(word) for word in folded]
        found: list[SynonymMatch] = []
        position = 0
        while position < len(keys):
            for length in range(min(longest, len(keys) - position), 0, -1):
                key = tuple(keys[position : position + length])
                if key not in index:
                    continue
                others: dict[str, tuple[str, ...]] = {}
                for group in index[key]:
                    for phrase in self.groups[group]:
                        phrase_words = tuple(words(phrase))
                        if tuple(map(_key, phrase_words)) != key:
                            others.setdefault(phrase, phrase_words)
                found.append(SynonymMatch(position, length, tuple(others.items())))
                position += length - 1
                break
            position += 1
        return found

    def meilisearch_synonyms(self) -> dict[str, list[str]]:
        """The ``synonyms`` setting: every phrase (lower-case) → the other phrases of its groups."""
        result: dict[str, list[str]] = {}
        for group in self.groups:
            lowered = [phrase.lower() for phrase in group]
            for phrase in lowered:
                others = result.setdefault(phrase, [])
                others.extend(other for other in lowered if other != phrase and other not in others)
        return result


@lru_cache(maxsize=8)
def _phrase_index(synonyms: Synonyms) -> dict[tuple[str, ...], list[int]]:
    index: dict[tuple[str, ...], list[int]] = {}
    for number, group in enumerate(synonyms.groups):
        for phrase in group:
            index.setdefault(tuple(_key(word) for word in words(phrase)), []).append(number)
    return index


@lru_cache(maxsize=1)
def domain_synonyms() -> Synonyms:
    """The curated groups shipped in ``synonyms.yml``."""
    text = resources.files("indexer.search").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return Synonyms.from_groups(yaml.safe_load(text))
