"""Meilisearch search response → protocol `SearchResult`, with HTML-safe highlights.

Pure functions. Meilisearch inserts the highlight tags into the *raw* field text and never
HTML-escapes it (meilisearch issues #1409, #1595), so a name like ``<script>`` would reach the
page verbatim. We ask for private-use sentinel characters as tags, HTML-escape the whole
formatted text, and only then turn the sentinels into ``<mark>``…``</mark>``. A field whose raw
text already holds a sentinel character is left without highlight rather than guessed.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from indexer.search.documents import pick_language
from indexer.search.meilisearch.settings import FILTER_ATTRIBUTES
from indexer.search.protocol import Hit, SearchResult
from schemas.errors import SearchError

HIGHLIGHT_PRE = "\ue000"
HIGHLIGHT_POST = "\ue001"
HIGHLIGHTED_ATTRIBUTES: tuple[str, ...] = ("name", "short_description", "features")
# Separates matched features in the ``features`` highlight.
FEATURE_SEPARATOR = " · "


def mark(formatted: str, raw: str) -> str | None:
    """HTML for `formatted` (sentinel-tagged) with matches in ``<mark>``; None when nothing matched."""
    if HIGHLIGHT_PRE in raw or HIGHLIGHT_POST in raw or HIGHLIGHT_PRE not in formatted:
        return None
    escaped = html.escape(formatted, quote=True)
    return escaped.replace(HIGHLIGHT_PRE, "<mark>").replace(HIGHLIGHT_POST, "</mark>")


def _language_of(texts: Mapping[str, Any], value: Any) -> str | None:
    for language, text in texts.items():
        if text is value or text == value:
            return language
    return None


def _shown(
    document: Mapping[str, Any], formatted: Mapping[str, Any], field: str, locale: str
) -> tuple[Any, Any]:
    """The value of localised `field` a hit shows in `locale`, and the server's formatted
    value in the same language (None when it formatted none)."""
    texts = document.get(field) or {}
    shown = pick_language(texts, locale)
    language = _language_of(texts, shown)
    formatted_texts = formatted.get(field) or {}
    if not language or not isinstance(formatted_texts, Mapping):
        return shown, None
    return shown, formatted_texts.get(language)


def highlights(document: Mapping[str, Any], locale: str) -> dict[str, str]:
    """The ``name``, ``short_description`` and ``features`` highlights of one hit (matched only)."""
    formatted = document.get("_formatted")
    if not isinstance(formatted, Mapping):
        return {}
    result: dict[str, str] = {}
    name = mark(str(formatted.get("name", "")), str(document.get("name", "")))
    if name:
        result["name"] = name
    shown, formatted_short = _shown(document, formatted, "short_description", locale)
    short = mark(str(formatted_short), str(shown)) if formatted_short is not None else None
    if short:
        result["short_description"] = short
    shown_features, formatted_features = _shown(document, formatted, "features", locale)
    pairs = zip(formatted_features or [], shown_features or [], strict=False)
    marked = [text for text in (mark(str(f), str(r)) for f, r in pairs) if text]
    if marked:
        result["features"] = FEATURE_SEPARATOR.join(marked)
    return result


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _first(value: Any) -> str | None:
    """A single-valued facet stored as a list: its value (or None)."""
    if isinstance(value, list):
        return str(value[0]) if value else None
    return None if value is None else str(value)


def to_hit(document: Mapping[str, Any], locale: str) -> Hit:
    """One protocol `Hit` from a Meilisearch hit."""
    try:
        return Hit(
            id=str(document["id"]),
            url=str(document["url"]),
            name=str(document["name"]),
            short_description=pick_language(document.get("short_description") or {}, locale),
            licence=document.get("licence_expression"),
            last_activity=_datetime(document.get("last_activity")),
            declared=bool(document.get("declared")),
            valid=bool(document.get("valid", True)),
            forge=_first(document.get("forge")) or "",
            stars=document.get("stars"),
            organisation=document.get("organisation_name"),
            mirrors=tuple(document.get("mirrors") or ()),
            highlights=highlights(document, locale),
            organisation_id=_first(document.get("organisation")),
        )
    except KeyError as missing:
        raise SearchError(
            f"a Meilisearch hit lacks the field {missing}; the index was not built by this "
            "codereuse, rebuild it with `codereuse index --rebuild`"
        ) from None


def facet_counts(
    distribution: Mapping[str, Mapping[str, int]] | None, facets: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Protocol facet counts (most first, then by value) for the requested `facets`."""
    distribution = distribution or {}
    counts: dict[str, dict[str, int]] = {}
    for name in facets:
        values = distribution.get(FILTER_ATTRIBUTES[name]) or {}
        ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        counts[name] = {str(value): int(count) for value, count in ordered if count > 0}
    return counts


def to_result(
    body: Mapping[str, Any],
    facets: Sequence[str],
    page: int,
    per_page: int,
    locale: str,
    counted: Mapping[str, Any] | None = None,
) -> SearchResult:
    """The protocol `SearchResult` for a Meilisearch response to a page/hitsPerPage search.

    `counted`, when given, is the answer of the same search with ``matchingStrategy: all``:
    its total counts the matches and `body`'s the listed hits (matches, then partial
    matches, see `protocol`); facets come from the matches, or from `body` when none.
    """
    for answer in (body, counted or body):
        if not isinstance(answer.get("hits"), list) or not isinstance(answer.get("totalHits"), int):
            raise SearchError("Meilisearch answered a search without hits or an exact totalHits")
    listed: int = body["totalHits"]
    total: int = counted["totalHits"] if counted is not None else listed
    distribution = body.get("facetDistribution")
    if counted is not None and total:
        distribution = counted.get("facetDistribution")
    first = (page - 1) * per_page
    hits = [
        replace(to_hit(document, locale), partial=first + position >= total)
        for position, document in enumerate(body["hits"])
    ]
    return SearchResult(
        hits=hits,
        total=total,
        facets=facet_counts(distribution, facets),
        page=page,
        per_page=per_page,
        partial_total=max(0, listed - total),
    )
