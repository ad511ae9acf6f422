"""The catalogue record: the one shape the store keeps, the search indexes and the exports write.

A record describes one piece of software, identified by the canonical URL of its repository.
It is *declared* when it comes from a publiccode.yml, *inferred* when only forge metadata was
available. Everything a user may want to know about where a value came from sits in
`provenance`; everything about the hosting repository in `repository`; links to other records
(mirrors, variants, forks) in `relations`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from schemas.facts import RepositoryFacts
from schemas.findings import Finding, has_errors
from schemas.forge import ForgeKind
from schemas.manifests.model import Packages
from schemas.organisation import OrganisationKind, SourceKind
from schemas.publiccode.vocabularies import DevelopmentStatus, MaintenanceType, SoftwareType
from schemas.reuse import ReuseSummary

RECORD_SCHEMA_VERSION: Literal["1"] = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Description(_Model):
    """The texts of one language section (``description.<lang>`` of publiccode.yml)."""

    localised_name: str | None = None
    generic_name: str | None = None
    short: str | None = Field(default=None, description="shortDescription, one sentence")
    long: str | None = Field(default=None, description="longDescription, Markdown")
    features: list[str] = Field(default_factory=list)
    documentation: str | None = None
    api_documentation: str | None = None
    screenshots: list[str] = Field(default_factory=list)
    videos: list[str] = Field(default_factory=list)
    awards: list[str] = Field(default_factory=list)


class Licence(_Model):
    """An SPDX licence expression and the licence ids it names."""

    expression: str = Field(description="the SPDX expression as declared, e.g. 'EUPL-1.2 OR MIT'")
    ids: list[str] = Field(default_factory=list, description="SPDX ids in the expression, in order")
    valid: bool = Field(description="the expression parses and every id is a known SPDX id")


class Contact(_Model):
    """A person to contact about the software's maintenance."""

    name: str
    email: str | None = None
    phone: str | None = None
    affiliation: str | None = None


class Contractor(_Model):
    """A company paid to maintain the software, until a date."""

    name: str
    until: date | None = None
    email: str | None = None
    website: str | None = None


class Maintenance(_Model):
    """Who maintains the software and how."""

    type: MaintenanceType | None = None
    contacts: list[Contact] = Field(default_factory=list)
    contractors: list[Contractor] = Field(default_factory=list)


class Organisation(_Model):
    """The publishing organisation (``organisation``), or one that funds it (``fundedBy``).

    On `Record.organisation` it is the *resolved* organisation (`crawler.normalise.organisations`):
    the declared one when valid, else the registry's organisation of the repository's owner,
    else the forge's profile of the owner. `id` names an `schemas.organisation.OrganisationEntity`;
    kind ``person`` is a user namespace (no name kept, not shown as an organisation).
    """

    id: str | None = Field(default=None, description="organisation id (see /organisations)")
    name: str | None = None
    uri: str | None = None
    kind: OrganisationKind | None = None
    source: SourceKind | None = Field(
        default=None, description="publiccode, registry or forge: where the organisation came from"
    )


class Dependency(_Model):
    """A runtime or system dependency (``dependsOn``)."""

    kind: Literal["open", "proprietary", "hardware"]
    name: str
    version: str | None = None
    version_min: str | None = None
    version_max: str | None = None
    optional: bool = False


class Relations(_Model):
    """Links between records: the same software elsewhere, and software derived from other software."""

    mirrors: list[str] = Field(
        default_factory=list,
        description="canonical URLs of other repositories holding the same software",
    )
    aliases: list[str] = Field(
        default_factory=list,
        description="earlier canonical URLs of this repository (renames and moves)",
    )
    is_based_on: list[str] = Field(
        default_factory=list, description="canonical URLs this variant is based on (isBasedOn)"
    )
    fork_of: str | None = Field(default=None, description="canonical URL of the forge fork parent")
    forks: list[str] = Field(default_factory=list, description="canonical URLs of known forks")
    variants: list[str] = Field(
        default_factory=list, description="canonical URLs of records whose isBasedOn names this one"
    )


class Repository(_Model):
    """Facts about the hosting repository, as the forge reports them."""

    forge: str = Field(description="name of the registered forge the repository was crawled from")
    forge_kind: ForgeKind | None = None
    forge_id: str | None = Field(
        default=None, description="the forge's own id (numeric or node id)"
    )
    url: str = Field(description="repository URL as the forge spells it")
    default_branch: str | None = None
    description: str | None = None
    stars: int | None = None
    forks: int | None = None
    topics: list[str] = Field(default_factory=list)
    languages: list[str] = Field(
        default_factory=list, description="programming languages, main first"
    )
    licence: str | None = Field(default=None, description="SPDX id the forge detected, if any")
    created_at: datetime | None = None
    last_activity: datetime | None = None
    archived: bool = False
    is_fork: bool = False
    homepage: str | None = None
    owner: str | None = Field(
        default=None,
        description="forge owner path: host and group/organisation/user path, lower-case",
    )
    facts: RepositoryFacts | None = Field(
        default=None,
        description="root files, README, releases, last commit, open issues; none when not read",
    )


class Provenance(_Model):
    """Where the record came from and how it was made."""

    forge: str
    fetched_at: datetime
    file_path: str | None = Field(default=None, description="publiccode.yml or publiccode.yaml")
    blob_id: str | None = Field(default=None, description="git blob id of the publiccode file")
    parser_version: str
    publiccode_version: str | None = Field(
        default=None, description="publiccodeYmlVersion declared by the file"
    )
    drafted: bool = Field(
        default=False,
        description="true when the record's publiccode.yml view is a draft codereuse made from "
        "forge facts: exactly the inferred records (no publiccode.yml of their own); false for "
        "declared ones, also when their file is invalid (a suggested fix keeps the owner's file)",
    )


class Record(_Model):
    """One piece of software in the catalogue."""

    schema_version: Literal["1"] = "1"
    id: str = Field(
        description="canonical id: host/path of the canonical repository URL, lower-case"
    )
    url: str = Field(description="canonical repository URL")
    declared: bool = Field(description="true when the record comes from a publiccode.yml")
    name: str
    application_suite: str | None = None
    descriptions: dict[str, Description] = Field(
        default_factory=dict, description="texts per BCP 47 language tag"
    )
    licence: Licence | None = None
    main_copyright_owner: str | None = None
    categories: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    software_type: SoftwareType | None = None
    development_status: DevelopmentStatus | None = None
    software_version: str | None = None
    release_date: date | None = None
    landing_url: str | None = None
    roadmap: str | None = None
    logo: str | None = Field(default=None, description="absolute URL of the logo")
    maintenance: Maintenance = Field(default_factory=Maintenance)
    organisation: Organisation | None = None
    funded_by: list[Organisation] = Field(default_factory=list)
    used_by: list[str] = Field(default_factory=list)
    supports: list[str] = Field(
        default_factory=list, description="ids from supports, e.g. alias:gdpr"
    )
    intended_countries: list[str] = Field(default_factory=list)
    intended_scope: list[str] = Field(default_factory=list)
    available_languages: list[str] = Field(default_factory=list)
    localisation_ready: bool | None = None
    dependencies: list[Dependency] = Field(default_factory=list)
    relations: Relations = Field(default_factory=Relations)
    packages: Packages = Field(
        default_factory=Packages,
        description="what the repository's dependency manifests publish and use (package URLs)",
    )
    reuse: ReuseSummary = Field(
        default_factory=ReuseSummary,
        description="how much other organisations' repositories use this software",
    )
    repository: Repository
    provenance: Provenance
    findings: list[Finding] = Field(default_factory=list)

    @model_validator(mode="after")
    def _drafted_follows_declared(self) -> Record:
        """`Provenance.drafted` is ``not declared``, whatever the input said (records stored
        before the flag existed read right, and the two never disagree)."""
        self.provenance.drafted = not self.declared
        return self

    @computed_field(description="false when the publiccode.yml has an error finding")  # type: ignore[prop-decorator]
    @property
    def valid(self) -> bool:
        return not has_errors(self.findings)

    @computed_field(description="name of the forge the record was crawled from")  # type: ignore[prop-decorator]
    @property
    def forge(self) -> str:
        return self.repository.forge

    @computed_field(description="canonical URLs of mirrors (copy of relations.mirrors)")  # type: ignore[prop-decorator]
    @property
    def mirrors(self) -> list[str]:
        return list(self.relations.mirrors)

    @computed_field(description="last activity on the repository")  # type: ignore[prop-decorator]
    @property
    def last_activity(self) -> datetime | None:
        return self.repository.last_activity

    @computed_field(description="id of the resolved organisation (copy of organisation.id)")  # type: ignore[prop-decorator]
    @property
    def organisation_id(self) -> str | None:
        return self.organisation.id if self.organisation else None

    @computed_field(description="name of the resolved organisation; none for a person")  # type: ignore[prop-decorator]
    @property
    def organisation_name(self) -> str | None:
        return self.organisation.name if self.organisation else None

    @computed_field(description="public_body, project, company, person or unknown")  # type: ignore[prop-decorator]
    @property
    def organisation_kind(self) -> OrganisationKind | None:
        return self.organisation.kind if self.organisation else None

    @computed_field(description="forge owner path (copy of repository.owner)")  # type: ignore[prop-decorator]
    @property
    def owner(self) -> str | None:
        return self.repository.owner

    def description_in(
        self, language: str, fallbacks: tuple[str, ...] = ("en",)
    ) -> Description | None:
        """The description in `language` (or its primary subtag), else a fallback, else the first."""
        if not self.descriptions:
            return None
        lowered = {tag.lower(): text for tag, text in self.descriptions.items()}
        for wanted in (language, *fallbacks):
            wanted = wanted.lower()
            if wanted in lowered:
                return lowered[wanted]
            primary = wanted.split("-")[0]
            for tag, text in lowered.items():
                if tag.split("-")[0] == primary:
                    return text
        return next(iter(self.descriptions.values()))
