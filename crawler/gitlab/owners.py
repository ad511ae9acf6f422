"""The owner of a GitLab project: GraphQL ``group { … parent { fullPath } }`` (null in a user
namespace) beside ``namespace { fullPath name }``, REST ``namespace { kind full_path … }``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.owners import dotted, read_profile
from schemas.organisation import OwnerProfile

SPELLINGS = {
    "path": ("group.fullPath", "namespace.fullPath", "namespace.full_path"),
    "name": ("group.name", "namespace.name"),
    "description": ("group.description",),
    "avatar_url": ("group.avatarUrl", "namespace.avatar_url"),
    "web_url": ("group.webUrl", "namespace.web_url"),
    "parent": ("group.parent.fullPath",),
}


def read_owner(raw: Mapping[str, Any]) -> OwnerProfile | None:
    """The owner profile in a GitLab project node or REST object (pure)."""
    person: bool | None = None
    kind = dotted(raw, "namespace.kind")
    if kind in {"user", "group"}:  # REST
        person = kind == "user"
    elif isinstance(raw.get("group"), Mapping):  # GraphQL: a group namespace
        person = False
    elif "group" in raw and isinstance(raw.get("namespace"), Mapping):
        person = True  # GraphQL asked for the group and the project has none
    return read_profile(raw, SPELLINGS, person=person)
