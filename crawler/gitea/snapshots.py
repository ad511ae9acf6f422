"""Gitea/Forgejo answers → `RepositorySnapshot` (pure): REST repository objects plus their files.

Files come from ``_files`` (``{path: [base64 text, blob sha]}``), attached by the crawler from
``GET /repos/{owner}/{repo}/contents/{path}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.facts import crawled_facts, fetched_file, release, root_entries, wanted_files
from crawler.native import Spellings, dotted, read_native
from crawler.snapshot import Origin, base64_files, build_snapshot
from schemas.facts import CrawledFacts
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


def crawled(item: dict[str, Any]) -> CrawledFacts | None:
    """The repository facts `crawler.gitea.facts` attached as ``_facts``; None when not read."""
    facts = item.get("_facts")
    if not isinstance(facts, dict):
        return None
    if item.get("empty") is True:
        return crawled_facts(root=[], empty=True, open_issues=item.get("open_issues_count"))
    listed = facts.get("root")
    items = (
        [tuple(e) for e in listed if isinstance(e, list) and len(e) == 3]
        if isinstance(listed, list)
        else None
    )
    root, truncated = root_entries(items) if items is not None else (None, False)
    limits = {w.path: w.limit for w in wanted_files(root)}
    attached = facts.get("files")
    attached = attached if isinstance(attached, dict) else {}
    fetched = {
        path: fetched_file(path, value[0], value[1], limits[path])
        for path, value in attached.items()
        if path in limits and isinstance(value, list) and len(value) == 2
    }
    latest = dotted(facts, "releases.latest")
    latest = latest if isinstance(latest, dict) else {}
    return crawled_facts(
        root=root,
        root_truncated=truncated,
        fetched=fetched,
        empty=False if item.get("empty") is False else None,
        releases_count=dotted(facts, "releases.count"),
        latest_release=release(
            latest.get("tag_name"),
            latest.get("name"),
            latest.get("published_at"),
            latest.get("prerelease"),
        ),
        last_commit_at=facts.get("last_commit_at"),
        commits_last_year=facts.get("commits_last_year"),
        open_issues=item.get("open_issues_count"),
    )


def _visibility(item: dict[str, Any]) -> str:
    if item.get("private"):
        return "private"
    return "internal" if item.get("internal") else "public"


def snapshot_from_rest(
    item: dict[str, Any], forge: str, kind: str, fetched_at: datetime
) -> RepositorySnapshot:
    """A snapshot from one repository object of ``/repos/search``, ``/orgs/{org}/repos`` or
    ``/repos/{owner}/{repo}`` (the same shape on Gitea, Forgejo and Gogs)."""
    raw = {
        key: value for key, value in item.items() if key not in ("_files", "_facts", "_unreadable")
    }
    facts = read_native(raw, SPELLINGS).model_copy(
        update={
            "visibility": _visibility(item),
            "repository": crawled(item),
            "empty": item.get("empty") is True,
        }
    )
    origin = Origin(forge, kind, "rest", str(item["id"]), str(item["html_url"]), fetched_at)
    return build_snapshot(origin, raw, facts, base64_files(item))
