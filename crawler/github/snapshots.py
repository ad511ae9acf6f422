"""GitHub answers → `RepositorySnapshot` (pure): GraphQL ``Repository`` nodes and REST objects."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from crawler.snapshot import build_snapshot, parse_time, pick_publiccode
from schemas.forge import RepositorySnapshot

_ALIASES = {"yml": "publiccode.yml", "yaml": "publiccode.yaml"}


def _blob_files(node: dict[str, Any]) -> dict[str, tuple[bytes, str | None]]:
    files = {}
    for alias, path in _ALIASES.items():
        blob = node.get(alias)
        # `text` is null for binary blobs; a truncated text is not the file, so it is left out.
        if isinstance(blob, dict) and blob.get("text") is not None and not blob.get("isTruncated"):
            files[path] = (str(blob["text"]).encode("utf-8"), blob.get("oid"))
    return files


def snapshot_from_graphql(
    node: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one GraphQL ``Repository`` node."""
    path, content, blob_id = pick_publiccode(_blob_files(node))
    raw = {key: value for key, value in node.items() if key not in _ALIASES}
    for alias in _ALIASES:
        blob = node.get(alias)
        raw[alias] = (
            {k: v for k, v in blob.items() if k != "text"} if isinstance(blob, dict) else None
        )
    topics = [
        entry["topic"]["name"]
        for entry in ((node.get("repositoryTopics") or {}).get("nodes") or [])
        if isinstance(entry, dict) and entry.get("topic")
    ]
    language = (node.get("primaryLanguage") or {}).get("name")
    parent = (node.get("parent") or {}).get("url")
    return build_snapshot(
        forge=forge,
        kind="github",
        api="graphql",
        forge_id=str(node["databaseId"]),
        url=node["url"],
        raw=raw,
        fetched_at=fetched_at,
        name=node.get("name"),
        full_path=node.get("nameWithOwner"),
        description=node.get("description"),
        default_branch=(node.get("defaultBranchRef") or {}).get("name"),
        topics=topics,
        languages=[language] if language else [],
        licence=_spdx((node.get("licenseInfo") or {}).get("spdxId")),
        stars=node.get("stargazerCount"),
        forks=node.get("forkCount"),
        created_at=node.get("createdAt"),
        homepage=node.get("homepageUrl"),
        fork_parent=parent,
        visibility="private" if node.get("isPrivate") else "public",
        last_activity=parse_time(node.get("pushedAt")),
        archived=bool(node.get("isArchived")),
        is_fork=bool(node.get("isFork")),
        publiccode_path=path,
        publiccode=content,
        blob_id=blob_id,
    )


def _spdx(value: Any) -> str | None:
    # GitHub says NOASSERTION for a licence file it cannot classify: no SPDX id then.
    return value if isinstance(value, str) and value and value != "NOASSERTION" else None


def snapshot_from_rest(
    item: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one REST repository object plus the contents fetched beside it.

    `item["_files"]` maps a file name to ``[base64 content, sha, etag]`` as the contents API
    answered.
    """
    files = {
        path: (base64.b64decode(content), sha)
        for path, (content, sha, _etag) in (item.get("_files") or {}).items()
    }
    path, content, blob_id = pick_publiccode(files)
    etag = (item.get("_files") or {}).get(path, [None, None, None])[2] if path else None
    parent = (item.get("parent") or {}).get("html_url")
    raw = {key: value for key, value in item.items() if key != "_files"}
    return build_snapshot(
        forge=forge,
        kind="github",
        api="rest",
        forge_id=str(item["id"]),
        url=item["html_url"],
        raw=raw,
        fetched_at=fetched_at,
        name=item.get("name"),
        full_path=item.get("full_name"),
        description=item.get("description"),
        default_branch=item.get("default_branch"),
        topics=list(item.get("topics") or []),
        languages=[item["language"]] if item.get("language") else [],
        licence=_spdx((item.get("license") or {}).get("spdx_id")),
        stars=item.get("stargazers_count"),
        forks=item.get("forks_count"),
        created_at=item.get("created_at"),
        homepage=item.get("homepage"),
        fork_parent=parent,
        visibility=item.get("visibility") or ("private" if item.get("private") else "public"),
        last_activity=parse_time(item.get("pushed_at")),
        archived=bool(item.get("archived")),
        is_fork=bool(item.get("fork")),
        publiccode_path=path,
        publiccode=content,
        blob_id=blob_id,
        etag=etag,
    )
