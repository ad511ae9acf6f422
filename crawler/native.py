"""A forge kind's own repository JSON → `schemas.forge.ForgeFacts`, through the kind's spellings.

Each kind names, per fact, the dotted paths of it in its REST and GraphQL answers
(`Spellings`, in ``crawler/<kind>/snapshots.py``); `read_native` reads any of
them and checks every value (hostile input: wrong types, negative counts, blank strings and
unreadable dates become "unknown"). The kind's snapshot mapping and normalisation both read
through it, so a fact has one reading, not one per kind and API.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from schemas.forge import ForgeFacts
from schemas.licence import spdx_id

Spellings = Mapping[str, tuple[str, ...]]
"""`ForgeFacts` field → dotted paths of it in a kind's own repository JSON (REST and GraphQL),
first non-empty wins."""


def dotted(payload: Any, path: str) -> Any:
    """The value at ``a.b.c`` in nested mappings; None where a step is missing or no mapping."""
    value: Any = payload
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def first(payload: Mapping[str, Any], *paths: str) -> Any:
    """The first value at `paths` that is neither missing nor empty."""
    for path in paths:
        value = dotted(payload, path)
        if value is not None and value != "" and value != [] and value != {}:
            return value
    return None


def text(value: Any) -> str | None:
    """A non-blank string, stripped; None for anything else."""
    return value.strip() or None if isinstance(value, str) else None


def count(value: Any) -> int | None:
    """A non-negative integer (or a GraphQL connection's ``totalCount``); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, Mapping):  # GitHub GraphQL connections: {"totalCount": n}
        return count(value.get("totalCount"))
    return None


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 timestamp (``Z`` or offset; naive is read as UTC) as an aware datetime;
    None when absent or unreadable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def nodes(value: Any) -> list[Any]:
    """Items of a list or of a GraphQL connection (``nodes`` or ``edges[].node``)."""
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        if isinstance(value.get("nodes"), list):
            return list(value["nodes"])
        if isinstance(value.get("edges"), list):
            return [edge.get("node") for edge in value["edges"] if isinstance(edge, Mapping)]
    return []


def strings(value: Any) -> list[str]:
    """The non-blank strings of a list; anything that is not a list gives none."""
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, str) and item.strip()]


def _topics(payload: Mapping[str, Any], paths: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for item in nodes(first(payload, *paths)):
        name = item if isinstance(item, str) else dotted(item, "topic.name") or dotted(item, "name")
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return list(dict.fromkeys(names))


def _languages(payload: Mapping[str, Any], main_paths: tuple[str, ...]) -> list[str]:
    raw = payload.get("languages")
    names: list[str] = []
    if isinstance(raw, Mapping) and not ({"nodes", "edges"} & raw.keys()):
        # A REST languages object: {"Python": 80.1, "Shell": 19.9}; largest share first.
        shares = {str(k): v for k, v in raw.items() if isinstance(v, int | float)}
        names = sorted(shares, key=lambda name: -shares[name])
    else:
        items = nodes(raw)
        if items and all(isinstance(item, Mapping) and "share" in item for item in items):
            items = sorted(items, key=lambda item: -(count_share(item.get("share"))))
        for item in items:
            name = item if isinstance(item, str) else dotted(item, "name")
            if isinstance(name, str):
                names.append(name)
    main = text(first(payload, *main_paths))
    if main:
        names.insert(0, main)
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def count_share(value: Any) -> float:
    """A language share as a number (0 when the forge sent none or no number)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def read_native(payload: Mapping[str, Any], spellings: Spellings) -> ForgeFacts:
    """The facts in a forge's own repository JSON, read through the kind's `spellings`;
    never raises."""

    def value(field: str) -> Any:
        return first(payload, *spellings.get(field, ()))

    parent = text(value("fork_parent_url"))
    return ForgeFacts(
        name=text(value("name")),
        path=text(value("path")),
        description=text(value("description")),
        default_branch=text(value("default_branch")),
        stars=count(value("stars")),
        forks=count(value("forks")),
        topics=_topics(payload, spellings.get("topics", ())),
        languages=_languages(payload, spellings.get("languages", ())),
        licence=spdx_id(value("licence")),
        created_at=parse_time(value("created_at")),
        last_activity=parse_time(value("last_activity")),
        archived=value("archived") is True,
        is_fork=value("is_fork") is True or parent is not None,
        fork_parent_url=parent,
        homepage=text(value("homepage")),
        visibility=text(value("visibility")),
    )
