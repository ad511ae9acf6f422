"""What public registries say about the organisation behind each account (issue 11).

`crawler.registries` turns a registry file into forge registrations; the functions here read the
same documents for the organisations (`schemas.organisation.RegistryOrganisation`), which
``forges import`` keeps in the store and normalisation attaches to each repository's owner:

* code.gouv.fr's accounts file: the ``pso_id`` (lannuaire.service-public.fr) of each account or
  forge (the all-zero placeholder ids are left out), and its ``top_organizations.yml`` (pso_id →
  name of a ministry);
* the Dutch publishers file: name, TOOI URI and ROO number of each publisher's accounts;
* Developers Italia's publishers file: the publisher's name for its organisation accounts;
* GitHub's government lists: country (ISO 3166) and level (the list's section) of each login;
* the Swiss index (a Markdown list of accounts, by section) and the Swiss organisation taxonomy
  (``ld.admin.ch`` URIs with names in de/fr/it/en and their parent department).

Pure functions over already parsed documents; entries of the wrong shape are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

import pycountry

from schemas.organisation import (
    IdentifierScheme,
    OrganisationKind,
    RegistryOrganisation,
    account_id,
    identifier_of_uri,
    organisation_id,
)
from schemas.record.identity import canonical_host

_PLACEHOLDER = re.compile(r"^[0-]+$")
_COUNTRY_ALIASES = {
    "european union": "EU",
    "kosovo": "XK",
    "luxemburg": "LU",
    "republic of korea": "KR",
    "russia": "RU",
    "turkey": "TR",
}
"""Section names of GitHub's lists that are not ISO 3166 names (pycountry looks up the rest)."""


def source_label(format_name: str, source: str) -> str:
    """``format:file-name``: the provenance kept beside each registry value."""
    return f"{format_name}:{PurePath(source).name}"


def country_of(section: str) -> str | None:
    """The ISO 3166-1 alpha-2 code a section name of GitHub's lists names, or None
    (``U.S. City`` → US, ``U.K. Councils`` → GB, ``Germany`` → DE, ``Civic Hackers`` → None)."""
    text = section.strip()
    if text.startswith("U.S"):
        return "US"
    if text.startswith("U.K"):
        return "GB"
    if text.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text.lower()]
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _account_of_url(url: str) -> str | None:
    parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
    path = parts.path.strip("/").removesuffix(".git")
    if path.startswith("orgs/"):
        path = path.removeprefix("orgs/")
    host = canonical_host(f"{parts.scheme}://{parts.netloc}/_") if parts.netloc else None
    if not host or not path:
        return None
    return account_id(host, path)


def codegouvfr(document: Mapping[str, Any], source: str) -> list[RegistryOrganisation]:
    """code.gouv.fr's accounts: one entry per account (or whole forge) with a real ``pso_id``."""
    label = source_label("codegouvfr", source)
    found: list[RegistryOrganisation] = []

    def add(where: str, details: Any) -> None:
        if not isinstance(details, Mapping) or details.get("ignored_since"):
            return
        pso = _text(details.get("pso_id"))
        if pso is None or _PLACEHOLDER.match(pso):
            return
        found.append(
            RegistryOrganisation(
                source=label,
                accounts=[where],
                kind="public_body",
                country="FR",
                identifiers=[("pso_id", pso.lower())],
                website=_text(details.get("ospo_url")),
            )
        )

    for host, entry in document.items():
        if not isinstance(entry, Mapping) or entry.get("ignored_since"):
            continue
        owners = entry.get("owners")
        if isinstance(owners, Mapping) and owners:
            for owner, details in owners.items():
                add(account_id(str(host), str(owner)), details)
        else:
            add(str(host).strip().lower(), entry)
    return found


def codegouvfr_names(document: Mapping[str, Any], source: str) -> list[RegistryOrganisation]:
    """code.gouv.fr's ``top_organizations.yml``: the name behind each top-level ``pso_id``."""
    label = source_label("codegouvfr-organisations", source)
    return [
        RegistryOrganisation(
            source=label,
            name=name,
            names={"fr": name},
            country="FR",
            identifiers=[("pso_id", str(pso).strip().lower())],
        )
        for pso, value in document.items()
        if (name := _text(value))
    ]


def nl_publishers(publishers: Iterable[Any], source: str) -> list[RegistryOrganisation]:
    """The Dutch register: each active publisher's accounts, name, TOOI URI and ROO number."""
    label = source_label("nl-publishers", source)
    found: list[RegistryOrganisation] = []
    for publisher in publishers:
        if not isinstance(publisher, Mapping) or publisher.get("active") is False:
            continue
        accounts = [
            account
            for hosting in publisher.get("codeHosting") or []
            if isinstance(hosting, Mapping)
            and hosting.get("group") is not False
            and isinstance(hosting.get("url"), str)
            and (account := _account_of_url(hosting["url"]))
        ]
        identifiers: list[tuple[IdentifierScheme, str]] = []
        tooi = _text(publisher.get("tooiUrl"))
        if tooi and identifier_of_uri(tooi)[0] == "tooi":
            identifiers.append(identifier_of_uri(tooi))
        roo = _text(publisher.get("rooId"))
        if roo:
            identifiers.append(("roo", roo))
        name = _text(publisher.get("description"))
        if accounts:
            found.append(
                RegistryOrganisation(
                    source=label,
                    accounts=accounts,
                    name=name,
                    names={"nl": name} if name else {},
                    country="NL",
                    identifiers=identifiers,
                )
            )
    return found


def it_publishers(publishers: Iterable[Any], source: str) -> list[RegistryOrganisation]:
    """Developers Italia's publishers: the publisher's name for its organisation accounts."""
    label = source_label("it-publishers", source)
    found: list[RegistryOrganisation] = []
    for publisher in publishers:
        if not isinstance(publisher, Mapping):
            continue
        name = _text(publisher.get("name"))
        accounts = [
            account
            for url in publisher.get("orgs") or []
            if isinstance(url, str) and (account := _account_of_url(url))
        ]
        code = _text(publisher.get("id")) or _text(publisher.get("codiceIPA"))
        if accounts:
            found.append(
                RegistryOrganisation(
                    source=label,
                    accounts=accounts,
                    name=name if name and name != "_" else None,
                    country="IT",
                    identifiers=[("ipa", code.lower())] if code else [],
                )
            )
    return found


def github_government(document: Mapping[str, Any], source: str) -> list[RegistryOrganisation]:
    """GitHub's lists: each login with the country and level its section names. Sections that
    name no country (``Civic Hackers``) are projects, the others public bodies."""
    label = source_label("github-government", source)
    found: list[RegistryOrganisation] = []
    for section, logins in document.items():
        country = country_of(str(section))
        kind: OrganisationKind = (
            "public_body"
            if country or str(section) in {"International", "United Nations"}
            else "project"
        )
        for login in logins or []:
            if isinstance(login, str) and login.strip():
                found.append(
                    RegistryOrganisation(
                        source=label,
                        accounts=[account_id("github.com", login)],
                        kind=kind,
                        country=country,
                        level=str(section),
                    )
                )
    return found


def swiss_index(sections: Mapping[str, list[str]], source: str) -> list[RegistryOrganisation]:
    """The Swiss index: accounts of federal offices (public bodies) and of federal projects."""
    label = source_label("ch-index", source)
    found: list[RegistryOrganisation] = []
    for section, urls in sections.items():
        kind: OrganisationKind = "project" if "project" in section.lower() else "public_body"
        for url in urls:
            account = _account_of_url(url)
            if account:
                found.append(
                    RegistryOrganisation(
                        source=label, accounts=[account], kind=kind, country="CH", level=section
                    )
                )
    return found


def swiss_taxonomy(nodes: Iterable[Any], source: str) -> list[RegistryOrganisation]:
    """The Swiss organisation taxonomy: every node with its ``ld.admin.ch`` URI, names per
    language, abbreviation and parent (departments → offices → units)."""
    label = source_label("ch-organisations", source)
    found: list[RegistryOrganisation] = []

    def walk(node: Any, parent: str | None) -> None:
        if not isinstance(node, Mapping) or not isinstance(node.get("id"), str):
            return
        scheme, value = identifier_of_uri(node["id"])
        names = {
            str(lang): text
            for lang, raw in (node.get("name") or {}).items()
            if (text := _text(raw))
        }
        short = node.get("abbreviation") or node.get("alternativeName") or {}
        abbreviations = [t for t in short.values() if isinstance(t, str) and t.strip()]
        found.append(
            RegistryOrganisation(
                source=label,
                name=names.get("en") or next(iter(names.values()), None),
                names=names,
                abbreviation=" ".join(dict.fromkeys(abbreviations)) or None,
                country="CH",
                level=node["id"].rstrip("/").split("/")[-2],
                identifiers=[(scheme, value)],
                parent=parent,
            )
        )
        for child in node.get("organisations") or []:
            walk(child, organisation_id(scheme, value))

    for node in nodes:
        walk(node, None)
    return found


def markdown_sections(text: str) -> dict[str, list[str]]:
    """``## heading`` → the ``* URL`` items under it, of a Markdown list registry."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            current = stripped.lstrip("#").strip()
        elif stripped[:2] in {"* ", "- "} and "://" in stripped:
            url = stripped[2:].strip().strip("<>")
            sections.setdefault(current, []).append(url.split()[0])
    return sections
