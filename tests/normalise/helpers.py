"""Builders shared by the normalisation tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas.forge import ForgeKind, ForgeRegistration, RepositorySnapshot
from schemas.record import canonical_id

DATA = Path(__file__).resolve().parent.parent / "data"
FETCHED = datetime(2025, 11, 1, 12, 0, tzinfo=UTC)


def registration(
    name: str = "gitlab", kind: ForgeKind = "gitlab", url: str = "https://gitlab.example.org"
) -> ForgeRegistration:
    """A registration; github.com ones get an org so they validate."""
    return ForgeRegistration(
        name=name, kind=kind, url=url, orgs=["o"] if url == "https://github.com" else []
    )


def payload(relative: str) -> dict[str, Any]:
    """A JSON fixture under tests/data."""
    return json.loads((DATA / relative).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def snapshot(
    url: str,
    *,
    forge: str = "gitlab",
    publiccode: bytes | str | None = None,
    payload: dict[str, Any] | None = None,
    fetched_at: datetime = FETCHED,
    is_fork: bool = False,
    forge_id: str | None = None,
) -> RepositorySnapshot:
    """A snapshot of the repository at `url`."""
    content = publiccode.encode() if isinstance(publiccode, str) else publiccode
    return RepositorySnapshot(
        forge=forge,
        forge_id=forge_id or url,
        url=url,
        canonical_id=canonical_id(url),
        payload=payload or {},
        publiccode_path="publiccode.yml" if content is not None else None,
        publiccode=content,
        blob_id="b" * 40 if content is not None else None,
        fetched_at=fetched_at,
        is_fork=is_fork,
    )


def publiccode(name: str, url: str, *, based_on: list[str] | None = None, extra: str = "") -> str:
    """A valid publiccode.yml 0.7 for software `name` at `url`."""
    based = "".join(f"\n  - {u}" for u in based_on or [])
    return f"""publiccodeYmlVersion: "0.7"
name: {name}
url: "{url}"
{"isBasedOn:" + based if based_on else ""}
platforms:
  - web
developmentStatus: stable
softwareType: standalone/web
description:
  en:
    shortDescription: {name} helps public administrations.
    longDescription: >
      {name} is a piece of software used by public administrations to do their work
      better and faster; this description is long enough to pass the minimum length rule of
      the standard, which asks for at least one hundred and fifty characters.
    features:
      - Does things
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts:
    - name: Erika Mustermann
localisation:
  localisationReady: true
  availableLanguages:
    - en
{extra}"""
