"""A stored publiccode.yml rewritten to the current standard (0.7), for the normalised view.

The original bytes stay untouched (served as ``…/publiccode.yml``); this view upgrades what the
standard deprecated, so consumers read one shape whatever version the file declared:

* ``legal.repoOwner`` → ``organisation.name``; ``legal.authorsFile`` dropped (0.4/0.5);
* the country section ``IT`` (or lowercase ``it``) → ``supports`` aliases (``conforme.gdpr``,
  ``piattaforme.spid|cie|anpr|pagopa|io``) and ``organisation.uri``
  (``urn:x-italian-pa:<riuso.codiceIPA>``); the rest of the section is dropped (0.7);
* ``monochromeLogo``, ``inputTypes``, ``outputTypes``, ``description.*.genericName`` dropped
  (0.3); lowercase ISO 3166 codes in ``intendedAudience`` upper-cased (0.5);
* ``publiccodeYmlVersion`` set to ``0.7``.

Every rewrite is listed, so the view can say what it changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

CURRENT_VERSION = "0.7"
SUPPORT_ALIASES_FROM_IT = {
    ("conforme", "gdpr"): "alias:gdpr",
    ("piattaforme", "spid"): "alias:spid",
    ("piattaforme", "cie"): "alias:cie",
    ("piattaforme", "anpr"): "alias:anpr",
    ("piattaforme", "pagopa"): "alias:pagopa",
    ("piattaforme", "io"): "alias:io",
}
_DROPPED_TOP_LEVEL = ("monochromeLogo", "inputTypes", "outputTypes")


class PubliccodeUnreadableError(ValueError):
    """The stored bytes are not a YAML mapping, so there is nothing to normalise."""


@dataclass
class NormalisedPubliccode:
    """The upgraded document and the list of rewrites, as ``old key → new key`` texts."""

    document: dict[str, Any]
    changes: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        """The document as YAML, with a comment header naming the rewrites."""
        header = [f"# publiccode.yml normalised to version {CURRENT_VERSION} by codereuse"]
        header.extend(f"# - {change}" for change in self.changes)
        body = yaml.safe_dump(
            self.document, allow_unicode=True, sort_keys=False, default_flow_style=False
        )
        return "\n".join(header) + "\n" + body


def normalise_publiccode(raw: bytes) -> NormalisedPubliccode:
    """Parse `raw` and upgrade deprecated keys to publiccode.yml 0.7.

    Raises:
        PubliccodeUnreadableError: `raw` is not UTF-8 YAML holding a mapping.
    """
    try:
        document = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise PubliccodeUnreadableError(f"not readable as UTF-8 YAML: {error}") from error
    if not isinstance(document, dict):
        raise PubliccodeUnreadableError("the file does not hold a YAML mapping at the top level")
    result = NormalisedPubliccode(document=dict(document))
    result.changes = upgrade(result.document)
    return result


def upgrade(document: dict[str, Any]) -> list[str]:
    """Upgrade `document` in place to publiccode.yml 0.7 (see the module docstring); the
    rewrites made. Any mutable mapping works, e.g. ruamel.yaml's, which keeps comments."""
    result = NormalisedPubliccode(document=document)
    _upgrade_version(result)
    _upgrade_legal(result)
    _upgrade_country_section(result)
    _drop_deprecated(result)
    _upper_case_countries(result)
    return result.changes


def _section(document: dict[str, Any], name: str) -> dict[str, Any]:
    value = document.get(name)
    if not isinstance(value, dict):
        value = {}
        document[name] = value
    return value


def _upgrade_version(result: NormalisedPubliccode) -> None:
    declared = result.document.get("publiccodeYmlVersion")
    if str(declared) != CURRENT_VERSION:
        result.changes.append(f"publiccodeYmlVersion {declared!r} → {CURRENT_VERSION!r}")
    result.document["publiccodeYmlVersion"] = CURRENT_VERSION


def _upgrade_legal(result: NormalisedPubliccode) -> None:
    legal = result.document.get("legal")
    if not isinstance(legal, dict):
        return
    owner = legal.pop("repoOwner", None)
    if owner is not None:
        organisation = _section(result.document, "organisation")
        if not organisation.get("name"):
            organisation["name"] = owner
            result.changes.append("legal.repoOwner → organisation.name")
        else:
            result.changes.append("legal.repoOwner dropped (organisation.name is set)")
    if legal.pop("authorsFile", None) is not None:
        result.changes.append("legal.authorsFile dropped (deprecated since 0.4)")


def _upgrade_country_section(result: NormalisedPubliccode) -> None:
    document = result.document
    sections = [key for key in ("IT", "it") if isinstance(document.get(key), dict)]
    for key in sections:
        italian: dict[str, Any] = document.pop(key)
        supports = document.get("supports")
        if not isinstance(supports, list):
            supports = []
        known = {item.get("id") for item in supports if isinstance(item, dict)}
        for (group, flag), alias in SUPPORT_ALIASES_FROM_IT.items():
            part = italian.get(group)
            if isinstance(part, dict) and part.get(flag) is True and alias not in known:
                supports.append({"id": alias})
                known.add(alias)
                result.changes.append(f"{key}.{group}.{flag} → supports {alias}")
        if supports:
            document["supports"] = supports
        riuso = italian.get("riuso")
        code = riuso.get("codiceIPA") if isinstance(riuso, dict) else None
        if code:
            organisation = _section(document, "organisation")
            if not organisation.get("uri"):
                organisation["uri"] = f"urn:x-italian-pa:{code}"
                result.changes.append(f"{key}.riuso.codiceIPA → organisation.uri")
        result.changes.append(f"{key} section dropped (country sections deprecated in 0.7)")
    section = document.get("organisation")
    if isinstance(section, dict) and not section:
        del document["organisation"]


def _drop_deprecated(result: NormalisedPubliccode) -> None:
    for key in _DROPPED_TOP_LEVEL:
        if result.document.pop(key, None) is not None:
            result.changes.append(f"{key} dropped (deprecated since 0.3)")
    descriptions = result.document.get("description")
    if isinstance(descriptions, dict):
        for language, text in descriptions.items():
            if isinstance(text, dict) and text.pop("genericName", None) is not None:
                result.changes.append(
                    f"description.{language}.genericName dropped (deprecated since 0.3)"
                )


def _upper_case_countries(result: NormalisedPubliccode) -> None:
    audience = result.document.get("intendedAudience")
    if not isinstance(audience, dict):
        return
    for key in ("countries", "unsupportedCountries"):
        codes = audience.get(key)
        if isinstance(codes, list) and any(isinstance(c, str) and c != c.upper() for c in codes):
            audience[key] = [c.upper() if isinstance(c, str) else c for c in codes]
            result.changes.append(f"intendedAudience.{key} upper-cased (ISO 3166)")
