"""The search half of the fake Meilisearch: matching, ranking rules, highlights.

Text matching is deliberately simple (case- and accent-insensitive words, the last one as a
prefix, all words required); the relevance rules themselves are Meilisearch's business and are
checked against a live server, not here. Ordering follows the index's ranking rules as far as
they can differ in this model: ``attributeRank``, ``sort`` (the query's clauses) and custom
``attr:asc|desc`` rules; a missing value sorts last either way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from tests.search.meili_fake_filter import fold

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Folded words of `text`."""
    return [fold(word) for word in WORD.findall(text)]


def texts(value: Any) -> Iterator[str]:
    """Every string inside a (nested) attribute value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def matches(word: str, candidate: str, prefix: bool) -> bool:
    return candidate == word or (prefix and candidate.startswith(word))


def best_rank(
    query_words: list[str], document: dict[str, Any], searchable: list[str]
) -> int | None:
    """The best attribute rank where a query word matched, None unless all words match."""
    ranks = []
    for position, word in enumerate(query_words):
        prefix = position == len(query_words) - 1
        found = [
            rank
            for rank, attribute in enumerate(searchable)
            for text in texts(document.get(attribute))
            if any(matches(word, candidate, prefix) for candidate in words(text))
        ]
        if not found:
            return None
        ranks.append(min(found))
    return min(ranks) if ranks else 0


def highlight(value: Any, query_words: list[str], pre: str, post: str) -> Any:
    """`value` with matched words wrapped in `pre`/`post` (raw text, like Meilisearch)."""
    if isinstance(value, dict):
        return {key: highlight(item, query_words, pre, post) for key, item in value.items()}
    if isinstance(value, list):
        return [highlight(item, query_words, pre, post) for item in value]
    if not isinstance(value, str) or not query_words:
        return value

    def wrap(match: re.Match[str]) -> str:
        word = fold(match.group())
        hit = any(
            matches(query, word, position == len(query_words) - 1)
            for position, query in enumerate(query_words)
        )
        return f"{pre}{match.group()}{post}" if hit else match.group()

    return WORD.sub(wrap, value)


def _compare_values(left: Any, right: Any, direction: str) -> int:
    """Compare two attribute values for ``attr:asc|desc``; a missing value always goes last."""
    if left is None or right is None:
        return (left is None) - (right is None)
    if isinstance(left, str) and isinstance(right, str):
        left, right = left.casefold(), right.casefold()
    order = (left > right) - (left < right)
    return order if direction == "asc" else -order


def rank_documents(
    documents: list[dict[str, Any]],
    ranks: dict[int, int],
    rules: list[str],
    sort: list[str],
) -> list[dict[str, Any]]:
    """Order by the ranking rules: ``attributeRank``, ``sort`` (the query's clauses) and
    ``attr:asc|desc``; the other rules (words, typo, …) tie in this fake's all-words matching."""
    steps: list[str] = []
    for rule in rules:
        if rule == "sort":
            steps.extend(sort)
        elif rule in {"attributeRank", "attribute"} or ":" in rule:
            steps.append(rule)

    def compare(left: dict[str, Any], right: dict[str, Any]) -> int:
        for step in steps:
            if step in {"attributeRank", "attribute"}:
                order = ranks[id(left)] - ranks[id(right)]
            else:
                attribute, direction = step.split(":")
                order = _compare_values(left.get(attribute), right.get(attribute), direction)
            if order:
                return order
        return 0

    return sorted(documents, key=functools.cmp_to_key(compare))
