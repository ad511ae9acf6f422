"""The search protocol every backend implements (embedded, Meilisearch).

Both backends take the same whitelisted request and answer with the same result, so one contract
test suite runs against both (architecture decision 6). Filters are structured data, never text
pasted into a query language.

Filter semantics: values of one field are OR-ed, fields are AND-ed. ``last_activity`` takes a
range (`ActivityRange`). Facet counts are exact and, as in Meilisearch, computed over the hits
that match the query and *all* filters.

Honest counts: a record *matches* when it holds every query word (each word in any of its
forms: stems, typos within budget, compound parts, synonyms); `SearchResult.total` counts
those. Records holding only some of the words (always the first one, dropping words from the
end, as Meilisearch's ``matchingStrategy: last``) are *partial matches*: they are listed after
all matches, flagged `Hit.partial`, and counted apart in `SearchResult.partial_total`, never
in `total`. Facet counts cover the matches, or the partial matches when there are none (so a
page listing only partial matches can still be narrowed). Under an explicit sort (stars, name,
activity) only the matches are listed and `partial_total` is 0: sorted partial matches would
interleave with the matches, and Meilisearch sorts before its ``words`` rule.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal, Protocol, get_args, runtime_checkable

from pydantic import Field

from schemas.errors import InvalidQueryError
from schemas.record import Record

# Filterable (and facetable) fields, by the name the API, CLI and both backends use.
KEYWORD_FIELDS: tuple[str, ...] = (
    "licence",
    "category",
    "platform",
    "software_type",
    "development_status",
    "maintenance_type",
    "organisation",
    "forge",
    "language",
    "declared",
    "archived",
    "reused_by_organisations",
    # maturity (schemas.maturity, docs/maturity.md): the summary level and per-criterion flags
    "maturity",
    "has_release",
    "has_ci",
    "has_security_policy",
    "active_within",
    # Publisher views (issue 13): validity, any finding, and the findings' codes.
    "valid",
    "has_findings",
    "finding",
)
"""``valid`` is false when a finding is an error, ``has_findings`` true with any finding,
``finding`` holds the codes of the record's findings (``publiccode.required``, …).
``reused_by_organisations`` holds reuse levels, not counts: a record other organisations'
repositories use gets ``"N+"`` for every threshold N of `REUSE_THRESHOLDS` it reaches, so the
value ``2+`` filters "used by at least 2 other organisations" and facet counts are cumulative."""
REUSE_THRESHOLDS: tuple[int, ...] = (1, 2, 3, 5, 10, 20, 50, 100)
REUSE_LEVELS: tuple[str, ...] = tuple(f"{threshold}+" for threshold in REUSE_THRESHOLDS)
MATURITY_VALUES: dict[str, frozenset[str]] = {
    "maturity": frozenset({"0", "1", "2", "3"}),
    "has_release": frozenset({"true", "false"}),
    "has_ci": frozenset({"true", "false"}),
    "has_security_policy": frozenset({"true", "false"}),
    "active_within": frozenset({"90d", "1y"}),
}
"""The values each maturity filter takes. ``maturity`` is the summary level; the ``has_*``
flags are true when the criterion is met (a record whose facts were not read has no value, so
neither true nor false selects it); ``active_within`` is cumulative (``1y`` includes ``90d``)."""
RANGE_FIELDS: tuple[str, ...] = ("last_activity",)
FILTER_FIELDS: tuple[str, ...] = KEYWORD_FIELDS + RANGE_FIELDS
FACET_FIELDS: tuple[str, ...] = KEYWORD_FIELDS
BOOLEAN_FIELDS: frozenset[str] = frozenset({"declared", "archived", "valid", "has_findings"})

SortKey = Literal[
    "relevance",
    "last_activity",
    "-last_activity",
    "name",
    "-name",
    "stars",
    "-stars",
    "reused_by_organisations",
    "-reused_by_organisations",
    "maturity",
    "-maturity",
]
SORT_KEYS: tuple[str, ...] = get_args(SortKey)
# ``last_activity``, ``stars`` and ``reused_by_organisations`` (by reuse level, see
# `REUSE_THRESHOLDS`) and ``maturity`` (summary level) sort newest / most first; the ``-``
# form reverses. Ties go to the most recently active.
LOCALES: tuple[str, ...] = ("de", "en", "it", "fr", "nl")
MAX_QUERY_LENGTH = 512
MAX_PER_PAGE = 100
MAX_PAGE_DEPTH = 10_000  # page * per_page beyond this is refused, as deep paging is unbounded work


@dataclass(frozen=True)
class ActivityRange:
    """A closed-open range on last activity: ``since <= last_activity < until``; either may be open."""

    since: datetime | None = None
    until: datetime | None = None


FilterValue = tuple[str, ...] | ActivityRange


@dataclass(frozen=True)
class Hit:
    """One search hit: what a result card shows, plus HTML-safe highlights.

    `highlights` maps ``name``, ``short_description`` and ``features`` (when they matched) to
    HTML: the text is escaped first, then ``<mark>``…``</mark>`` is added around matches.
    """

    id: str
    url: str
    name: str
    short_description: str | None
    licence: str | None
    last_activity: datetime | None
    declared: bool
    valid: bool
    forge: str
    stars: int | None
    organisation: str | None
    mirrors: tuple[str, ...] = ()
    highlights: Mapping[str, str] = field(default_factory=dict)
    # Holds only some of the query words (see the module docstring).
    partial: Annotated[
        bool, Field(description="holds only some of the query words (a partial match)")
    ] = False
    organisation_id: Annotated[
        str | None,
        Field(description="id of the organisation (the value the organisation filter takes)"),
    ] = None


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the exact counts, and facet counts (value → count, most first).

    `total` counts records matching every query word, `partial_total` those matching only
    some (listed after them; pages run over both). `also_searched` names the synonyms the
    query was widened with (``"Müll"`` for ``"Abfall"``); `did_you_mean` is a corrected
    query from the index's own words, offered when nothing matched every word.
    """

    hits: Sequence[Hit]
    total: int
    facets: Mapping[str, Mapping[str, int]]
    page: int
    per_page: int
    partial_total: int = 0
    also_searched: tuple[str, ...] = ()
    did_you_mean: str | None = None

    @property
    def listed(self) -> int:
        """How many records the pages run over: matches, then partial matches."""
        return self.total + self.partial_total


@runtime_checkable
class SearchBackend(Protocol):
    """What the API, the CLI and the indexer need from a search backend."""

    def search(
        self,
        query: str = "",
        filters: Mapping[str, FilterValue] | None = None,
        facets: Sequence[str] = (),
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        locale: str = "en",
    ) -> SearchResult:
        """Search; raises `InvalidQueryError` on an unusable filter, facet, sort or page."""
        ...

    def upsert(self, records: Iterable[Record]) -> None:
        """Add or replace records by id."""
        ...

    def delete(self, ids: Iterable[str]) -> None:
        """Remove records by id; unknown ids are ignored."""
        ...

    def rebuild(self) -> None:
        """Rebuild the whole index from the store, with no network request to any forge."""
        ...


@dataclass(frozen=True)
class SearchRequest:
    """A search request `check_query` and `check_request` accepted (`filters` never None)."""

    query: str
    filters: Mapping[str, FilterValue]
    facets: Sequence[str]
    sort: str
    page: int
    per_page: int
    locale: str


class CheckedSearch(ABC):
    """The front both backends share, so they refuse exactly the same requests: `search`
    checks the request (`check_query`, `check_request`) and hands only a usable one to the
    backend's `run_search`."""

    def search(
        self,
        query: str = "",
        filters: Mapping[str, FilterValue] | None = None,
        facets: Sequence[str] = (),
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        locale: str = "en",
    ) -> SearchResult:
        """Search (see `SearchBackend.search`); `InvalidQueryError` before the backend does any
        work (no request to a server, no read of an index) when the request is unusable."""
        check_query(query)
        check_request(filters, facets, sort, page, per_page, locale)
        request = SearchRequest(query, filters or {}, facets, sort, page, per_page, locale)
        return self.run_search(request)

    @abstractmethod
    def run_search(self, request: SearchRequest) -> SearchResult:
        """Search for a checked request."""


def check_query(query: str) -> None:
    """Raise `InvalidQueryError` when the query text cannot be searched (too long, not text).

    Shared by both backends. Any other text is searched as plain words: query-language syntax
    (quotes, ``*``, ``NEAR(``, ``AND``/``OR``/``NOT``, ``field:``) has no special meaning.
    """
    if not isinstance(query, str):
        raise InvalidQueryError("the query must be text")
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidQueryError(
            f"the query is {len(query)} characters long; shorten it to at most "
            f"{MAX_QUERY_LENGTH} characters"
        )


def check_request(
    filters: Mapping[str, FilterValue] | None,
    facets: Sequence[str],
    sort: str,
    page: int,
    per_page: int,
    locale: str,
) -> None:
    """Raise `InvalidQueryError` naming the offending part when a request cannot be searched.

    Shared by both backends so they refuse exactly the same requests.
    """
    for name, value in (filters or {}).items():
        if name not in FILTER_FIELDS:
            raise InvalidQueryError(
                f"unknown filter field {name!r}; use one of: {', '.join(FILTER_FIELDS)}"
            )
        if name in RANGE_FIELDS:
            if not isinstance(value, ActivityRange):
                raise InvalidQueryError(f"filter {name!r} takes a date range (since/until)")
        elif isinstance(value, ActivityRange) or not all(isinstance(v, str) for v in value):
            raise InvalidQueryError(f"filter {name!r} takes a list of strings")
        elif name in BOOLEAN_FIELDS and any(v not in {"true", "false"} for v in value):
            raise InvalidQueryError(f"filter {name!r} takes true or false")
        elif name == "reused_by_organisations" and any(v not in REUSE_LEVELS for v in value):
            raise InvalidQueryError(
                f"filter {name!r} takes a reuse level: one of {', '.join(REUSE_LEVELS)}"
            )
        elif name in MATURITY_VALUES and any(v not in MATURITY_VALUES[name] for v in value):
            raise InvalidQueryError(
                f"filter {name!r} takes one of: {', '.join(sorted(MATURITY_VALUES[name]))}"
            )
    for name in facets:
        if name not in FACET_FIELDS:
            raise InvalidQueryError(
                f"unknown facet {name!r}; use one of: {', '.join(FACET_FIELDS)}"
            )
    if sort not in SORT_KEYS:
        raise InvalidQueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORT_KEYS)}")
    if page < 1:
        raise InvalidQueryError("page starts at 1")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidQueryError(f"per_page must be between 1 and {MAX_PER_PAGE}")
    if page * per_page > MAX_PAGE_DEPTH:
        raise InvalidQueryError(
            f"page {page} is too deep (page × per_page over {MAX_PAGE_DEPTH}); narrow the search"
        )
    if locale.split("-")[0].lower() not in LOCALES:
        raise InvalidQueryError(f"unknown locale {locale!r}; use one of: {', '.join(LOCALES)}")
