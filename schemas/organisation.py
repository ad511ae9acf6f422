"""Organisations: who made a piece of software, one entity across forges and accounts.

Three sources say something about the organisation behind a repository (architecture decision
12), each kept with its provenance:

* the repository's ``publiccode.yml`` (``organisation.name``/``organisation.uri``),
* a registry file (`RegistryOrganisation`: code.gouv.fr's accounts with ``pso_id``, the Dutch
  publishers with TOOI URI and ROO/OIN id, the Swiss ``ld.admin.ch`` taxonomy, GitHub's
  government list with country or level, Developers Italia's publishers),
* the forge's profile of the repository's owner (`OwnerProfile`: a GitLab group, a GitHub or
  Gitea organisation, or a user account — a *person*, never shown as an organisation).

`OrganisationEntity` is what the catalogue keeps of one organisation; `organisation_id` and
`account_id` make the stable ids. Pure data and rules: no I/O.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OrganisationKind = Literal["public_body", "project", "company", "person", "unknown"]
"""What an organisation is; ``person`` marks a user namespace (not an organisation)."""
ORGANISATION_KINDS: tuple[OrganisationKind, ...] = (
    "public_body",
    "project",
    "company",
    "person",
    "unknown",
)

SourceKind = Literal["publiccode", "registry", "forge"]
"""Where a value came from: the publiccode.yml, a registry file, the forge's owner profile."""

IdentifierScheme = Literal["ipa", "pso_id", "tooi", "oin", "roo", "ld_admin_ch", "uri"]
"""Registry identifiers: Italy's iPA code, the service-public.fr id (``pso_id``, SIREN-backed
annuaire), the Dutch TOOI URI, OIN and ROO numbers, the Swiss ``ld.admin.ch`` URI, other URIs."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    """The provenance of one value: its kind and which file, forge or record said it."""

    kind: SourceKind
    detail: str = Field(
        description="registry format and file name, forge name, or the record id of the file"
    )


class Identifier(_Model):
    """An identifier a registry (or a publiccode ``organisation.uri``) gives an organisation."""

    scheme: IdentifierScheme
    value: str
    source: Source


class ForgeAccount(_Model):
    """An account on a forge: a GitLab group, a GitHub or Gitea organisation, or a user."""

    forge: str = Field(description="registration name of the forge")
    owner: str = Field(description="owner path: host and group/organisation path, lower-case")
    url: str | None = Field(default=None, description="web page of the account")


class OwnerProfile(_Model):
    """What a forge says about a repository's owner (kind-neutral, read from the listing).

    `person` is True for a user namespace, False for an organisation or group, None when the
    forge did not say. Strings are already stripped, None when blank.
    """

    path: str | None = Field(default=None, description="login or group full path")
    person: bool | None = None
    name: str | None = None
    description: str | None = None
    location: str | None = None
    email: str | None = None
    website: str | None = None
    avatar_url: str | None = None
    web_url: str | None = None
    parent: str | None = Field(default=None, description="full path of the parent group")


class RegistryOrganisation(_Model):
    """What one registry file says about the organisation behind an account (or an URI).

    `accounts` are owner paths (`account_id` form, ``host/path``) the registry attributes to
    the organisation; an entry of a taxonomy (the Swiss ``ld.admin.ch`` list) has none and is
    matched by its identifiers against publiccode ``organisation.uri``.
    """

    source: str = Field(description="registry format and file name, e.g. nl-publishers:x.json")
    accounts: list[str] = Field(default_factory=list)
    name: str | None = None
    names: dict[str, str] = Field(default_factory=dict, description="name per language")
    abbreviation: str | None = None
    kind: OrganisationKind = "public_body"
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2, upper-case")
    level: str | None = Field(default=None, description="level or section of government")
    identifiers: list[tuple[IdentifierScheme, str]] = Field(default_factory=list)
    parent: str | None = Field(default=None, description="organisation id of the parent")
    website: str | None = None


class OrganisationEntity(_Model):
    """One organisation of the catalogue, whichever forges and accounts it publishes on."""

    id: str = Field(description="stable id (see `organisation_id`)")
    name: str | None = None
    names: dict[str, str] = Field(default_factory=dict, description="name per language tag")
    kind: OrganisationKind = "unknown"
    description: str | None = None
    website: str | None = None
    email: str | None = None
    location: str | None = None
    avatar_url: str | None = None
    country: str | None = None
    level: str | None = None
    uri: str | None = Field(default=None, description="publiccode organisation.uri, if declared")
    accounts: list[ForgeAccount] = Field(default_factory=list)
    identifiers: list[Identifier] = Field(default_factory=list)
    parent: str | None = Field(default=None, description="id of the parent organisation")
    sources: dict[str, Source] = Field(
        default_factory=dict, description="field name → where its value came from"
    )

    def name_in(self, language: str) -> str | None:
        """The name in `language` when a registry gave one, else the name."""
        return self.names.get(language) or self.name


_UNSAFE = re.compile(r"[^a-z0-9._~-]+")


def _part(text: str) -> str:
    return _UNSAFE.sub("-", text.strip().lower()).strip("-")


def account_id(host: str, path: str) -> str:
    """The owner path of an account: ``host/path`` lower-case (``github.com/belastingdienst``).

    `host` keeps a port that is not the default (``git.example:8443``): two forges on one
    host are different accounts' homes."""
    return f"{host.strip().lower()}/{path.strip().strip('/').lower()}"


def organisation_id(scheme: str, value: str) -> str:
    """A stable, URL-safe organisation id: ``scheme:value`` with the value's path parts joined
    by ``:`` (``tooi:oorg12368``, ``pso_id:db2b74d4-…``, ``account:gitlab.com:group:sub``).

    A value with characters outside ``[a-z0-9._~-]`` and ``/`` (an arbitrary URI) becomes a
    short SHA-256 instead, so ids never need escaping.
    """
    parts = [part for part in value.strip().lower().split("/") if part]
    cleaned = [_part(part) for part in parts]
    if not parts or any(c != p for c, p in zip(cleaned, parts, strict=True)):
        digest = hashlib.sha256(value.strip().encode("utf-8")).hexdigest()[:16]
        return f"{scheme}:{digest}"
    return f"{scheme}:{':'.join(cleaned)}"


def name_id(name: str) -> str:
    """The id of an organisation known only by its name (``name:city-of-amsterdam``)."""
    slug = _part(name)
    return f"name:{slug}" if slug else organisation_id("name", name)


def account_organisation_id(owner: str) -> str:
    """The id of the organisation known only by its forge account (`account_id` form).

    A port is written ``~8443`` after the host (``account:git.example~8443:city``): ``:``
    separates the path's parts, and ``~`` appears in no host name nor forge path."""
    host, slash, path = owner.partition("/")
    return organisation_id("account", host.replace(":", "~", 1) + slash + path)


_TOOI = re.compile(r"^https?://identifier\.overheid\.nl/tooi/id/[^/]+/([a-z0-9_]+)/?$", re.I)
_LD_ADMIN = re.compile(r"^https?://ld\.admin\.ch/((?:[a-z]+/)?[A-Za-z0-9._-]+)/?$")
_IPA = re.compile(r"^urn:x-italian-pa:([a-z0-9_]+)$", re.I)
_PSO = re.compile(
    r"^(?:https?://lannuaire\.service-public\.fr/(?:[^?#]*/)?)?"
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?$",
    re.I,
)
_OIN = re.compile(r"^(?:urn:nl:oin:)?(\d{20})$", re.I)

ID_PREFERENCE: tuple[IdentifierScheme, ...] = (
    "ld_admin_ch",
    "tooi",
    "pso_id",
    "ipa",
    "oin",
    "roo",
    "uri",
)
"""Which identifier names an organisation when it has several (the most specific first)."""


def identifier_of_uri(uri: str) -> tuple[IdentifierScheme, str]:
    """The registry identifier a publiccode ``organisation.uri`` spells: TOOI, ``ld.admin.ch``,
    iPA (``urn:x-italian-pa:``), service-public.fr (a ``pso_id`` UUID), OIN; else ``uri``."""
    text = uri.strip()
    for scheme, pattern in (
        ("tooi", _TOOI),
        ("ld_admin_ch", _LD_ADMIN),
        ("ipa", _IPA),
        ("pso_id", _PSO),
        ("oin", _OIN),
    ):
        if found := pattern.match(text):
            return scheme, found.group(1).lower()  # type: ignore[return-value]
    return "uri", text


def preferred_id(identifiers: list[tuple[IdentifierScheme, str]]) -> str | None:
    """The organisation id from the most specific of `identifiers` (see `ID_PREFERENCE`)."""
    for scheme in ID_PREFERENCE:
        for found, value in identifiers:
            if found == scheme and value.strip():
                return organisation_id(scheme, value)
    return None
