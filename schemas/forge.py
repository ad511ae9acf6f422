"""Forge registrations and what a crawl learns about each repository.

Pure data shared by the crawler (which fills it), the store (which keeps it) and the CLI/API
(which show it). A registration never holds a token: `token_env` names the environment
variable the token is read from at crawl time (architecture decision 8).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.facts import CrawledFacts

ForgeKind = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,31}$")]
"""The name of a forge kind. The kinds themselves are registered in `crawler.kinds` (schemas
knows no kind): a registration of a kind nobody registered is refused there, by name."""


class ForgeRegistration(BaseModel):
    """A registered forge and the part of it to crawl.

    No `groups`, `orgs` or `repos` means the whole instance (a GitLab instance, or every
    organisation of a GitHub Enterprise Server); github.com needs at least one org or repo.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,62}$", description="short unique name")
    kind: ForgeKind
    url: str = Field(description="normalised base URL, e.g. https://gitlab.opencode.de")
    groups: list[str] = Field(
        default_factory=list, description="GitLab group paths, with subgroups"
    )
    orgs: list[str] = Field(default_factory=list, description="GitHub organisation logins")
    repos: list[str] = Field(default_factory=list, description="single repositories, OWNER/NAME")
    exclude: list[str] = Field(default_factory=list, description="paths left out of the crawl")
    token_env: str | None = Field(
        default=None, description="environment variable holding the token"
    )
    allow_private: bool = Field(default=False, description="allow private/loopback addresses")
    notify_issues: bool = Field(
        default=False,
        description="open an issue on a repository whose publiccode.yml turns invalid, update "
        "it, close it when fixed (needs CODEREUSE_FORGE_TOKEN_<NAME>_WRITE; docs/notifications.md)",
    )

    @property
    def whole_instance(self) -> bool:
        """True when no group, org or repo narrows the scope."""
        return not (self.groups or self.orgs or self.repos)


class RepositoryFingerprint(BaseModel):
    """What the store remembers of a repository to decide whether a recrawl must fetch it again."""

    model_config = ConfigDict(frozen=True)

    forge_id: str
    url: str
    last_activity: datetime | None = None
    blob_id: str | None = None
    etag: str | None = None


class ForgeFacts(BaseModel):
    """What a forge says about a repository, whatever kind and API answered: the typed,
    kind-neutral view normalisation reads (each forge kind maps its own answer onto it).

    Every field is None or empty when the forge did not say; values are already checked
    (non-negative counts, aware datetimes, non-blank strings).
    """

    name: str | None = None
    path: str | None = Field(default=None, description="owner/name or group/sub/name")
    description: str | None = None
    default_branch: str | None = None
    stars: int | None = None
    forks: int | None = None
    topics: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list, description="main language first")
    licence: str | None = Field(default=None, description="SPDX id the forge detected")
    created_at: datetime | None = None
    last_activity: datetime | None = None
    archived: bool = False
    is_fork: bool = False
    fork_parent_url: str | None = None
    homepage: str | None = None
    visibility: str | None = Field(default=None, description="public, internal or private")
    empty: bool = Field(default=False, description="the repository has no commits yet")
    repository: CrawledFacts | None = Field(
        default=None, description="root files, README, releases, commits (schemas.facts)"
    )


class RepositorySnapshot(BaseModel):
    """One repository as one crawl saw it: the raw forge payload and the raw publiccode bytes.

    The store keeps these so re-normalisation and index rebuilds need no network (decision 1).
    """

    model_config = ConfigDict(extra="forbid")

    forge: str = Field(description="registration name")
    forge_id: str = Field(description="the forge's stable id (numeric id or GraphQL node id)")
    url: str = Field(description="repository URL as the forge spells it")
    canonical_id: str
    payload: dict[str, Any] = Field(default_factory=dict, description="raw forge metadata")
    publiccode_path: str | None = None
    publiccode: bytes | None = Field(default=None, description="raw publiccode.yml bytes")
    blob_id: str | None = None
    etag: str | None = None
    last_activity: datetime | None = None
    archived: bool = False
    is_fork: bool = False
    fetched_at: datetime
