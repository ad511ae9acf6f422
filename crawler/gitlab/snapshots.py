"""GitLab answers → `RepositorySnapshot` (pure): GraphQL ``Project`` nodes and REST objects.

Files come from the node's ``repository.blobs`` or, when the crawler had to fetch them through
the REST raw-file endpoint, from ``_files`` (``{path: [text, blob id]}``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.gitlab import queries
from crawler.native import Spellings, read_native
from crawler.snapshot import FileBlob, Origin, build_snapshot
from schemas.forge import RepositorySnapshot

SPELLINGS: Spellings = {
    "name": ("name",),
    "path": ("path_with_namespace", "fullPath"),
    "description": ("description",),
    "default_branch": ("default_branch", "repository.rootRef"),
    "stars": ("star_count", "starCount"),
    "forks": ("forks_count", "forksCount"),
    "topics": ("topics", "tag_list"),
    "licence": ("license.key",),
    "created_at": ("created_at", "createdAt"),
    "last_activity": ("last_activity_at", "lastActivityAt"),
    "archived": ("archived",),
    "fork_parent_url": ("forked_from_project.web_url", "forkedFrom.webUrl"),
    "visibility": ("visibility",),
}
"""Where GitLab's REST and GraphQL answers hold each fact (`crawler.native`); the GraphQL
``languages`` list with shares is read as it is."""


def _files_of(node: dict[str, Any]) -> dict[str, FileBlob]:
    if "_files" in node:
        return {
            path: FileBlob(text.encode("utf-8"), blob)
            for path, (text, blob) in node["_files"].items()
        }
    blobs = (((node.get("repository") or {}).get("blobs") or {}).get("nodes")) or []
    return {
        blob["path"]: FileBlob(str(blob.get("rawBlob") or "").encode("utf-8"), blob.get("oid"))
        for blob in blobs
        if isinstance(blob, dict) and blob.get("path") and blob.get("rawBlob") is not None
    }


def _without_contents(node: dict[str, Any]) -> dict[str, Any]:
    raw = {key: value for key, value in node.items() if key != "_files"}
    repository = raw.get("repository")
    if isinstance(repository, dict) and isinstance(repository.get("blobs"), dict):
        blobs = [
            {k: v for k, v in b.items() if k != "rawBlob"}
            for b in repository["blobs"].get("nodes") or []
            if isinstance(b, dict)
        ]
        raw["repository"] = {**repository, "blobs": {"nodes": blobs}}
    return raw


def snapshot_from_graphql(
    node: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one GraphQL ``Project`` node (pure)."""
    raw = _without_contents(node)
    origin = Origin(
        forge, "gitlab", "graphql", queries.numeric_id(node["id"]), node["webUrl"], fetched_at
    )
    return build_snapshot(origin, raw, read_native(raw, SPELLINGS), _files_of(node))


def snapshot_from_rest(
    item: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one REST project object plus its raw files (pure)."""
    raw = _without_contents(item)
    # A fork whose parent the caller cannot see has `forked_from_project` without a URL.
    forked = bool(item.get("forked_from_project"))
    facts = read_native(raw, SPELLINGS)
    facts = facts.model_copy(update={"is_fork": facts.is_fork or forked})
    origin = Origin(forge, "gitlab", "rest", str(item["id"]), item["web_url"], fetched_at)
    return build_snapshot(origin, raw, facts, _files_of(item))
