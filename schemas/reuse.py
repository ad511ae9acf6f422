"""Reuse evidence: who uses a catalogue software, each link with its source and confidence.

A `ReuseLink` says that a *user* (a catalogue repository, or an organisation that declared
itself in publiccode.yml ``usedBy``) uses a catalogue *software*:

- ``depends_on``: the user's dependency manifest names a package the software publishes
  (evidence: manifest path and line);
- ``fork_of``: the user's repository is a forge fork of the software's;
- ``based_on``: the user's publiccode.yml names the software in ``isBasedOn``;
- ``declared_used_by``: the software's own publiccode.yml lists the user in ``usedBy``
  (`self_declared`: nobody but the publisher says so).

A link between two repositories of one organisation is `internal`: shown apart, never counted
as reuse. Until organisations are entities, an organisation is its forge owner path
(`organisation_key`). `ReuseSummary` is what a record carries: the counts the search filters and
sorts on ("used by N repositories of M organisations").
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

ReuseKind = Literal["depends_on", "fork_of", "based_on", "declared_used_by"]
REUSE_KINDS: tuple[ReuseKind, ...] = ("depends_on", "fork_of", "based_on", "declared_used_by")
Confidence = Literal["high", "medium", "low"]


class ReuseSummary(BaseModel):
    """How much a software is reused (carried by the record, computed by federation)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    used_by_repositories: int = Field(
        default=0, ge=0, description="catalogue repositories of other organisations using it"
    )
    used_by_organisations: int = Field(
        default=0, ge=0, description="other organisations whose repositories use it"
    )
    internal_repositories: int = Field(
        default=0, ge=0, description="repositories of the publisher's own organisation using it"
    )
    declared_users: int = Field(
        default=0, ge=0, description="organisations named in publiccode.yml usedBy (self-declared)"
    )
    uses_software: int = Field(
        default=0, ge=0, description="catalogue software this one uses (other organisations')"
    )


class ReuseLink(BaseModel):
    """One piece of reuse evidence (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ReuseKind
    software_id: str = Field(description="id of the catalogue record being used")
    software_organisation: str
    user_id: str | None = Field(
        default=None, description="id of the using catalogue record; null for usedBy"
    )
    user_organisation: str = Field(description="organisation of the user (or the usedBy name)")
    user_url: str | None = Field(default=None, description="repository URL of the user")
    purl: str | None = Field(default=None, description="package named by the manifest")
    path: str | None = Field(default=None, description="file holding the evidence")
    line: int | None = Field(default=None, ge=1)
    evidence_url: str | None = Field(
        default=None, description="web page of the evidence: the manifest line on the forge"
    )
    confidence: Confidence
    self_declared: bool = False
    internal: bool = Field(description="user and software belong to one organisation")
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    @property
    def user_key(self) -> str:
        """Who the user is, for identity of a link: the record id, or the usedBy name."""
        return self.user_id if self.user_id is not None else f"usedBy:{self.user_organisation}"

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """(software, kind, user, package): one stored row per identity."""
        return (self.software_id, self.kind, self.user_key, self.purl or "")


def owner_path(url: str) -> str:
    """Host and first path segment of a repository URL: the forge owner (user, org, group)."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    host = (parts.hostname or "").lower()
    return f"{host}/{segments[0].lower()}" if segments else host
