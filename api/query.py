"""The catalogue query every reader shares: the JSON search, the pages, exports and the feed.

One pydantic model holds the query text and the filters, so ``/api/v1/software``,
``/api/v1/export``, ``/feeds/software.atom`` and the search page accept exactly the same
parameters and turn them into the same whitelisted filter structure the search backends take
(`indexer.search.protocol`). Parameter names are the protocol's filter names, except the
last-activity range, which is ``active_since`` / ``active_until`` (dates).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from indexer.search.protocol import (
    FACET_FIELDS,
    KEYWORD_FIELDS,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    ActivityRange,
    FilterValue,
    SortKey,
)

MAX_FILTER_VALUES = 20
FilterText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ValueList = Annotated[list[FilterText], Field(max_length=MAX_FILTER_VALUES)]
MATURITY_FLAGS: tuple[str, ...] = ("has_release", "has_ci", "has_security_policy")
"""Maturity filters that take true or false (docs/maturity.md)."""
FLAG_FILTERS: tuple[str, ...] = ("declared", "archived", *MATURITY_FLAGS, "valid", "has_findings")
LIST_FILTERS: tuple[str, ...] = tuple(name for name in KEYWORD_FIELDS if name not in FLAG_FILTERS)
DEFAULT_FACETS: tuple[str, ...] = (
    "licence",
    "category",
    "platform",
    "software_type",
    "development_status",
    "organisation",
    "forge",
    "language",
    "reused_by_organisations",
    "maturity",
    "active_within",
    "has_ci",
    "has_release",
    "has_security_policy",
)


class CatalogueQuery(BaseModel):
    """A text query and filters. Values of one filter are OR-ed, filters are AND-ed."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field(default="", max_length=MAX_QUERY_LENGTH, description="words to search for")
    licence: ValueList = Field(default_factory=list, description="SPDX licence ids")
    category: ValueList = Field(default_factory=list, description="publiccode.yml categories")
    platform: ValueList = Field(default_factory=list, description="web, linux, windows, …")
    software_type: ValueList = Field(default_factory=list, description="e.g. standalone/web")
    development_status: ValueList = Field(default_factory=list, description="e.g. stable")
    maintenance_type: ValueList = Field(default_factory=list, description="e.g. internal")
    organisation: ValueList = Field(
        default_factory=list,
        description="organisation ids (see /api/v1/organisations); a name is taken for the ids "
        "of every organisation of that name",
    )
    forge: ValueList = Field(default_factory=list, description="registered forge names")
    language: ValueList = Field(default_factory=list, description="programming languages")
    reused_by_organisations: ValueList = Field(
        default_factory=list,
        description="reuse level: 1+, 2+, 3+, 5+, 10+, 20+, 50+ or 100+ other organisations "
        "whose repositories use the software (2+ means at least two)",
    )
    declared: bool | None = Field(
        default=None, description="true: from a publiccode.yml; false: inferred from the forge"
    )
    archived: bool | None = Field(default=None, description="the repository is archived")
    # maturity (docs/maturity.md)
    maturity: Annotated[list[Literal["0", "1", "2", "3"]], Field(max_length=4)] = Field(
        default_factory=list, description="summary maturity level 0, 1, 2 or 3"
    )
    has_release: bool | None = Field(
        default=None, description="the repository has a release (unknown: neither)"
    )
    has_ci: bool | None = Field(
        default=None, description="a CI configuration is at the root (unknown: neither)"
    )
    has_security_policy: bool | None = Field(
        default=None, description="a SECURITY policy is at the root (unknown: neither)"
    )
    active_within: Annotated[list[Literal["90d", "1y"]], Field(max_length=2)] = Field(
        default_factory=list, description="a commit within 90 days (90d) or a year (1y)"
    )
    # Publisher views (issue 13).
    valid: bool | None = Field(
        default=None, description="false: the record has an error finding (invalid or unreadable)"
    )
    has_findings: bool | None = Field(default=None, description="the record has any finding")
    finding: ValueList = Field(
        default_factory=list, description="finding codes, like publiccode.required"
    )
    active_since: date | None = Field(
        default=None, description="last activity on or after this day (YYYY-MM-DD)"
    )
    active_until: date | None = Field(
        default=None, description="last activity before this day (YYYY-MM-DD)"
    )

    @field_validator("q")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    def filters(self) -> dict[str, FilterValue]:
        """The protocol's filter mapping for this query (only the filters that are set)."""
        result: dict[str, FilterValue] = {}
        for name in LIST_FILTERS:
            values: list[str] = getattr(self, name)
            if values:
                result[name] = tuple(dict.fromkeys(values))
        for name in FLAG_FILTERS:
            flag: bool | None = getattr(self, name)
            if flag is not None:
                result[name] = ("true" if flag else "false",)
        if self.active_since or self.active_until:
            result["last_activity"] = ActivityRange(
                since=_start_of(self.active_since), until=_start_of(self.active_until)
            )
        return result

    def params(self) -> list[tuple[str, str]]:
        """The query as URL parameters, in a stable order (for links that keep the state)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name in LIST_FILTERS:
            pairs.extend((name, value) for value in getattr(self, name))
        for name in FLAG_FILTERS:
            flag = getattr(self, name)
            if flag is not None:
                pairs.append((name, "true" if flag else "false"))
        if self.active_since:
            pairs.append(("active_since", self.active_since.isoformat()))
        if self.active_until:
            pairs.append(("active_until", self.active_until.isoformat()))
        return pairs

    def is_empty(self) -> bool:
        """True when neither words nor filters narrow the catalogue."""
        return not self.q and not self.filters()


class SearchPage(BaseModel):
    """Which facets to count, the order, and the page to show."""

    model_config = ConfigDict(extra="ignore")

    facets: list[str] = Field(
        default_factory=list,
        max_length=len(FACET_FIELDS),
        description=f"facets to count, repeated or comma-separated: {', '.join(FACET_FIELDS)}",
    )
    sort: SortKey = Field(default="relevance", description="order of the hits")
    page: int = Field(default=1, ge=1, le=10_000, description="1-based page number")
    per_page: int = Field(default=20, ge=1, le=MAX_PER_PAGE, description="hits per page")

    @field_validator("facets")
    @classmethod
    def _split_facets(cls, values: list[str]) -> list[str]:
        names = [name.strip() for value in values for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in FACET_FIELDS]
        if unknown:
            raise ValueError(f"unknown facet {unknown[0]!r}; use any of: {', '.join(FACET_FIELDS)}")
        return list(dict.fromkeys(names))


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def query_string(pairs: list[tuple[str, str]]) -> str:
    """URL-encode parameter pairs (``a=1&b=2``), repeating names for lists."""
    return urlencode(pairs)
