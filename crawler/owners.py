"""Reading a repository owner's profile from a forge's repository JSON (kind-neutral part).

Each kind's ``crawler/<kind>/owners.py`` says where its REST and GraphQL answers keep the
owner's fields (`ProfileSpellings`) and how they tell a person from an organisation; this module
reads them into `schemas.organisation.OwnerProfile`. Forge answers are hostile input: a value
of the wrong type or a blank string counts as absent, texts are cut to a sane length.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.native import dotted as dotted  # the kinds' owners modules import it from here
from schemas.organisation import OwnerProfile

ProfileSpellings = Mapping[str, tuple[str, ...]]
"""`OwnerProfile` field → dotted paths in the repository JSON, first non-blank wins."""

MAX_TEXT = 2000
"""Longest profile text kept (a description); longer ones are cut."""


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    return stripped[:MAX_TEXT] if stripped else None


def read_profile(
    payload: Mapping[str, Any], spellings: ProfileSpellings, *, person: bool | None
) -> OwnerProfile | None:
    """The owner profile `spellings` find in `payload`; None when it names no owner at all."""
    values = {
        name: next((t for p in paths if (t := _text(dotted(payload, p))) is not None), None)
        for name, paths in spellings.items()
    }
    if not any(values.values()):
        return None
    website = values.get("website")
    if website and "://" not in website:
        website = f"https://{website}"
    if person is not False:
        # a person's name, e-mail and whereabouts are not the catalogue's business; an owner
        # not told apart (person None) may be a person, so it keeps no more than one
        return OwnerProfile(
            path=values.get("path"),
            person=person,
            avatar_url=values.get("avatar_url"),
            web_url=values.get("web_url"),
        )
    return OwnerProfile(
        path=values.get("path"),
        person=person,
        name=values.get("name"),
        description=values.get("description"),
        location=values.get("location"),
        email=values.get("email"),
        website=website,
        avatar_url=values.get("avatar_url"),
        web_url=values.get("web_url"),
        parent=values.get("parent"),
    )
