"""Repository facts read from a forge's raw payload, whatever API produced it.

The crawler stores each repository's payload as the forge sent it (architecture decision 1):
GitLab REST project JSON (``star_count``, ``last_activity_at``, ``forked_from_project``) or
GitLab GraphQL project nodes (``starCount``, ``lastActivityAt``, ``repository.rootRef``),
GitHub REST repository JSON (``stargazers_count``, ``pushed_at``, ``license.spdx_id``) or GitHub
GraphQL repository nodes (``stargazerCount``, ``pushedAt``, ``licenseInfo.spdxId``,
``repositoryTopics``). `read_facts` understands all four spellings, so a re-normalisation of old
payloads keeps working when the crawler switches API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawler.normalise.licence import spdx_id


@dataclass
class RepositoryFacts:
    """What the forge says about a repository, each field None/empty when the payload lacks it."""

    name: str | None = None
    path: str | None = None
    description: str | None = None
    default_branch: str | None = None
    stars: int | None = None
    forks: int | None = None
    topics: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    licence: str | None = None
    created_at: datetime | None = None
    last_activity: datetime | None = None
    archived: bool = False
    is_fork: bool = False
    fork_parent_url: str | None = None
    homepage: str | None = None


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


def _topics(payload: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for item in _nodes(_first(payload, "topics", "tag_list", "repositoryTopics")):
        name = item if isinstance(item, str) else _get(item, "topic.name") or _get(item, "name")
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return list(dict.fromkeys(names))


def _languages(payload: Mapping[str, Any]) -> list[str]:
    raw = payload.get("languages")
    names: list[str] = []
    if isinstance(raw, Mapping) and not ({"nodes", "edges"} & raw.keys()):
        # GitLab REST /languages: {"Python": 80.1, "Shell": 19.9}; largest share first.
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
    main = _text(_first(payload, "primaryLanguage.name", "language"))
    if main:
        names.insert(0, main)
    return list(dict.fromkeys(name for name in names if name))


def _strings(value: Any) -> list[str]:
    """The non-blank strings of a list; anything that is not a list gives none."""
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, str) and item.strip()]


def read_facts(payload: Mapping[str, Any]) -> RepositoryFacts:
    """The facts of a repository payload; never raises.

    Reads the crawler's kind-neutral payload (`crawler.snapshot`: ``name``, ``full_path``,
    ``licence``, ``stars``, ``fork_parent``, ... beside the forge's own JSON in ``raw``), taking
    each fact from the neutral keys when they hold it and from ``raw`` otherwise; a payload
    without ``raw`` is read as the forge's own JSON.
    """
    raw = payload.get("raw")
    if not isinstance(raw, Mapping):
        return _read_native(payload)
    facts = _read_native(raw)
    names = _strings(payload.get("topics"))
    languages = _strings(payload.get("languages"))
    parent = _text(payload.get("fork_parent"))
    facts.name = _text(payload.get("name")) or facts.name
    facts.path = _text(payload.get("full_path")) or facts.path
    facts.description = _text(payload.get("description")) or facts.description
    facts.default_branch = _text(payload.get("default_branch")) or facts.default_branch
    facts.stars = (
        _int(payload.get("stars")) if _int(payload.get("stars")) is not None else facts.stars
    )
    facts.forks = (
        _int(payload.get("forks")) if _int(payload.get("forks")) is not None else facts.forks
    )
    facts.topics = names or facts.topics
    facts.languages = languages or facts.languages
    facts.licence = spdx_id(payload.get("licence")) or facts.licence
    facts.created_at = parse_time(payload.get("created_at")) or facts.created_at
    facts.homepage = _text(payload.get("homepage")) or facts.homepage
    facts.fork_parent_url = parent or facts.fork_parent_url
    facts.is_fork = facts.is_fork or parent is not None
    return facts


def _read_native(payload: Mapping[str, Any]) -> RepositoryFacts:
    """The facts in a GitLab or GitHub repository JSON, REST or GraphQL."""
    parent = _first(
        payload, "forked_from_project.web_url", "parent.html_url", "parent.url", "forkedFrom.webUrl"
    )
    licence_key = _first(payload, "license.spdx_id", "licenseInfo.spdxId", "license.key")
    return RepositoryFacts(
        name=_text(payload.get("name")),
        path=_text(
            _first(payload, "path_with_namespace", "fullPath", "full_name", "nameWithOwner")
        ),
        description=_text(payload.get("description")),
        default_branch=_text(
            _first(payload, "default_branch", "defaultBranchRef.name", "repository.rootRef")
        ),
        stars=_int(
            _first(payload, "star_count", "starCount", "stargazers_count", "stargazerCount")
        ),
        forks=_int(_first(payload, "forks_count", "forksCount", "forkCount")),
        topics=_topics(payload),
        languages=_languages(payload),
        licence=spdx_id(licence_key),
        created_at=parse_time(_first(payload, "created_at", "createdAt")),
        last_activity=parse_time(
            _first(payload, "last_activity_at", "lastActivityAt", "pushed_at", "pushedAt")
        ),
        archived=bool(_first(payload, "archived", "isArchived")),
        is_fork=bool(_first(payload, "fork", "isFork")) or parent is not None,
        fork_parent_url=_text(parent),
        homepage=_text(_first(payload, "homepage", "homepageUrl")),
    )
