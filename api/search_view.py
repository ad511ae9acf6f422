"""What the search page shows, computed from a search result: facets, chips, pages, advice.

Pure functions over the request's query and the backend's result (no request objects), so the
page router stays a thin shell and each piece is testable on its own. Every link keeps the
whole search state (words, filters, sort, language) so a search can be shared and returned to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from api.catalogue import page_count, record_path
from api.i18n import VOCABULARIES, Label, translate, vocabulary_label
from api.pages import page_url, safe_highlight
from api.query import DEFAULT_FACETS, CatalogueQuery, SearchPage
from indexer.search.protocol import FILTER_FIELDS, MAX_PAGE_DEPTH, SORT_KEYS, SearchResult

PAGE_FACETS: tuple[str, ...] = (*DEFAULT_FACETS, "declared")
FACET_OPTIONS = 8
"""Values of a facet shown at once; the rest sit behind a "more" disclosure."""
MAX_FACET_OPTIONS = 40
"""Values of a facet a page lists at all (organisations run into thousands at scale)."""
BOOLEAN_VALUES = {"declared", "archived", "valid", "has_findings"}
MATURITY_VALUES = {"maturity", "active_within", "has_ci", "has_release", "has_security_policy"}
"""Maturity facets whose values have labels (``value.maturity.3``, ``value.has_ci.true``)."""
STATE_NAMES = frozenset({"q", *FILTER_FIELDS, "active_since", "active_until", "sort", "per_page"})
"""Parameter names a back-to-search link may carry (anything else is dropped)."""


def value_label(
    language: str, name: str, value: str, organisations: Mapping[str, str] | None = None
) -> Label:
    """A facet value as people read it: localised for the standard's vocabularies and booleans;
    an organisation id by its name (`organisations`: id → name)."""
    if name == "organisation" and organisations is not None:
        return Label(organisations.get(value, value), None)
    if name in BOOLEAN_VALUES and value in {"true", "false"}:
        return Label(translate(language, f"value.{name}.{value}"), language)
    if name in MATURITY_VALUES and translate(language, f"value.{name}.{value}") != (
        f"value.{name}.{value}"
    ):
        return Label(translate(language, f"value.{name}.{value}"), language)
    if name in VOCABULARIES:
        return vocabulary_label(language, name, value)
    return Label(value, None)


def selected_filters(query: CatalogueQuery) -> dict[str, list[str]]:
    """The query's filters by name (the words ``q`` left out)."""
    selected: dict[str, list[str]] = {}
    for name, value in query.params():
        if name != "q":
            selected.setdefault(name, []).append(value)
    return selected


def facets(
    result: SearchResult,
    query: CatalogueQuery,
    language: str,
    organisations: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Each page facet with its first values (`options`), the others (`more`) and how many;
    organisation ids are shown by the names `organisations` gives (id → name)."""
    selected = {name: set(values) for name, values in selected_filters(query).items()}
    shown_facets = []
    for name in PAGE_FACETS:
        counts = dict(result.facets.get(name, {}))
        chosen = selected.get(name, set())
        pairs = list(counts.items())[:MAX_FACET_OPTIONS]
        listed = {value for value, _ in pairs}
        pairs += [(value, counts.get(value, 0)) for value in sorted(chosen - listed)]
        if not pairs:
            continue
        options = [
            {
                "value": value,
                "label": value_label(language, name, value, organisations),
                "count": count,
                "checked": value in chosen,
            }
            for value, count in pairs
        ]
        # Chosen values always stay visible, even when they are rare.
        first = options[:FACET_OPTIONS] + [o for o in options[FACET_OPTIONS:] if o["checked"]]
        more = [o for o in options[FACET_OPTIONS:] if not o["checked"]]
        shown_facets.append(
            {
                "name": name,
                "options": first,
                "more": more,
                "hidden": max(0, len(counts) - len(listed)),
            }
        )
    return shown_facets


def state(query: CatalogueQuery, page: SearchPage, language: str) -> list[tuple[str, str]]:
    """The search's URL parameters: words, filters, sort (when not relevance) and language."""
    pairs = query.params()
    if page.sort != "relevance":
        pairs.append(("sort", page.sort))
    pairs.append(("lang", language))
    return pairs


def chips(
    query: CatalogueQuery,
    page: SearchPage,
    language: str,
    organisations: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One removable chip per active filter, linking to the search without it (organisation
    ids shown by the names `organisations` gives)."""
    pairs = state(query, page, language)
    result = []
    for pair in pairs:
        name, value = pair
        if name in {"q", "sort", "lang"}:
            continue
        remaining = list(pairs)
        remaining.remove(pair)
        label = value_label(language, name, value, organisations)
        result.append(
            {
                "name": translate(language, "facet." + name),
                "label": label,
                "href": page_url("/", remaining),
            }
        )
    return result


def pagination(
    query: CatalogueQuery, page: SearchPage, total: int, language: str
) -> list[dict[str, Any]]:
    """Previous, numbered (with gaps) and next page links, within the deep-paging limit."""
    last = min(page_count(total, page.per_page), MAX_PAGE_DEPTH // page.per_page)
    if last <= 1:
        return []
    pairs = state(query, page, language)
    per_page = [("per_page", str(page.per_page))] if page.per_page != 20 else []

    def href(number: int) -> str:
        return page_url("/", [*pairs, *per_page, ("page", str(number))])

    items: list[dict[str, Any]] = []
    if page.page > 1:
        label = translate(language, "pagination.previous")
        items.append({"label": label, "href": href(page.page - 1), "rel": "prev"})
    numbers = sorted({1, last, *range(max(1, page.page - 2), min(last, page.page + 2) + 1)})
    previous = 0
    for number in numbers:
        if number - previous > 1:
            items.append({"label": "…", "href": None})
        items.append({"label": str(number), "href": href(number), "current": number == page.page})
        previous = number
    if page.page < last:
        label = translate(language, "pagination.next")
        items.append({"label": label, "href": href(page.page + 1), "rel": "next"})
    return items


def hidden_filters(query: CatalogueQuery) -> list[tuple[str, str]]:
    """Filters without a facet on the page, carried along as hidden inputs."""
    return [
        (name, value) for name, value in query.params() if name != "q" and name not in PAGE_FACETS
    ]


def back_state(query: CatalogueQuery, page: SearchPage) -> str:
    """The search state a result links with, so the software page can link back to it."""
    pairs = [pair for pair in query.params()]
    if page.sort != "relevance":
        pairs.append(("sort", page.sort))
    if page.page > 1:
        pairs.append(("page", str(page.page)))
    return page_url("", pairs).lstrip("?")


def back_href(back: str | None, language: str) -> str:
    """The search page to return to: the given state's known parameters only, plus language.

    `back` comes from the URL, so it is parsed and rebuilt from a list of known names (never
    echoed), and the link always stays on this site's search page.
    """
    pairs = [
        (name, value)
        for name, value in parse_qsl(back or "", keep_blank_values=False)[:50]
        if name in STATE_NAMES or name == "page"
    ]
    return page_url("/", [*pairs, ("lang", language)])


def hits(result: SearchResult, language: str, back: str) -> list[dict[str, Any]]:
    """Result cards: highlighted name and summary, link (with the way back), facts, path."""
    suffix = [("back", back)] if back else []
    return [
        {
            "name": safe_highlight(hit.highlights.get("name"), hit.name),
            "summary": safe_highlight(
                hit.highlights.get("short_description"), hit.short_description
            ),
            "href": page_url(f"/software/{record_path(hit.id)}", [("lang", language), *suffix]),
            "path": hit.id,
            "declared": hit.declared,
            "valid": hit.valid,
            "licence": hit.licence,
            "organisation": hit.organisation,
            "organisation_href": page_url(
                "/", [("organisation", hit.organisation_id), ("lang", language)]
            )
            if hit.organisation and hit.organisation_id
            else None,
            "last_activity": hit.last_activity,
            "forge": hit.forge,
            "partial": hit.partial,
            # The first partial match opens the "partial matches (M)" section of the list.
            "first_partial": hit.partial and (index == 0 or not result.hits[index - 1].partial),
        }
        for index, hit in enumerate(result.hits)
    ]


def advice(query: CatalogueQuery, language: str) -> list[str]:
    """What to try when nothing matches, fitting the search: words, spelling, filters."""
    tips = []
    if len(query.q.split()) > 1:
        tips.append(translate(language, "search.advice_words"))
    elif query.q.strip():
        tips.append(translate(language, "search.advice_spelling"))
    if selected_filters(query):
        tips.append(translate(language, "search.advice_filters"))
    return tips


__all__ = [
    "PAGE_FACETS",
    "SORT_KEYS",
    "advice",
    "back_href",
    "back_state",
    "chips",
    "facets",
    "hidden_filters",
    "hits",
    "pagination",
    "state",
    "value_label",
]
