"""Gitea/Forgejo answers → `RepositorySnapshot` (pure): REST repository objects plus their files.

Files come from ``_files`` (``{path: [base64 text, blob sha]}``), attached by the crawler from
``GET /repos/{owner}/{repo}/contents/{path}``.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from crawler.native import Spellings, read_native
from crawler.snapshot import FileBlob, Origin, build_snapshot
from schemas.forge import RepositorySnapshot

SPELLINGS: Spellings = {
    "name": ("name",),
    "path": ("full_name",),
    "description": ("description",),
    "default_branch": ("default_branch",),
    "stars": ("stars_count",),
    "forks": ("forks_count",),
    "topics": ("topics",),
    "languages": ("language",),
    "created_at": ("created_at",),
    "last_activity": ("updated_at",),
    "archived": ("archived",),
    "is_fork": ("fork",),
    "fork_parent_url": ("parent.html_url",),
    "homepage": ("website",),
}
"""Where Gitea's (and Forgejo's, Gogs') repository object holds each fact (`crawler.native`)."""


def _files_of(item: dict[str, Any]) -> dict[str, FileBlob]:
    files: dict[str, FileBlob] = {}
    for path, entry in (item.get("_files") or {}).items():
        text, sha = entry
        try:
            files[path] = FileBlob(base64.b64decode(text or "", validate=False), sha)
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
    raw = {key: value for key, value in item.items() if key != "_files"}
    facts = read_native(raw, SPELLINGS).model_copy(update={"visibility": _visibility(item)})
    origin = Origin(forge, kind, "rest", str(item["id"]), str(item["html_url"]), fetched_at)
    return build_snapshot(origin, raw, facts, _files_of(item))
