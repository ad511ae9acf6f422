"""Repository facts (`schemas.forge.ForgeFacts`) read from a stored snapshot's payload.

The crawler stores each repository's kind-neutral payload (`crawler.snapshot`) beside the
forge's own JSON in ``raw`` (architecture decision 1). Normalisation reads only `ForgeFacts`:
`read_facts` takes the neutral keys, and what they lack from the forge's own JSON through the
kind's `Spellings` (``crawler/<kind>/``: e.g. GitLab ``star_count``/``starCount``, GitHub
``stargazers_count``/``stargazerCount``), so a re-normalisation of old payloads keeps working
when the crawler switches API, and no code here knows a forge kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawler.normalise.licence import spdx_id
from crawler.spec import Spellings
from schemas.forge import ForgeFacts


def _get(payload: Mapping[str, Any], dotted: str) -> Any:
    value: Any = payload
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _first(payload: Mapping[str, Any], *paths: str) -> Any:
    for path in paths:
        value = _get(payload, path)
        if value is not None and value != "":
            return value
    return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, Mapping):  # GitHub GraphQL connections: {"totalCount": n}
        return _int(value.get("totalCount"))
    return None


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 timestamp (``Z`` or offset) as an aware datetime; None when unreadable."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _nodes(value: Any) -> list[Any]:
    """Items of a list or of a GraphQL connection (``nodes`` or ``edges[].node``)."""
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        if isinstance(value.get("nodes"), list):
            return list(value["nodes"])
        if isinstance(value.get("edges"), list):
            return [edge.get("node") for edge in value["edges"] if isinstance(edge, Mapping)]
    return []


def _topics(payload: Mapping[str, Any], paths: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for item in _nodes(_first(payload, *paths)):
        name = item if isinstance(item, str) else _get(item, "topic.name") or _get(item, "name")
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
        items = _nodes(raw)
        if items and all(isinstance(item, Mapping) and "share" in item for item in items):
            items = sorted(items, key=lambda item: -(item.get("share") or 0))
        for item in items:
            name = item if isinstance(item, str) else _get(item, "name")
            if isinstance(name, str):
                names.append(name)
    main = _text(_first(payload, *main_paths))
    if main:
        names.insert(0, main)
    return list(dict.fromkeys(name for name in names if name))


def _strings(value: Any) -> list[str]:
    """The non-blank strings of a list; anything that is not a list gives none."""
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, str) and item.strip()]


def read_facts(payload: Mapping[str, Any], spellings: Spellings) -> ForgeFacts:
    """The facts of a repository payload; never raises.

    Reads the crawler's kind-neutral payload (`crawler.snapshot`: ``name``, ``full_path``,
    ``licence``, ``stars``, ``fork_parent``, ... beside the forge's own JSON in ``raw``), taking
    each fact from the neutral keys when they hold it and from ``raw`` (read with the kind's
    `spellings`) otherwise; a payload without ``raw`` is read as the forge's own JSON.
    """
    raw = payload.get("raw")
    if not isinstance(raw, Mapping):
        return read_native(payload, spellings)
    facts = read_native(raw, spellings)
    names = _strings(payload.get("topics"))
    languages = _strings(payload.get("languages"))
    parent = _text(payload.get("fork_parent"))
    stars, forks = _int(payload.get("stars")), _int(payload.get("forks"))
    return facts.model_copy(
        update={
            "name": _text(payload.get("name")) or facts.name,
            "path": _text(payload.get("full_path")) or facts.path,
            "description": _text(payload.get("description")) or facts.description,
            "default_branch": _text(payload.get("default_branch")) or facts.default_branch,
            "stars": stars if stars is not None else facts.stars,
            "forks": forks if forks is not None else facts.forks,
            "topics": names or facts.topics,
            "languages": languages or facts.languages,
            "licence": spdx_id(payload.get("licence")) or facts.licence,
            "created_at": parse_time(payload.get("created_at")) or facts.created_at,
            "homepage": _text(payload.get("homepage")) or facts.homepage,
            "fork_parent_url": parent or facts.fork_parent_url,
            "is_fork": facts.is_fork or parent is not None,
            "visibility": _text(payload.get("visibility")) or facts.visibility,
        }
    )


def read_native(payload: Mapping[str, Any], spellings: Spellings) -> ForgeFacts:
    """The facts in a forge's own repository JSON, read through the kind's `spellings`."""

    def first(field: str) -> Any:
        return _first(payload, *spellings.get(field, ()))

    parent = _text(first("fork_parent_url"))
    return ForgeFacts(
        name=_text(first("name")),
        path=_text(first("path")),
        description=_text(first("description")),
        default_branch=_text(first("default_branch")),
        stars=_int(first("stars")),
        forks=_int(first("forks")),
        topics=_topics(payload, spellings.get("topics", ())),
        languages=_languages(payload, spellings.get("languages", ())),
        licence=spdx_id(first("licence")),
        created_at=parse_time(first("created_at")),
        last_activity=parse_time(first("last_activity")),
        archived=bool(first("archived")),
        is_fork=bool(first("is_fork")) or parent is not None,
        fork_parent_url=parent,
        homepage=_text(first("homepage")),
        visibility=_text(first("visibility")),
    )
