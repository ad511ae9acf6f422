"""Gitea/Forgejo answers → `RepositorySnapshot` (pure): REST repository objects plus their files.

Files come from ``_files`` (``{path: [base64 text, blob sha]}``), attached by the crawler from
``GET /repos/{owner}/{repo}/contents/{path}``.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from crawler.snapshot import build_snapshot, parse_time, pick_publiccode
from schemas.forge import RepositorySnapshot


def _files_of(item: dict[str, Any]) -> dict[str, tuple[bytes, str | None]]:
    files: dict[str, tuple[bytes, str | None]] = {}
    for path, entry in (item.get("_files") or {}).items():
        text, sha = entry
        try:
            files[path] = (base64.b64decode(text or "", validate=False), sha)
        except (binascii.Error, ValueError):
            continue  # a file the forge sent garbled is treated as absent
    return files


def _visibility(item: dict[str, Any]) -> str:
    if item.get("private"):
        return "private"
    return "internal" if item.get("internal") else "public"


def snapshot_from_rest(
    item: dict[str, Any], forge: str, kind: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one repository object of ``/repos/search``, ``/orgs/{org}/repos`` or
    ``/repos/{owner}/{repo}`` (the same shape on Gitea, Forgejo and Gogs)."""
    path, content, blob_id = pick_publiccode(_files_of(item))
    parent = item.get("parent")
    raw = {key: value for key, value in item.items() if key != "_files"}
    language = item.get("language")
    return build_snapshot(
        forge=forge,
        kind=kind,
        api="rest",
        forge_id=str(item["id"]),
        url=str(item["html_url"]),
        raw=raw,
        fetched_at=fetched_at,
        name=item.get("name"),
        full_path=item.get("full_name"),
        description=item.get("description"),
        default_branch=item.get("default_branch"),
        topics=[t for t in item.get("topics") or [] if isinstance(t, str)],
        languages=[language] if isinstance(language, str) and language else [],
        stars=item.get("stars_count"),
        forks=item.get("forks_count"),
        created_at=item.get("created_at"),
        homepage=item.get("website"),
        fork_parent=parent.get("html_url") if isinstance(parent, dict) else None,
        visibility=_visibility(item),
        last_activity=parse_time(item.get("updated_at")),
        archived=bool(item.get("archived")),
        is_fork=bool(item.get("fork")),
        publiccode_path=path,
        publiccode=content,
        blob_id=blob_id,
    )
