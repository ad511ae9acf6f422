"""GitHub answers → `RepositorySnapshot` (pure): GraphQL ``Repository`` nodes and REST objects."""

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
    "path": ("full_name", "nameWithOwner"),
    "description": ("description",),
    "default_branch": ("default_branch", "defaultBranchRef.name"),
    "stars": ("stargazers_count", "stargazerCount"),
    "forks": ("forks_count", "forkCount"),
    "topics": ("topics", "repositoryTopics"),
    "languages": ("primaryLanguage.name", "language"),
    "licence": ("license.spdx_id", "licenseInfo.spdxId", "license.key"),
    "created_at": ("created_at", "createdAt"),
    "last_activity": ("pushed_at", "pushedAt"),
    "archived": ("archived", "isArchived"),
    "is_fork": ("fork", "isFork"),
    "fork_parent_url": ("parent.html_url", "parent.url"),
    "homepage": ("homepage", "homepageUrl"),
    "visibility": ("visibility",),
}
"""Where GitHub's REST and GraphQL answers hold each fact (`crawler.native`)."""

_ALIASES = {"yml": "publiccode.yml", "yaml": "publiccode.yaml"}


def _blob_files(node: dict[str, Any]) -> dict[str, FileBlob]:
    files = {}
    for alias, path in _ALIASES.items():
        blob = node.get(alias)
        # `text` is null for binary blobs; a truncated text is not the file, so it is left out.
        if isinstance(blob, dict) and blob.get("text") is not None and not blob.get("isTruncated"):
            files[path] = FileBlob(str(blob["text"]).encode("utf-8"), blob.get("oid"))
    return files


def snapshot_from_graphql(
    node: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one GraphQL ``Repository`` node."""
    raw = {key: value for key, value in node.items() if key not in _ALIASES}
    for alias in _ALIASES:
        blob = node.get(alias)
        raw[alias] = (
            {k: v for k, v in blob.items() if k != "text"} if isinstance(blob, dict) else None
        )
    # GraphQL says isPrivate where REST says visibility.
    visibility = "private" if node.get("isPrivate") else "public"
    origin = Origin(forge, "github", "graphql", str(node["databaseId"]), node["url"], fetched_at)
    facts = read_native(raw, SPELLINGS).model_copy(update={"visibility": visibility})
    return build_snapshot(origin, raw, facts, _blob_files(node))


def _rest_files(item: dict[str, Any]) -> dict[str, FileBlob]:
    files = {}
    for path, entry in (item.get("_files") or {}).items():
        content, sha, etag = entry
        try:
            files[path] = FileBlob(base64.b64decode(content or ""), sha, etag)
        except (binascii.Error, ValueError):
            continue  # a file the forge sent garbled is treated as absent
    return files


def snapshot_from_rest(
    item: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one REST repository object plus the contents fetched beside it.

    `item["_files"]` maps a file name to ``[base64 content, sha, etag]`` as the contents API
    answered.
    """
    raw = {key: value for key, value in item.items() if key != "_files"}
    facts = read_native(raw, SPELLINGS)
    if facts.visibility is None:  # older Enterprise Servers send only the private flag
        visibility = "private" if item.get("private") else "public"
        facts = facts.model_copy(update={"visibility": visibility})
    origin = Origin(forge, "github", "rest", str(item["id"]), item["html_url"], fetched_at)
    return build_snapshot(origin, raw, facts, _rest_files(item))
