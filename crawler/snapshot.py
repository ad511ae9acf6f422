"""Building `RepositorySnapshot`s: one kind-neutral payload shape for every forge and API.

The GitLab and GitHub crawlers read four answer shapes (GraphQL and REST of each). So that
normalisation (`crawler.normalise`) needs to know only one, every snapshot's `payload` holds:

=================  =====================================================================
key                value
=================  =====================================================================
``kind``           ``"gitlab"`` or ``"github"``
``api``            ``"graphql"`` or ``"rest"``: which answer `raw` is
``name``           repository name (last path segment as the forge spells it)
``full_path``      ``group/sub/name`` or ``owner/name``
``description``    the forge's one-line description, or None
``default_branch`` default branch name, or None
``topics``         list of topic strings
``languages``      list of programming languages, main first (may be empty)
``licence``        SPDX id the forge detected, or None
``stars``          int or None
``forks``          int or None
``created_at``     ISO 8601 string or None
``homepage``       URL or None
``fork_parent``    URL of the fork parent when the forge knows it, else None
``visibility``     ``public``/``internal``/``private`` or None
``raw``            the forge's own JSON for the repository, minus file contents
=================  =====================================================================

`last_activity`, `archived`, `is_fork`, the publiccode path, bytes and blob id are typed fields
of the snapshot itself. Everything here is pure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas.forge import RepositorySnapshot
from schemas.record import canonical_id

PUBLICCODE_NAMES = ("publiccode.yml", "publiccode.yaml")
"""File names looked for, in order of preference."""


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 timestamp from a forge as an aware datetime; None when absent or unusable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def build_snapshot(
    *,
    forge: str,
    kind: str,
    api: str,
    forge_id: str,
    url: str,
    raw: dict[str, Any],
    fetched_at: datetime,
    name: str | None = None,
    full_path: str | None = None,
    description: str | None = None,
    default_branch: str | None = None,
    topics: list[str] | None = None,
    languages: list[str] | None = None,
    licence: str | None = None,
    stars: int | None = None,
    forks: int | None = None,
    created_at: str | None = None,
    homepage: str | None = None,
    fork_parent: str | None = None,
    visibility: str | None = None,
    last_activity: datetime | None = None,
    archived: bool = False,
    is_fork: bool = False,
    publiccode_path: str | None = None,
    publiccode: bytes | None = None,
    blob_id: str | None = None,
    etag: str | None = None,
) -> RepositorySnapshot:
    """Assemble a snapshot with the payload documented in the module docstring."""
    payload = {
        "kind": kind,
        "api": api,
        "name": name,
        "full_path": full_path,
        "description": description or None,
        "default_branch": default_branch,
        "topics": list(topics or []),
        "languages": list(languages or []),
        "licence": licence,
        "stars": stars,
        "forks": forks,
        "created_at": created_at,
        "homepage": homepage or None,
        "fork_parent": fork_parent,
        "visibility": visibility,
        "raw": raw,
    }
    return RepositorySnapshot(
        forge=forge,
        forge_id=forge_id,
        url=url,
        canonical_id=canonical_id(url),
        payload=payload,
        publiccode_path=publiccode_path,
        publiccode=publiccode,
        blob_id=blob_id,
        etag=etag,
        last_activity=last_activity,
        archived=archived,
        is_fork=is_fork,
        fetched_at=fetched_at,
    )


def pick_publiccode(
    files: dict[str, tuple[bytes, str | None]],
) -> tuple[str | None, bytes | None, str | None]:
    """Choose ``publiccode.yml`` over ``publiccode.yaml``: (path, bytes, blob id) or Nones."""
    for path in PUBLICCODE_NAMES:
        if path in files:
            content, blob_id = files[path]
            return path, content, blob_id
    return None, None, None
