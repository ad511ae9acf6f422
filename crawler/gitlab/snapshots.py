"""GitLab answers → `RepositorySnapshot` (pure): GraphQL ``Project`` nodes and REST objects.

Files come from the node's ``repository.blobs`` or, when the crawler had to fetch them through
the REST raw-file endpoint, from ``_files`` (``{path: [text, blob id]}``). Repository facts come
from the node's ``repository.tree``, ``releases`` and ``openIssuesCount`` (asked with
`queries.with_facts`) and the README/LICENSE/manifest texts the crawler attached as
``_facts_files`` (``{path: [text, size]}``); REST objects carry none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.facts import crawled_facts, fetched_file, release, root_entries, wanted_files
from crawler.gitlab import queries
from crawler.native import Spellings, dotted, nodes, read_native
from crawler.snapshot import (
    MAX_PUBLICCODE_BYTES,
    FileBlob,
    Origin,
    build_snapshot,
    checked_blob,
    unreadable_blob,
    unreadable_files,
)
from schemas.facts import CrawledFacts, FetchedFile
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


def _size(value: Any) -> int | None:
    """GraphQL ``rawSize`` (a BigInt, sent as a string) as an int."""
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() else None


def _graphql_blob(blob: dict[str, Any]) -> FileBlob | None:
    """A ``blobs`` node as a file: unreadable when over the limit or when GitLab sent less than
    ``rawSize`` (it cuts large blobs); None when the node holds no file."""
    size, raw, oid = _size(blob.get("rawSize")), blob.get("rawBlob"), blob.get("oid")
    if size is not None and size > MAX_PUBLICCODE_BYTES:
        return unreadable_blob("too_large", size, oid)
    if raw is None:
        return unreadable_blob("truncated", size, oid) if size else None
    content = str(raw).encode("utf-8")
    if size is not None and size > len(content):
        return unreadable_blob("truncated", size, oid)
    return checked_blob(content, oid)


def _files_of(node: dict[str, Any]) -> dict[str, FileBlob]:
    if "_files" in node:
        files = {
            path: checked_blob(text.encode("utf-8"), blob)
            for path, (text, blob) in node["_files"].items()
        }
        return {**files, **unreadable_files(node)}
    blobs = (((node.get("repository") or {}).get("blobs") or {}).get("nodes")) or []
    found = {
        str(blob["path"]): _graphql_blob(blob)
        for blob in blobs
        if isinstance(blob, dict) and blob.get("path")
    }
    return {path: blob for path, blob in found.items() if blob is not None}


def _without_contents(node: dict[str, Any]) -> dict[str, Any]:
    raw = {
        key: value
        for key, value in node.items()
        if key not in ("_files", "_facts_files", "_unreadable")
    }
    repository = raw.get("repository")
    if isinstance(repository, dict):
        # The tree is kept as the neutral ``repository`` facts; the blobs without their texts.
        repository = {key: value for key, value in repository.items() if key != "tree"}
        if isinstance(repository.get("blobs"), dict):
            blobs = [
                {k: v for k, v in b.items() if k != "rawBlob"}
                for b in repository["blobs"].get("nodes") or []
                if isinstance(b, dict)
            ]
            repository["blobs"] = {"nodes": blobs}
        raw["repository"] = repository
    return raw


def _tree(tree: Any) -> tuple[list[tuple[Any, Any, Any]], bool]:
    """(name, type, size) triples of a root ``Tree`` and whether a connection had more."""
    items: list[tuple[Any, Any, Any]] = []
    more = False
    for key, kind in (("blobs", None), ("trees", "tree")):
        connection = dotted(tree, key)
        more = more or dotted(connection, "pageInfo.hasNextPage") is True
        for entry in nodes(connection):
            if isinstance(entry, dict):
                symlink = entry.get("mode") == "120000"
                items.append(
                    (entry.get("name"), "symlink" if symlink else kind or entry.get("type"), None)
                )
    return items, more


def facts_files(node: dict[str, Any]) -> dict[str, FetchedFile]:
    """The README/LICENSE/manifest texts the crawler attached to `node`, bounded."""
    attached = node.get("_facts_files")
    if not isinstance(attached, dict):
        return {}
    limits = {item.path: item.limit for item in wanted_files(root_of(node)[0])}
    found: dict[str, FetchedFile] = {}
    for path, value in attached.items():
        if path in limits and isinstance(value, list | tuple) and len(value) == 2:
            found[path] = fetched_file(path, value[0], value[1], limits[path])
    return found


def root_of(node: dict[str, Any]) -> tuple[Any, bool]:
    """The root entries of a ``Project`` node (None when the tree was not asked or the project
    is empty) and whether they were cut."""
    repository = node.get("repository")
    if not isinstance(repository, dict) or not isinstance(repository.get("tree"), dict):
        return None, False
    items, more = _tree(repository["tree"])
    entries, cut = root_entries(items)
    return entries, more or cut


def crawled(node: dict[str, Any]) -> CrawledFacts | None:
    """The repository facts of a GraphQL ``Project`` node; None when they were not asked."""
    repository = node.get("repository")
    repository = repository if isinstance(repository, dict) else {}
    if "releases" not in node and "tree" not in repository and "empty" not in repository:
        return None
    root, truncated = root_of(node)
    latest = next(
        (
            release(r.get("tagName"), r.get("name"), r.get("releasedAt"))
            for r in nodes(node.get("releases"))
            if isinstance(r, dict) and r.get("upcomingRelease") is not True
        ),
        None,
    )
    empty = repository.get("empty")
    return crawled_facts(
        root=root,
        root_truncated=truncated,
        fetched=facts_files(node),
        empty=empty if isinstance(empty, bool) else None,
        releases_count=dotted(node, "releases.count"),
        latest_release=latest,
        last_commit_at=dotted(repository, "tree.lastCommit.authoredDate"),
        open_issues=node.get("openIssuesCount"),
    )


def snapshot_from_graphql(
    node: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one GraphQL ``Project`` node (pure)."""
    raw = _without_contents(node)
    origin = Origin(
        forge, "gitlab", "graphql", queries.numeric_id(node["id"]), node["webUrl"], fetched_at
    )
    repository = node.get("repository")
    # rootRef is null only for a repository without commits.
    empty = isinstance(repository, dict) and "rootRef" in repository and not repository["rootRef"]
    facts = read_native(raw, SPELLINGS).model_copy(
        update={"repository": crawled(node), "empty": empty}
    )
    return build_snapshot(origin, raw, facts, _files_of(node))


def snapshot_from_rest(
    item: dict[str, Any], forge: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one REST project object plus its raw files (pure)."""
    raw = _without_contents(item)
    # A fork whose parent the caller cannot see has `forked_from_project` without a URL.
    forked = bool(item.get("forked_from_project"))
    facts = read_native(raw, SPELLINGS)
    facts = facts.model_copy(
        update={"is_fork": facts.is_fork or forked, "empty": item.get("empty_repo") is True}
    )
    origin = Origin(forge, "gitlab", "rest", str(item["id"]), item["web_url"], fetched_at)
    return build_snapshot(origin, raw, facts, _files_of(item))
