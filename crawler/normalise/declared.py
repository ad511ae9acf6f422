"""publiccode.yml contents → the catalogue record's fields.

Works on the decoded mapping the one validator returns (`ParseResult.data`), which may belong to
an invalid file: every value is type-checked here and a value of the wrong shape is left out
(the validator's findings, carried on the record, say why). Never raises.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, get_args
from urllib.parse import quote, urlsplit

from schemas.errors import InvalidURLError
from schemas.licence import licence_from_expression
from schemas.publiccode.vocabularies import DevelopmentStatus, MaintenanceType, SoftwareType
from schemas.record import (
    Contact,
    Contractor,
    Dependency,
    Description,
    Maintenance,
    Organisation,
    canonical_url,
)

RawUrl = Callable[[str], str]


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return value.strip() or None if isinstance(value, str) else None


def _texts(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [text for text in (_text(item) for item in items) if text]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    """`value` when it is a list; anything else (``true``, a number, a mapping) gives none."""
    return value if isinstance(value, list) else []


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _choice(value: Any, allowed: Any) -> Any:
    return value if isinstance(value, str) and value in get_args(allowed) else None


def canonical_urls(value: Any) -> list[str]:
    """Canonical URLs of a string or list of repository URLs; unreadable items are skipped."""
    urls: list[str] = []
    for text in _texts(value):
        try:
            urls.append(canonical_url(text))
        except InvalidURLError:
            continue
    return list(dict.fromkeys(urls))


def resolve_asset(value: Any, raw_url: RawUrl, file_dir: str) -> str | None:
    """An absolute URL for a logo or screenshot: absolute http(s) URLs are kept, repository paths
    (``img/logo.svg``, ``./logo.png``, ``/logo.png``) become raw-file URLs on the forge; paths that
    leave the repository or use other schemes give None."""
    text = _text(value)
    if text is None:
        return None
    scheme = urlsplit(text).scheme.lower()
    if scheme in {"http", "https"}:
        return text
    if scheme:
        return None
    base = "" if text.startswith("/") else file_dir.strip("/")
    path = posixpath.normpath(posixpath.join(base, text.lstrip("/")))
    if path in {".", ".."} or path.startswith("../"):
        return None
    return raw_url(quote(path.lstrip("/")))


def _description(value: Any, raw_url: RawUrl, file_dir: str) -> Description:
    section = _mapping(value)
    screenshots = [
        url
        for url in (
            resolve_asset(item, raw_url, file_dir) for item in _texts(section.get("screenshots"))
        )
        if url
    ]
    return Description(
        localised_name=_text(section.get("localisedName")),
        generic_name=_text(section.get("genericName")),
        short=_text(section.get("shortDescription")),
        long=_text(section.get("longDescription")),
        features=_texts(section.get("features")),
        documentation=_text(section.get("documentation")),
        api_documentation=_text(section.get("apiDocumentation")),
        screenshots=screenshots,
        videos=_texts(section.get("videos")),
        awards=_texts(section.get("awards")),
    )


def _organisation(value: Any) -> Organisation | None:
    section = _mapping(value)
    name, uri = _text(section.get("name")), _text(section.get("uri"))
    return Organisation(name=name, uri=uri) if name or uri else None


def _named(value: Any) -> list[tuple[Mapping[str, Any], str]]:
    """The entries of list `value` that are mappings with a name, each with its name."""
    return [
        (item, name)
        for item in _list(value)
        if isinstance(item, Mapping) and (name := _text(item.get("name")))
    ]


def _text_fields(item: Mapping[str, Any], *keys: str) -> dict[str, str | None]:
    """`_text` of each of `keys` of `item`, by key."""
    return {key: _text(item.get(key)) for key in keys}


def _maintenance(value: Any) -> Maintenance:
    section = _mapping(value)
    contacts = [
        Contact(name=name, **_text_fields(item, "email", "phone", "affiliation"))
        for item, name in _named(section.get("contacts"))
    ]
    contractors = [
        Contractor(
            name=name, until=_date(item.get("until")), **_text_fields(item, "email", "website")
        )
        for item, name in _named(section.get("contractors"))
    ]
    maintenance_type = _choice(section.get("type"), MaintenanceType)
    return Maintenance(type=maintenance_type, contacts=contacts, contractors=contractors)


def _dependencies(value: Any) -> list[Dependency]:
    section = _mapping(value)
    found: list[Dependency] = []
    for kind in ("open", "proprietary", "hardware"):
        for item in _list(section.get(kind)):
            if not isinstance(item, Mapping) or not (name := _text(item.get("name"))):
                continue
            found.append(
                Dependency(
                    kind=kind,
                    name=name,
                    version=_text(item.get("version")),
                    version_min=_text(item.get("versionMin")),
                    version_max=_text(item.get("versionMax")),
                    optional=item.get("optional") is True,
                )
            )
    return found


def declared_fields(data: Mapping[str, Any], *, raw_url: RawUrl, file_dir: str) -> dict[str, Any]:
    """Keyword arguments for `Record` from a decoded publiccode.yml mapping.

    `raw_url` turns a repository path into the forge's raw-file URL; `file_dir` is the folder
    of the publiccode file (relative paths are relative to it).
    """
    descriptions = {
        str(tag): _description(section, raw_url, file_dir)
        for tag, section in _mapping(data.get("description")).items()
        if isinstance(section, Mapping)
    }
    legal = _mapping(data.get("legal"))
    audience = _mapping(data.get("intendedAudience"))
    localisation = _mapping(data.get("localisation"))
    # legal.repoOwner (deprecated) is often a person's name: the organisation is resolved from
    # the registry or the forge instead (crawler.normalise.organisations).
    organisation = _organisation(data.get("organisation"))
    ready = localisation.get("localisationReady")
    return {
        "application_suite": _text(data.get("applicationSuite")),
        "descriptions": descriptions,
        "licence": licence_from_expression(_text(legal.get("license"))),
        "main_copyright_owner": _text(legal.get("mainCopyrightOwner")),
        "categories": _texts(data.get("categories")),
        "platforms": _texts(data.get("platforms")),
        "software_type": _choice(data.get("softwareType"), SoftwareType),
        "development_status": _choice(data.get("developmentStatus"), DevelopmentStatus),
        "software_version": _text(data.get("softwareVersion")),
        "release_date": _date(data.get("releaseDate")),
        "landing_url": _text(data.get("landingURL")),
        "roadmap": _text(data.get("roadmap")),
        "logo": resolve_asset(data.get("logo") or data.get("monochromeLogo"), raw_url, file_dir),
        "maintenance": _maintenance(data.get("maintenance")),
        "organisation": organisation,
        "funded_by": [
            org for org in map(_organisation, _list(data.get("fundedBy"))) if org is not None
        ]
        if isinstance(data.get("fundedBy"), list)
        else [],
        "used_by": _texts(data.get("usedBy")),
        "supports": [
            text
            for item in _list(data.get("supports"))
            if isinstance(item, Mapping) and (text := _text(item.get("id")))
        ]
        if isinstance(data.get("supports"), list)
        else [],
        "intended_countries": _texts(audience.get("countries")),
        "intended_scope": _texts(audience.get("scope")),
        "available_languages": _texts(localisation.get("availableLanguages")),
        "localisation_ready": ready if isinstance(ready, bool) else None,
        "dependencies": _dependencies(data.get("dependsOn")),
    }
