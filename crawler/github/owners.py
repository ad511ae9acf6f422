"""The owner of a GitHub repository: GraphQL ``owner { __typename … on Organization {…} }`` in
the listing (no extra request), REST ``owner { login type }`` (``Organization`` or ``User``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.owners import dotted, read_profile
from schemas.organisation import OwnerProfile

SPELLINGS = {
    "path": ("owner.login",),
    "name": ("owner.name",),
    "description": ("owner.description",),
    "location": ("owner.location",),
    "email": ("owner.email",),
    "website": ("owner.websiteUrl", "owner.blog"),
    "avatar_url": ("owner.avatarUrl", "owner.avatar_url"),
    "web_url": ("owner.url", "owner.html_url"),
}
_PERSON = {"User": True, "Organization": False, "Enterprise": False}


def read_owner(raw: Mapping[str, Any]) -> OwnerProfile | None:
    """The owner profile in a GitHub repository node or REST object (pure)."""
    typename = dotted(raw, "owner.__typename") or dotted(raw, "owner.type")
    return read_profile(raw, SPELLINGS, person=_PERSON.get(str(typename)))
