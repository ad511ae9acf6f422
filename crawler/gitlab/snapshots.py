"""GitLab answers → `RepositorySnapshot` (pure): GraphQL ``Project`` nodes and REST objects.

Files come from the node's ``repository.blobs`` or, when the crawler had to fetch them through
the REST raw-file endpoint, from ``_files`` (``{path: [text, blob id]}``).
"""

from __future__ import annotations

from typing import Any

from crawler.gitlab import queries
from crawler.snapshot import build_snapshot, parse_time, pick_publiccode
from schemas.forge import RepositorySnapshot


def _files_of(node: dict[str, Any]) -> dict[str, tuple[bytes, str | None]]:
    if "_files" in node:
        return {path: (text.encode("utf-8"), blob) for path, (text, blob) in node["_files"].items()}
    blobs = (((node.get("repository") or {}).get("blobs") or {}).get("nodes")) or []
    return {
        blob["path"]: (str(blob.get("rawBlob") or "").encode("utf-8"), blob.get("oid"))
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


def snapshot_from_graphql(node: dict[str, Any], forge: str, fetched_at: Any) -> RepositorySnapshot:
    """A snapshot from one GraphQL ``Project`` node (pure)."""
    path, content, blob_id = pick_publiccode(_files_of(node))
    languages = sorted(node.get("languages") or [], key=lambda lang: -(lang.get("share") or 0))
    return build_snapshot(
        forge=forge,
        kind="gitlab",
        api="graphql",
        forge_id=queries.numeric_id(node["id"]),
        url=node["webUrl"],
        raw=_without_contents(node),
        fetched_at=fetched_at,
        name=node.get("name"),
        full_path=node.get("fullPath"),
        description=node.get("description"),
        default_branch=(node.get("repository") or {}).get("rootRef"),
        topics=list(node.get("topics") or []),
        languages=[lang["name"] for lang in languages if lang.get("name")],
        stars=node.get("starCount"),
        forks=node.get("forksCount"),
        created_at=node.get("createdAt"),
        visibility=node.get("visibility"),
        last_activity=parse_time(node.get("lastActivityAt")),
        archived=bool(node.get("archived")),
        publiccode_path=path,
        publiccode=content,
        blob_id=blob_id,
    )


def snapshot_from_rest(item: dict[str, Any], forge: str, fetched_at: Any) -> RepositorySnapshot:
    """A snapshot from one REST project object plus its raw files (pure)."""
    path, content, blob_id = pick_publiccode(_files_of(item))
    parent = item.get("forked_from_project") or {}
    return build_snapshot(
        forge=forge,
        kind="gitlab",
        api="rest",
        forge_id=str(item["id"]),
        url=item["web_url"],
        raw=_without_contents(item),
        fetched_at=fetched_at,
        name=item.get("name"),
        full_path=item.get("path_with_namespace"),
        description=item.get("description"),
        default_branch=item.get("default_branch"),
        topics=list(item.get("topics") or item.get("tag_list") or []),
        stars=item.get("star_count"),
        forks=item.get("forks_count"),
        created_at=item.get("created_at"),
        fork_parent=parent.get("web_url") if isinstance(parent, dict) else None,
        visibility=item.get("visibility"),
        last_activity=parse_time(item.get("last_activity_at")),
        archived=bool(item.get("archived")),
        is_fork=bool(parent),
        publiccode_path=path,
        publiccode=content,
        blob_id=blob_id,
    )
