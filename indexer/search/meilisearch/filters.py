"""Meilisearch filter and sort expressions built from the protocol's whitelisted request.

Pure functions. User values never become filter syntax: attribute names and operators come from
`settings.FILTER_ATTRIBUTES` only, every string value is double-quoted with ``\\`` escaped first
and ``"`` second (the filter parser removes ``\\"`` and then unescapes ``\\\\``, see
`docs/research/meilisearch-and-embedded-search.md` §2), booleans are the literals ``true`` /
``false`` after validation, and dates become integer epoch seconds. So ``x" OR license EXISTS``
stays one value, and ``OR``, ``AND``, ``TO``, ``NOT`` inside a value are just text.

Semantics match the protocol: the values of one field are OR-ed (parenthesised), fields are
AND-ed, a last-activity range is ``since <= t < until``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from indexer.search.documents import timestamp
from indexer.search.meilisearch.settings import FILTER_ATTRIBUTES, SORTS
from indexer.search.protocol import (
    BOOLEAN_FIELDS,
    FILTER_FIELDS,
    RANGE_FIELDS,
    ActivityRange,
    FilterValue,
)
from schemas.errors import InvalidQueryError

# Meilisearch indexes at most 468 bytes of a filterable value; a longer one can never match.
MAX_VALUE_BYTES = 468
# Bound the work one request can ask for (the filter parser also caps nesting depth).
MAX_VALUES_PER_FIELD = 100


def quote(value: str) -> str:
    """Render `value` as a double-quoted filter string literal.

    Raises:
        InvalidQueryError: the value holds a NUL character or a lone surrogate, or is longer
            than 468 bytes.
    """
    if "\x00" in value:
        raise InvalidQueryError("a filter value holds a NUL character; remove it")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidQueryError(
            f"a filter value is not valid Unicode (a lone surrogate): {value!r}"
        ) from None
    if size > MAX_VALUE_BYTES:
        raise InvalidQueryError(
            f"a filter value is longer than {MAX_VALUE_BYTES} bytes: {value[:40]!r}…; shorten it"
        )
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def number(value: int | float) -> str:
    """Render a finite number as a filter literal (no NaN, no infinity)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidQueryError(f"a filter number must be finite, not {value!r}")
    return repr(int(value)) if float(value).is_integer() else repr(float(value))


def _range_clause(attribute: str, activity: ActivityRange) -> str | None:
    parts = []
    if activity.since is not None:
        parts.append(f"{attribute} >= {number(timestamp(activity.since))}")
    if activity.until is not None:
        parts.append(f"{attribute} < {number(timestamp(activity.until))}")
    return " AND ".join(parts) or None


def _keyword_clause(name: str, attribute: str, values: tuple[str, ...]) -> str | None:
    unique = list(dict.fromkeys(values))
    if not unique:
        return None
    if len(unique) > MAX_VALUES_PER_FIELD:
        raise InvalidQueryError(
            f"filter {name!r} has {len(unique)} values; at most {MAX_VALUES_PER_FIELD} are allowed"
        )
    if name in BOOLEAN_FIELDS:
        literals = []
        for value in unique:
            if value not in {"true", "false"}:
                raise InvalidQueryError(f"filter {name!r} takes true or false, not {value!r}")
            literals.append(value)
        rendered = [f"{attribute} = {literal}" for literal in literals]
    else:
        rendered = [f"{attribute} = {quote(value)}" for value in unique]
    return "(" + " OR ".join(rendered) + ")"


def build_filter(filters: Mapping[str, FilterValue] | None) -> str | None:
    """The Meilisearch ``filter`` string for the protocol's `filters`, or None for no filter.

    Fields are rendered in the protocol's order, so the same request gives the same string.

    Raises:
        InvalidQueryError: an unknown field, a value of the wrong kind, or an unusable value.
    """
    if not filters:
        return None
    for name in filters:
        if name not in FILTER_ATTRIBUTES:
            raise InvalidQueryError(
                f"unknown filter field {name!r}; use one of: {', '.join(FILTER_FIELDS)}"
            )
    clauses = []
    for name in FILTER_FIELDS:
        if name not in filters:
            continue
        value = filters[name]
        attribute = FILTER_ATTRIBUTES[name]
        if name in RANGE_FIELDS:
            if not isinstance(value, ActivityRange):
                raise InvalidQueryError(f"filter {name!r} takes a date range (since/until)")
            clause = _range_clause(attribute, value)
        elif isinstance(value, tuple | list) and all(isinstance(item, str) for item in value):
            clause = _keyword_clause(name, attribute, tuple(value))
        else:
            raise InvalidQueryError(f"filter {name!r} takes a list of strings")
        if clause:
            clauses.append(clause)
    return " AND ".join(clauses) or None


_NEGATION = re.compile(r"(^|\s)-+")


def plain_query(query: str) -> str:
    """`query` with Meilisearch's query syntax neutralised, so it is searched as plain words.

    Meilisearch reads ``"…"`` as a phrase and a leading ``-`` as "must not contain"; the protocol
    gives no syntax a meaning (the embedded backend searches such text as words), so quotes
    become spaces and leading minus signs are dropped. Everything else is plain text already.
    Lone surrogates (which cannot be sent as UTF-8) become ``?``.
    """
    text = query.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    return _NEGATION.sub(r"\1", text.replace('"', " "))


def build_sort(sort: str) -> list[str]:
    """The Meilisearch ``sort`` clauses for a protocol sort key (empty for relevance)."""
    try:
        return list(SORTS[sort])
    except KeyError:
        raise InvalidQueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}") from None
