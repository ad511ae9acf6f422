"""Output and input models of the JSON API.

Output models say exactly what a client gets (they are the OpenAPI response schemas); input
models say what a client may send, with ``extra="forbid"`` so typos are refused, not ignored.
Where the API shows a store or search value as it is (a crawl run, a job, the statistics, a
hit), its output model *is* that value's type under the API's schema name (a pydantic dataclass
subclass), built with `schemas.copying.from_attributes`: a field added to the value is in the
API and its OpenAPI schema at once, with no second definition to keep in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass

from indexer.search.protocol import Hit
from indexer.store.values import CatalogueStats, CrawlJob, CrawlRun
from schemas.findings import Finding
from schemas.forge import ForgeKind, ForgeRegistration
from schemas.record import Record


class FacetValue(BaseModel):
    value: str
    count: int


class SearchFacetValue(FacetValue):
    """A search facet's value and count; `label` names an id-valued one (``organisation``)."""

    label: str | None = Field(
        default=None,
        description="how people read the value where it is an id (the organisation's name); "
        "null for other facets",
    )


@dataclass(frozen=True, kw_only=True)
class HitOut(Hit):
    """One search hit; `highlights` hold HTML (escaped text with ``<mark>`` around matches)."""

    links: dict[str, str] = Field(description="self (JSON) and page (HTML) URLs")


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
    facets: dict[str, list[SearchFacetValue]]
    links: dict[str, str] = Field(description="self, next, prev, export_csv")


class FindingOut(Finding):
    """A finding with its message in the language asked for (`text`) beside the English one
    (`message`) and the catalogue `code` both are keyed by."""

    language: Literal["de", "en"] = Field(description="the language of text")
    text: str = Field(description="the message in the language asked for")


def findings_out(findings: Sequence[Finding], language: str) -> list[FindingOut]:
    """`findings` with their text in `language` (de or en; anything else gives English)."""
    from api.findings_text import finding_message

    shown: Literal["de", "en"] = "de" if language == "de" else "en"
    return [
        FindingOut(**finding.model_dump(), language=shown, text=finding_message(finding, shown))
        for finding in findings
    ]


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
    findings: list[FindingOut] = Field(
        default_factory=list,
        description="the record's findings with their text in the language asked for (lang)",
    )
    links: dict[str, str] = Field(description="self, page, publiccode_yml, publiccode")


HITS_JSON = TypeAdapter(list[HitOut])
"""Dumps hits to JSON-ready values (``HITS_JSON.dump_python(hits, mode="json")``)."""


@dataclass(frozen=True)
class CrawlRunOut(CrawlRun):
    """One crawl of one forge: when, full or incremental, how it ended, what it counted."""


@dataclass(frozen=True)
class CrawlJobOut(CrawlJob):
    """A crawl asked for over the API, for the job runner of ``serve`` (or ``run``) to pick up."""


class ForgeOut(BaseModel):
    """A registered forge: its registration, how many records it brings, its last crawls."""

    registration: ForgeRegistration
    records: int
    invalid: int = Field(default=0, description="records with an error finding")
    last_crawl: CrawlRunOut | None
    crawls: list[CrawlRunOut] = Field(default_factory=list, description="latest first")
    errors: list[str] = Field(
        default_factory=list,
        description="problems reported by the latest crawl, in the language asked for (lang)",
    )
    findings: list[FindingOut] = Field(
        default_factory=list,
        description="the same problems as findings: code (crawl.refused, crawl.unreachable, "
        "crawl.rate_limited…), params, the English message and the text in the language asked for",
    )
    links: dict[str, str]


class ForgeCreate(BaseModel):
    """A forge to register; the server checks the URL and the kind, and refuses private
    addresses unless `allow_private` (an on-premises forge; the admin token is required)."""

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
    notify_issues: bool = Field(
        default=False,
        description="open, update and close issues on repositories whose publiccode.yml is "
        "broken (the server needs CODEREUSE_FORGE_TOKEN_<NAME>_WRITE)",
    )
    allow_private: bool = Field(
        default=False,
        description="allow a forge on a private or loopback address (an on-premises forge), "
        "as `codereuse forges add --allow-private`",
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
    notify_issues: bool | None = Field(default=None, description="see ForgeCreate")
    allow_private: bool | None = Field(
        default=None, description="allow (true) or refuse again (false) a private address"
    )


StatusKind = Literal[
    "listed",
    "invalid",
    "unreadable",
    "empty",
    "archived",
    "fork",
    "renamed",
    "not_covered",
    "excluded",
    "internal",
    "private",
    "deleted",
    "not_crawled",
    "forge_failing",
    "not_found",
    "bad_url",
]
"""The reasons the status check names (`api.status_check`)."""


class StatusOut(BaseModel):
    """Whether a repository is listed, and if not, why."""

    url: str = Field(description="the URL asked about")
    canonical_url: str | None
    id: str | None
    status: StatusKind = Field(
        description="listed, invalid (errors) or unreadable (publiccode.yml too large, truncated "
        "or undecodable) with the record; listed but empty, archived or a fork (listed and "
        "marked, never left out for it); renamed (moved_to says where it is now); or why it is "
        "not listed"
    )
    message: str = Field(description="what this means and what to do")
    record: HitOut | None = None
    findings: list[FindingOut] = Field(
        default_factory=list, description="with their text in the language asked for"
    )
    forge: str | None = Field(
        default=None, description="the most specific registered forge covering the URL"
    )
    last_crawl: CrawlRunOut | None = None
    moved_to: str | None = Field(default=None, description="where the repository is listed now")
    fork_of: str | None = Field(default=None, description="the repository a fork comes from")
    rule: str | None = Field(default=None, description="the exclude rule leaving it out")
    since: datetime | None = Field(default=None, description="when it was deleted (tombstoned)")
    suggestion: str | None = Field(default=None, description="which registration would cover it")
    error: str | None = Field(default=None, description="the forge's last crawl error")
    next_crawl_at: datetime | None = Field(default=None, description="when the next crawl is due")
    file_size: int | None = Field(default=None, description="size of the unreadable file, bytes")
    file_limit: int | None = Field(default=None, description="largest file read, bytes")


@dataclass(frozen=True)
class StatsOut(CatalogueStats):
    """Counts over the live catalogue and its size after each crawl run."""

    history: Sequence[CrawlRunOut]


class Health(BaseModel):
    status: Literal["ok"]
    checks: dict[str, str] = Field(default_factory=dict)
