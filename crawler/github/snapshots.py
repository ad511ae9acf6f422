"""GitHub answers → `RepositorySnapshot` (pure): GraphQL ``Repository`` nodes and REST objects.

Repository facts come from the fields `queries.with_facts` adds to a node and the file texts
the crawler attached as ``_facts_files`` (``{path: [text, size]}``); REST objects carry none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.facts import crawled_facts, fetched_file, release, root_entries, wanted_files
from crawler.native import Spellings, dotted, read_native
from crawler.snapshot import (
    MAX_PUBLICCODE_BYTES,
    FileBlob,
    Origin,
    base64_files,
    build_snapshot,
    checked_blob,
    unreadable_blob,
)
from schemas.facts import CrawledFacts, FetchedFile, RootEntry
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
_FACT_KEYS = frozenset({"root", "workflows", "_facts_files"})
"""Node keys kept only as the neutral ``repository`` facts, not in ``raw``."""


def root_of(node: dict[str, Any]) -> tuple[list[RootEntry] | None, bool]:
    """The root entries of a ``Repository`` node (with ``.github/workflows`` when that tree has
    entries); None when the root was not asked or not readable."""
    root = node.get("root")
    entries = dotted(root, "entries")
    if not isinstance(entries, list):
        return ([], False) if node.get("isEmpty") is True else (None, False)
    items = [(e.get("name"), e.get("type"), e.get("size")) for e in entries if isinstance(e, dict)]
    workflows = dotted(node.get("workflows"), "entries")
    if isinstance(workflows, list) and workflows:
        items.append((".github/workflows", "tree", None))
    return root_entries(items)


def facts_files(node: dict[str, Any]) -> dict[str, FetchedFile]:
    """The README/LICENSE/manifest texts the crawler attached to `node`, bounded."""
    attached = node.get("_facts_files")
    if not isinstance(attached, dict):
        return {}
    limits = {item.path: item.limit for item in wanted_files(root_of(node)[0])}
    return {
        path: fetched_file(path, value[0], value[1], limits[path])
        for path, value in attached.items()
        if path in limits and isinstance(value, list | tuple) and len(value) == 2
    }


def crawled(node: dict[str, Any]) -> CrawledFacts | None:
    """The repository facts of a GraphQL ``Repository`` node; None when they were not asked."""
    if "isEmpty" not in node:
        return None
    root, truncated = root_of(node)
    latest = node.get("latestRelease")
    latest = latest if isinstance(latest, dict) else {}
    empty = node.get("isEmpty")
    return crawled_facts(
        root=root,
        root_truncated=truncated,
        fetched=facts_files(node),
        empty=empty if isinstance(empty, bool) else None,
        releases_count=node.get("releases"),
        latest_release=release(
            latest.get("tagName"),
            latest.get("name"),
            latest.get("publishedAt"),
            latest.get("isPrerelease"),
        ),
        last_commit_at=dotted(node, "defaultBranchRef.target.committedDate"),
        commits_last_year=dotted(node, "defaultBranchRef.target.history"),
        open_issues=node.get("openIssues"),
    )


def _blob_files(node: dict[str, Any]) -> dict[str, FileBlob]:
    files = {}
    for alias, path in _ALIASES.items():
        blob = node.get(alias)
        if not isinstance(blob, dict):
            continue
        size = blob.get("byteSize")
        size = size if isinstance(size, int) and not isinstance(size, bool) else None
        oid = blob.get("oid")
        # A truncated text is not the file; `text` is null for binary blobs and for texts
        # GitHub does not send (large ones): the file is there but unreadable, with its size.
        if size is not None and size > MAX_PUBLICCODE_BYTES:
            files[path] = unreadable_blob("too_large", size, oid)
        elif blob.get("isTruncated"):
            files[path] = unreadable_blob("truncated", size, oid)
        elif blob.get("text") is None:
            files[path] = unreadable_blob("undecodable", size, oid)
        else:
            files[path] = checked_blob(str(blob["text"]).encode("utf-8"), oid)
    return files


def snapshot_from_graphql(
    node: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one GraphQL ``Repository`` node."""
    raw = {
        key: value for key, value in node.items() if key not in _ALIASES and key not in _FACT_KEYS
    }
    for alias in _ALIASES:
        blob = node.get(alias)
        raw[alias] = (
            {k: v for k, v in blob.items() if k != "text"} if isinstance(blob, dict) else None
        )
    # GraphQL says isPrivate where REST says visibility.
    visibility = "private" if node.get("isPrivate") else "public"
    origin = Origin(forge, "github", "graphql", str(node["databaseId"]), node["url"], fetched_at)
    # defaultBranchRef is null only for a repository without commits.
    empty = "defaultBranchRef" in node and node["defaultBranchRef"] is None
    facts = read_native(raw, SPELLINGS).model_copy(
        update={"visibility": visibility, "repository": crawled(node), "empty": empty}
    )
    return build_snapshot(origin, raw, facts, _blob_files(node))


def snapshot_from_rest(
    item: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one REST repository object plus the contents fetched beside it.

    `item["_files"]` maps a file name to ``[base64 content, sha, etag]`` as the contents API
    answered.
    """
    raw = {key: value for key, value in item.items() if key not in ("_files", "_unreadable")}
    facts = read_native(raw, SPELLINGS)
    if facts.visibility is None:  # older Enterprise Servers send only the private flag
        visibility = "private" if item.get("private") else "public"
        facts = facts.model_copy(update={"visibility": visibility})
    if item.get("size") == 0:  # REST: an empty repository has size 0 (KB)
        facts = facts.model_copy(update={"empty": True})
    origin = Origin(forge, "github", "rest", str(item["id"]), item["html_url"], fetched_at)
    return build_snapshot(origin, raw, facts, base64_files(item))
