"""Small builders of records, snapshots and registrations for the store tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.record import Record, canonical_id, canonical_url

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    """A fixed time `minutes` after T0, so tests never depend on the wall clock."""
    return T0 + timedelta(minutes=minutes)


def make_record(url: str, *, forge: str = "gitlab", **changes: Any) -> Record:
    """A valid declared record for the repository at `url`, with `changes` applied."""
    fields: dict[str, Any] = {
        "id": canonical_id(url),
        "url": canonical_url(url),
        "declared": True,
        "name": url.rsplit("/", 1)[-1],
        "descriptions": {"de": {"short": "Beteiligungsplattform für Kommunen"}},
        "categories": ["e-participation"],
        "licence": {"expression": "EUPL-1.2", "ids": ["EUPL-1.2"], "valid": True},
        "organisation": {"name": "Stadt Musterhausen"},
        "repository": {"forge": forge, "url": url, "languages": ["Python"], "last_activity": T0},
        "provenance": {"forge": forge, "fetched_at": T0, "parser_version": "1"},
    }
    fields.update(changes)
    return Record.model_validate(fields)


def make_snapshot(
    url: str, forge_id: str, *, forge: str = "gitlab", **changes: Any
) -> RepositorySnapshot:
    """A snapshot of the repository at `url` with forge id `forge_id`."""
    fields: dict[str, Any] = {
        "forge": forge,
        "forge_id": forge_id,
        "url": url,
        "canonical_id": canonical_id(url),
        "payload": {"id": forge_id, "path_with_namespace": url.split("/", 3)[-1]},
        "publiccode_path": "publiccode.yml",
        "publiccode": b"publiccodeYmlVersion: '0.4'\nname: x\n",
        "blob_id": f"blob-{forge_id}",
        "last_activity": T0,
        "fetched_at": T0,
    }
    fields.update(changes)
    return RepositorySnapshot.model_validate(fields)


def make_forge(name: str = "gitlab", **changes: Any) -> ForgeRegistration:
    """A GitLab registration called `name`."""
    fields: dict[str, Any] = {
        "name": name,
        "kind": "gitlab",
        "url": f"https://{name}.example.org",
        "groups": ["kommunen"],
        "token_env": "GITLAB_TOKEN",
    }
    fields.update(changes)
    return ForgeRegistration.model_validate(fields)
