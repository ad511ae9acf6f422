"""Output models of the reuse API: a software's reuse panels and the package lookup."""

from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.reuse import ReuseLink, ReuseSummary


class ReuseResponse(BaseModel):
    """Who uses one catalogue software, and which catalogue software it uses, with evidence."""

    id: str
    summary: ReuseSummary
    used_by: list[ReuseLink] = Field(
        description="repositories of other organisations using it (not the publisher's own)"
    )
    internal_use: list[ReuseLink] = Field(
        description="repositories of the publisher's own organisation using it (not reuse)"
    )
    declared_users: list[ReuseLink] = Field(
        description="organisations its publiccode.yml lists in usedBy (self-declared)"
    )
    uses: list[ReuseLink] = Field(description="catalogue software of other organisations it uses")
    internal_uses: list[ReuseLink] = Field(
        description="catalogue software of its own organisation it uses"
    )
    names: dict[str, str] = Field(description="record id → name of the records the links name")
    links: dict[str, str]


class PackageRecord(BaseModel):
    """A catalogue record publishing or using the package, with the manifest line."""

    id: str
    name: str
    url: str
    purl: str = Field(description="the purl as the manifest names it (version included)")
    path: str = Field(description="manifest path in the repository")
    line: int | None
    scope: str | None = Field(
        description="how it is used (runtime, development, …); null: published"
    )
    evidence_url: str | None = Field(description="the manifest line on the forge")
    links: dict[str, str]


class PackageResponse(BaseModel):
    """Which catalogue software publishes a package and which uses it (any version)."""

    purl: str = Field(description="the package URL asked for")
    key: str = Field(description="the package it names, without version: what was matched")
    published_by: list[PackageRecord]
    used_by: list[PackageRecord]
