"""Matching and Meilisearch-style bucket-sort ranking over bitmaps.

Matching follows Meilisearch's default ``matchingStrategy: last``: a record matches when it holds
the first query word; records holding more of the words (dropping words from the end) rank first.

The ranking rules run in Meilisearch's order, each splitting a bucket of equally ranked records
into ordered sub-buckets, and only as far as the requested page needs:

1. **words**: how many query words (from the start) the record holds;
2. **typo**: total typos of the matched words (each word counts its cheapest match);
3. **proximity**: how close consecutive query words stand in the names and short descriptions
   (computed in Python on buckets of at most `PROXIMITY_POOL` records; larger buckets
   defer it until the attribute and exactness rules have narrowed them);
4. **attribute rank**: name > short description > features > categories/organisation > long
   description (sum over words of the best attribute each word occurs in);
5. **exactness**: the whole name equals the query, then how many words matched unstemmed;
6. **quality**: declared and valid records before inferred or invalid ones, each with a
   description before those without (`documents.SearchDocument.quality_rank`);
7. **recent activity** breaks the remaining ties (then the id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_not

from indexer.search.embedded import bitmaps
from indexer.search.embedded.highlight import WordMatcher
from indexer.search.embedded.postings import TermCache
from indexer.search.embedded.query import WordQuery
from indexer.search.embedded.schema import ATTRIBUTES
from indexer.search.embedded.state import IndexState
from indexer.search.embedded.stored import StoredData

PROXIMITY_POOL = 60
MAX_PROXIMITY = 8  # as Meilisearch: words further apart (or in different texts) cost the same


@dataclass
class WordSets:
    """Which records match one query word, by typo level, attribute and exactness."""

    any: int = 0
    levels: list[int] = field(default_factory=lambda: [0, 0, 0])
    exact: int = 0
    best_attribute: list[int] = field(default_factory=list)


def word_sets(cache: TermCache, word: WordQuery) -> WordSets:
    """Look up the postings of every group of `word` and combine the record sets."""
    result = WordSets()
    per_attribute = [0] * len(ATTRIBUTES)
    for group, terms, prefix in word.groups():
        if not terms and not prefix:
            continue
        level = 0 if group in {"exact", "derived"} else int(group.removeprefix("typo"))
        for index, found in enumerate(cache.sets(terms, prefix)):
            if not found:
                continue
            per_attribute[index] |= found
            result.levels[level] |= found
            if group == "exact":
                result.exact |= found
    for alternative in word.alternatives:
        found, attributes = _all_parts(cache, alternative.parts)
        result.levels[alternative.level] |= found
        for index, bits in enumerate(attributes):
            per_attribute[index] |= bits
    result.levels[1] &= ~result.levels[0]
    result.levels[2] &= ~(result.levels[0] | result.levels[1])
    result.any = result.levels[0] | result.levels[1] | result.levels[2]
    seen = 0
    for bits in per_attribute:
        result.best_attribute.append(bits & ~seen)
        seen |= bits
    return result


def _all_parts(cache: TermCache, parts: Sequence[set[str]]) -> tuple[int, list[int]]:
    """Records holding every part, and per attribute those whose *worst* part is there.

    A record holding "Beteiligung" in its name and "Bürger" in its long description ranks at
    the long description's attribute for the pair.
    """
    reached: list[int] | None = None  # per attribute: every part in this or a better one
    for terms in parts:
        running, cumulative = 0, []
        for found in cache.sets(terms):
            running |= found
            cumulative.append(running)
        reached = (
            cumulative
            if reached is None
            else [a & b for a, b in zip(reached, cumulative, strict=True)]
        )
        if not reached[-1]:
            return 0, [0] * len(ATTRIBUTES)
    assert reached is not None
    attributes, before = [], 0
    for bits in reached:
        attributes.append(bits & ~before)
        before = bits
    return reached[-1], attributes


def _sum_split(
    bucket: int, per_word: Sequence[Sequence[int]], descending: bool = False
) -> list[int]:
    """Split `bucket` by the sum over words of the index of the class each record falls in."""
    sums: dict[int, int] = {0: bucket}
    for classes in per_word:
        following: dict[int, int] = defaultdict(int)
        for total, bits in sums.items():
            for cost, members in enumerate(classes):
                both = bits & members
                if both:
                    following[total + cost] |= both
        sums = following
    return [sums[total] for total in sorted(sums, reverse=descending)]


@dataclass(frozen=True)
class Ranker:
    """Orders the matches of one query; build one per search."""

    stored: StoredData
    state: IndexState
    sets: Sequence[WordSets]
    name_exact: int
    matcher: WordMatcher

    def words_buckets(self, matches: int) -> list[tuple[int, int]]:
        """``(bucket, words matched)`` from most words to just the first."""
        prefixes = [matches]
        for sets in self.sets[1:]:
            prefixes.append(prefixes[-1] & sets.any)
        buckets: list[tuple[int, int]] = []
        following = 0
        for count in range(len(prefixes), 0, -1):
            bucket = prefixes[count - 1] & ~following
            following |= bucket
            if bucket:
                buckets.append((bucket, count))
        return buckets

    def order(self, matches: int, needed: int) -> list[int]:
        """The first `needed` rowids of `matches` in ranking order."""
        found: list[int] = []
        for bucket, count in self.words_buckets(matches):
            self._visit(bucket, count, 0, False, found, needed)
            if len(found) >= needed:
                break
        return found[:needed]

    def _visit(
        self,
        bucket: int,
        count: int,
        rule: int,
        proximity_done: bool,
        found: list[int],
        needed: int,
    ) -> None:
        if len(found) >= needed or not bucket:
            return
        words = self.sets[:count]
        if rule == 0:
            subs = _sum_split(bucket, [sets.levels for sets in words])
        elif rule == 1:
            if count > 1 and not proximity_done and bucket.bit_count() <= PROXIMITY_POOL:
                for sub in self._proximity_split(bucket, count):
                    self._visit(sub, count, 2, True, found, needed)
                return
            subs = [bucket]
        elif rule == 2:
            subs = _sum_split(bucket, [sets.best_attribute for sets in words])
        elif rule == 3:
            exact_name = bucket & self.name_exact
            subs = [exact_name]
            rest = bucket & ~exact_name
            subs += _sum_split(rest, [[~sets.exact, sets.exact] for sets in words], descending=True)
        elif rule == 4:
            subs = [bucket & bits for bits in self.state.quality]
        else:
            if count > 1 and not proximity_done and bucket.bit_count() <= PROXIMITY_POOL:
                for sub in self._proximity_split(bucket, count):
                    found.extend(self.state.top(sub, "last_activity", needed - len(found)))
                return
            found.extend(self.state.top(bucket, "last_activity", needed - len(found)))
            return
        for sub in subs:
            self._visit(sub, count, rule + 1, proximity_done, found, needed)
            if len(found) >= needed:
                return

    def _proximity_split(self, bucket: int, count: int) -> list[int]:
        split_words = self.stored.split
        texts: list[tuple[int, list[list[str]]]] = [
            (rowid, [split_words(text)[1::2] for text in _texts(data)])
            for rowid, data in self.stored.get(bitmaps.members(bucket)).items()
        ]
        # Every word of the bucket at once: the matcher decides for them in bulk.
        self.matcher.prepare(set().union(*[found for _, split in texts for found in split]))
        scores: dict[int, list[int]] = defaultdict(list)
        for rowid, split in texts:
            scores[self._proximity(split, count)].append(rowid)
        return [bitmaps.from_rowids(scores[score]) for score in sorted(scores)]

    def _proximity(self, texts: list[list[str]], count: int) -> int:
        best = [MAX_PROXIMITY] * (count - 1)
        matches = self.matcher.__getitem__
        for text in texts:
            found = list(map(matches, text))
            if found.count(None) >= len(found) - 1:
                continue  # fewer than two matched words: no pair to measure
            positions: dict[int, list[int]] = defaultdict(list)
            # Only the matched words are visited (picked in C), not every word of the text.
            for position in compress(range(len(found)), map(is_not, found, repeat(None))):
                index = found[position]
                if index is not None and index < count:
                    positions[index].append(position)
            for pair in range(count - 1):
                left, right = positions.get(pair), positions.get(pair + 1)
                if not left or not right:
                    continue
                for a in left:
                    for b in right:
                        distance = b - a if b > a else a - b + 1
                        best[pair] = min(best[pair], distance)
        return sum(best)


def _texts(data: dict[str, object]) -> list[str]:
    """The names and short descriptions of a record's stored data (what proximity measures)."""
    names, short = data.get("names"), data.get("short")
    texts = [str(name) for name in names] if isinstance(names, list) else []
    texts += [str(text) for text in short.values()] if isinstance(short, dict) else []
    return texts
