"""The owner of a Gitea/Forgejo repository: the repository JSON's ``owner`` (a user object
either way, holding the profile) and ``_owner``, which the crawler attaches
(`crawler.gitea.profiles`): ``{"type": "organization"}`` (with the profile of ``GET /orgs/{org}``
or ``GET /orgs`` when it read one) or ``{"type": "user"}``; without it the owner is untold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.owners import dotted, read_profile
from schemas.organisation import OwnerProfile

SPELLINGS = {
    "path": ("_owner.username", "owner.login", "owner.username"),
    "name": ("_owner.full_name", "owner.full_name"),
    "description": ("_owner.description", "owner.description"),
    "location": ("_owner.location", "owner.location"),
    "email": ("_owner.email", "owner.email"),
    "website": ("_owner.website", "owner.website"),
    "avatar_url": ("_owner.avatar_url", "owner.avatar_url"),
    "web_url": ("owner.html_url",),
}
_PERSON = {"user": True, "organization": False}


def read_owner(raw: Mapping[str, Any]) -> OwnerProfile | None:
    """The owner profile in a Gitea repository object (pure); a person's e-mail is not read."""
    person = _PERSON.get(str(dotted(raw, "_owner.type")))
    return read_profile(raw, SPELLINGS, person=person)
