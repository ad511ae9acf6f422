"""Output and input models of the JSON API, separate from the store's and the search's types.

Output models say exactly what a client gets (they are the OpenAPI response schemas); input
models say what a client may send, with ``extra="forbid"`` so typos are refused, not ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.findings import Finding
from schemas.forge import ForgeKind, ForgeRegistration
from schemas.record import Record


class FacetValue(BaseModel):
    value: str
    count: int


class HitOut(BaseModel):
    """One search hit; `highlights` hold HTML (escaped text with ``<mark>`` around matches)."""

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
    mirrors: list[str]
    highlights: dict[str, str]
    links: dict[str, str] = Field(description="self (JSON) and page (HTML) URLs")
    partial: bool = Field(
        default=False, description="holds only some of the query words (a partial match)"
    )


class SearchResponse(BaseModel):
    """A page of hits, the exact total, facet counts (most first) and links to other pages."""

    query: str
    total: int = Field(description="records holding every query word")
    partial_total: int = Field(
        default=0,
        description="records holding only some query words, listed after the total's hits",
    )
    also_searched: list[str] = Field(
        default_factory=list, description="synonyms the query was widened with"
    )
    did_you_mean: str | None = Field(
        default=None,
        description="a corrected query from the catalogue's words, when nothing matched",
    )
    page: int
    per_page: int
    pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValue]]
    links: dict[str, str] = Field(description="self, next, prev, export_csv")


class RelatedRecord(BaseModel):
    """Another record linked to this one, and whether the catalogue lists it."""

    kind: Literal["mirror", "alias", "based_on", "fork_of", "fork", "variant"]
    url: str
    id: str
    name: str | None = Field(description="its name when the catalogue lists it")
    listed: bool


class SoftwareDetail(BaseModel):
    """The full record with provenance, relations and findings, plus store timestamps."""

    record: Record
    first_seen: datetime | None
    last_seen: datetime | None
    last_changed: datetime | None
    related: list[RelatedRecord]
    links: dict[str, str] = Field(description="self, page, publiccode_yml, publiccode")


class CrawlRunOut(BaseModel):
    id: int
    forge: str
    full: bool
    started_at: datetime
    finished_at: datetime | None
    status: str
    requests: int
    records_total: int | None
    stats: dict[str, Any]


class CrawlJobOut(BaseModel):
    id: int
    forge: str
    status: str
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class ForgeOut(BaseModel):
    """A registered forge: its registration, how many records it brings, its last crawls."""

    registration: ForgeRegistration
    records: int
    last_crawl: CrawlRunOut | None
    crawls: list[CrawlRunOut] = Field(default_factory=list, description="latest first")
    errors: list[str] = Field(
        default_factory=list, description="problems reported by the latest crawl"
    )
    links: dict[str, str]


class ForgeCreate(BaseModel):
    """A forge to register; the server checks the URL, the kind and refuses private addresses."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=500, description="forge, group or organisation URL")
    kind: ForgeKind
    name: str | None = Field(default=None, max_length=63)
    groups: list[str] = Field(default_factory=list, max_length=500)
    orgs: list[str] = Field(default_factory=list, max_length=500)
    repos: list[str] = Field(default_factory=list, max_length=5000)
    exclude: list[str] = Field(default_factory=list, max_length=5000)
    token_env: str | None = Field(
        default=None,
        max_length=100,
        description="NAME of the environment variable with the token; only names the server's "
        "CODEREUSE_ALLOWED_TOKEN_ENV allows (default GITHUB_TOKEN, GITLAB_TOKEN, "
        "CODEREUSE_FORGE_TOKEN_*)",
    )


class ForgePatch(BaseModel):
    """Changes to a registration; fields left out stay as they are. Lists replace the old ones."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=500)
    groups: list[str] | None = Field(default=None, max_length=500)
    orgs: list[str] | None = Field(default=None, max_length=500)
    repos: list[str] | None = Field(default=None, max_length=5000)
    exclude: list[str] | None = Field(default=None, max_length=5000)
    token_env: str | None = Field(default=None, max_length=100)


class StatusOut(BaseModel):
    """Whether a repository is listed, and if not, why."""

    url: str = Field(description="the URL asked about")
    canonical_url: str | None
    id: str | None
    status: Literal["listed", "invalid", "not_found", "not_covered", "bad_url"]
    message: str = Field(description="what this means and what to do")
    record: HitOut | None = None
    findings: list[Finding] = Field(default_factory=list)
    forge: str | None = Field(default=None, description="registered forge covering the URL")
    last_crawl: CrawlRunOut | None = None


class StatsOut(BaseModel):
    """Counts over the live catalogue and its size after each crawl run."""

    records: int
    declared: int
    valid: int
    forges: int
    repositories: int
    by_forge: dict[str, int]
    by_organisation: dict[str, int]
    by_licence: dict[str, int]
    by_language: dict[str, int]
    by_category: dict[str, int]
    history: list[CrawlRunOut]


class Health(BaseModel):
    status: Literal["ok"]
    checks: dict[str, str] = Field(default_factory=dict)
