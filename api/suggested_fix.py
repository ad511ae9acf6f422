"""A suggested fix for a declared but invalid publiccode.yml, shown as a diff.

The owner's file is read with ruamel.yaml (its comments, order and quoting kept), upgraded to
0.7 (`api.publiccode_view.upgrade`: deprecated keys renamed, lowercase country codes
upper-cased), versions and dates written as strings, values outside the standard's lists
replaced by the closest allowed one (else the draft's), texts brought within their lengths, and
required keys that are missing added from the draft of the same repository (`schemas.draft`),
each addition marked ``# added by codereuse … TODO: confirm``. What cannot be repaired stays, and
the fix lists the errors left. Pure: bytes and a record in, texts out.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from api.publiccode_view import upgrade
from schemas.draft import draft_for_record
from schemas.draft.readme import clip
from schemas.findings import Finding
from schemas.publiccode import (
    CATEGORIES,
    DEVELOPMENT_STATUSES,
    MAINTENANCE_TYPES,
    SOFTWARE_TYPES,
    parse,
)
from schemas.record import Record

_REQUIRED_TOP = ("name", "url", "platforms", "developmentStatus", "softwareType")
_ENUMS = {
    "developmentStatus": DEVELOPMENT_STATUSES,
    "softwareType": SOFTWARE_TYPES,
}


@dataclass
class SuggestedFix:
    """The owner's file, the repaired one, what changed and the errors left."""

    original: str
    fixed: str
    changes: list[str] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)

    def diff(self) -> str:
        """A unified diff from the owner's file to the suggested one."""
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.fixed.splitlines(keepends=True),
                "publiccode.yml",
                "publiccode.yml (suggested fix)",
            )
        )


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


# Values owners write for the standard's words (seen in real files): taken before spelling.
_SYNONYMS = {
    "production": "stable", "released": "stable", "mature": "stable", "maintained": "stable",
    "deprecated": "obsolete", "archived": "obsolete", "unmaintained": "obsolete",
    "alpha": "development", "wip": "development", "prototype": "concept", "idea": "concept",
    "web": "standalone/web", "webapp": "standalone/web", "desktop": "standalone/desktop",
    "mobile": "standalone/mobile", "backend": "standalone/backend", "iot": "standalone/iot",
    "standalone": "standalone/other", "plugin": "addon", "lib": "library",
    "commercial": "contract", "external": "contract",
}  # fmt: skip


def _closest(value: Any, allowed: tuple[str, ...]) -> str | None:
    synonym = _SYNONYMS.get(str(value).strip().lower())
    if synonym in allowed:
        return synonym
    close = difflib.get_close_matches(str(value).lower(), allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _mark(section: Any, key: str, note: str) -> None:
    if isinstance(section, CommentedMap):
        section.yaml_add_eol_comment(f"codereuse: {note}", key)


def _add(section: Any, key: str, value: Any, source: str, changes: list[str], path: str) -> None:
    section[key] = value
    _mark(section, key, f"added from {source}, TODO: confirm")
    changes.append(f"{path} added from {source}")


def _as_written(value: Any) -> str:
    """A number as the file spells it (``1.10``, not ``1.1``): ruamel keeps the spelling."""
    buffer = io.StringIO()
    _yaml().dump(value, buffer)
    return buffer.getvalue().split("\n", 1)[0].strip()


def _strings(document: Any, changes: list[str]) -> None:
    for key in ("softwareVersion", "publiccodeYmlVersion"):
        value = document.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            document[key] = _as_written(value)
            changes.append(f"{key} written as a string")
    for key in ("releaseDate",):
        value = document.get(key)
        if isinstance(value, datetime | date):
            document[key] = value.strftime("%Y-%m-%d")
            changes.append(f"{key} written as a string")


def _fix_top(
    document: Any, draft: dict[str, Any], notes: dict[str, Any], changes: list[str]
) -> None:
    for key in _REQUIRED_TOP:
        if document.get(key) in (None, "", []):
            _add(document, key, draft[key], notes[key].source, changes, key)
    for key, allowed in _ENUMS.items():
        value = document.get(key)
        if isinstance(value, str) and value not in allowed:
            chosen = _closest(value, allowed) or draft[key]
            document[key] = chosen
            _mark(document, key, f"was {value!r}, TODO: confirm")
            changes.append(f"{key} {value!r} → {chosen!r}")
    categories = document.get("categories")
    if isinstance(categories, list):
        kept: list[str] = []
        for item in categories:
            fixed = item if item in CATEGORIES else _closest(item, CATEGORIES)
            if fixed and fixed not in kept:
                kept.append(fixed)
            if fixed != item:
                changes.append(
                    f"categories: {item!r} → {fixed!r}"
                    if fixed
                    else f"categories: {item!r} dropped"
                )
        if kept != categories:
            categories[:] = kept


def _fix_descriptions(document: Any, draft: dict[str, Any], changes: list[str]) -> None:
    descriptions = document.get("description")
    drafted = next(iter(draft["description"].values()))
    if not isinstance(descriptions, dict) or not descriptions:
        document["description"] = draft["description"]
        _mark(document, "description", "added from the draft, TODO: confirm")
        changes.append("description added from the draft")
        return
    for language, entry in list(descriptions.items()):
        if isinstance(language, str) and "_" in language:
            descriptions[language.replace("_", "-")] = descriptions.pop(language)
            changes.append(f"description.{language} → description.{language.replace('_', '-')}")
            language = language.replace("_", "-")
        if not isinstance(entry, dict):
            continue
        path = f"description.{language}"
        short = entry.get("shortDescription")
        if not isinstance(short, str) or not short.strip():
            _add(
                entry,
                "shortDescription",
                drafted["shortDescription"],
                "the draft",
                changes,
                f"{path}.shortDescription",
            )
        elif len(short) > 150:
            entry["shortDescription"] = clip(short, 150)
            changes.append(f"{path}.shortDescription shortened to 150 characters")
        long = entry.get("longDescription")
        if not isinstance(long, str) or len(long.strip()) < 150:
            addition = drafted["longDescription"]
            entry["longDescription"] = (
                f"{long.strip()}\n\n{addition}"
                if isinstance(long, str) and long.strip()
                else addition
            )
            _mark(entry, "longDescription", "completed from the draft, TODO: describe it yourself")
            changes.append(f"{path}.longDescription completed to 150 characters")
        if not entry.get("features"):
            _add(entry, "features", drafted["features"], "the draft", changes, f"{path}.features")


def _fix_sections(document: Any, draft: dict[str, Any], changes: list[str]) -> None:
    organisation = document.get("organisation")
    drafted_uri = (draft.get("organisation") or {}).get("uri")
    if isinstance(organisation, dict) and not organisation.get("uri") and drafted_uri:
        _add(organisation, "uri", drafted_uri, "the forge owner", changes, "organisation.uri")
    legal = document.get("legal")
    if not isinstance(legal, dict):
        document["legal"] = draft["legal"]
        _mark(document, "legal", "added from the draft, TODO: confirm")
        changes.append("legal added from the draft")
    elif not legal.get("license"):
        _add(legal, "license", draft["legal"]["license"], "the draft", changes, "legal.license")
    maintenance = document.get("maintenance")
    if not isinstance(maintenance, dict) or maintenance.get("type") not in MAINTENANCE_TYPES:
        if isinstance(maintenance, dict) and isinstance(maintenance.get("type"), str):
            chosen = _closest(maintenance["type"], MAINTENANCE_TYPES)
            if chosen:
                changes.append(f"maintenance.type {maintenance['type']!r} → {chosen!r}")
                maintenance["type"] = chosen
        if not isinstance(maintenance, dict) or maintenance.get("type") not in MAINTENANCE_TYPES:
            document["maintenance"] = draft["maintenance"]
            _mark(document, "maintenance", "added from the draft, TODO: confirm")
            changes.append("maintenance added from the draft")
            maintenance = document["maintenance"]
    kind = maintenance.get("type")
    if kind in ("community", "internal") and not maintenance.get("contacts"):
        contacts = draft["maintenance"].get("contacts") or [{"name": "TODO: a person to contact"}]
        _add(maintenance, "contacts", contacts, "the draft", changes, "maintenance.contacts")
    if kind != "contract" and "contractors" in maintenance:
        del maintenance["contractors"]
        changes.append(f"maintenance.contractors dropped (type is {kind})")
    localisation = document.get("localisation")
    if not isinstance(localisation, dict):
        document["localisation"] = draft["localisation"]
        _mark(document, "localisation", "added from the draft, TODO: confirm")
        changes.append("localisation added from the draft")
        return
    for key in ("localisationReady", "availableLanguages"):
        if localisation.get(key) in (None, []):
            _add(
                localisation,
                key,
                draft["localisation"][key],
                "the draft",
                changes,
                f"localisation.{key}",
            )


def suggest_fix(raw: bytes, record: Record) -> SuggestedFix | None:
    """The suggested fix of `raw` (the record's declared file); None when it is not a YAML
    mapping (a syntax error must be fixed by hand first) or when it has no finding."""
    result = parse(raw)
    if not result.findings:
        return None
    try:
        original = raw.decode("utf-8-sig")
        document = _yaml().load(original)
    except (UnicodeDecodeError, YAMLError, ValueError):
        return None
    if not isinstance(document, CommentedMap):
        return None
    draft = draft_for_record(record.model_copy(update={"declared": False}))
    changes = upgrade(document)
    _strings(document, changes)
    _fix_top(document, draft.document, draft.notes, changes)
    _fix_descriptions(document, draft.document, changes)
    _fix_sections(document, draft.document, changes)
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    fixed = buffer.getvalue()
    remaining = parse(fixed.encode()).errors
    return SuggestedFix(original=original, fixed=fixed, changes=changes, remaining=remaining)
