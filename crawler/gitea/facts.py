"""Gitea/Forgejo repository facts through REST (no GraphQL, so every fact is its own request).

`read_facts` completes what one repository's object and root listing (``/contents``, already
fetched for publiccode.yml) say with, per repository:

* one ``GET …/contents/{path}`` per README, LICENSE and dependency manifest the root lists
  (`crawler.facts.wanted_files`);
* one ``GET …/contents/{.gitea,.github,.forgejo}/workflows`` per such folder at the root (CI);
* one ``GET …/releases?limit=1`` when the object's ``release_counter`` is not 0 (the count
  itself is free: the counter, else ``X-Total-Count``);
* one ``GET …/commits?sha=…&limit=1&since=…&stat=false&verification=false&files=false``: the head
  commit's date and, from ``X-Total-Count``, the commits of the last 365 days; a server that
  ignores ``since`` (before 1.22) gives the head commit only, and a repository without commits in
  the year costs a second request for its last commit date.

Open issues (``open_issues_count``) and emptiness (``empty``) come with the object. The answer is
stored in ``item["_facts"]`` for `crawler.gitea.snapshots` (pure); a request that fails leaves
its fact unknown (never the repository out of the crawl).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from crawler.facts import root_entries, since_year, to_fetch, wanted_files
from crawler.http import ForgeResponse
from crawler.native import count, dotted, parse_time
from schemas.errors import ForgeResponseError, TransientForgeError

if TYPE_CHECKING:
    from crawler.gitea.crawler import GiteaCrawler

CI_FOLDERS = (".gitea", ".github", ".forgejo")


def root_items(entries: list[Any]) -> list[list[Any]]:
    """``[name, type, size]`` of each root entry of a ``/contents`` listing."""
    return [
        [entry.get("name"), entry.get("type"), entry.get("size")]
        for entry in entries
        if isinstance(entry, dict)
    ]


def _total(response: ForgeResponse) -> int | None:
    value = response.headers.get("x-total-count") or response.headers.get("X-Total-Count")
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


async def _get(
    crawler: GiteaCrawler, url: str, params: dict[str, Any] | None
) -> ForgeResponse | None:
    try:
        return await crawler.client.get_json(url, params=params, accept_statuses=(404, 409))
    except (ForgeResponseError, TransientForgeError):
        return None


async def read_facts(
    crawler: GiteaCrawler,
    item: dict[str, Any],
    base: str,
    ref: dict[str, str] | None,
    entries: list[Any],
) -> dict[str, Any]:
    """The facts of one repository (module docstring) as plain JSON for ``item["_facts"]``."""
    items = root_items(entries)
    root, _ = root_entries((name, kind, size) for name, kind, size in items)
    folders = {e.name for e in root if e.type == "dir"}

    async def file(path: str) -> tuple[str, list[Any]] | None:
        found = await _get(crawler, f"{base}/{quote(path)}", ref)
        data = found.data if found is not None else None
        if not isinstance(data, dict) or not isinstance(data.get("content"), str):
            return None
        try:
            content = base64.b64decode(data["content"], validate=False)
        except (binascii.Error, ValueError):
            return None
        return path, [content.decode("utf-8", "replace"), data.get("size")]

    async def workflows(folder: str) -> str | None:
        found = await _get(crawler, f"{base}/{quote(folder)}/workflows", ref)
        listed = found.data if found is not None else None
        return f"{folder}/workflows" if isinstance(listed, list) and listed else None

    # All at once: the governor bounds the requests in flight per host.
    files, ci, releases, commits = await asyncio.gather(
        asyncio.gather(*(file(w.path) for w in to_fetch(wanted_files(root)))),
        asyncio.gather(*(workflows(f) for f in CI_FOLDERS if f in folders)),
        _releases(crawler, item),
        _commits(crawler, item),
    )
    facts: dict[str, Any] = {
        "root": items + [[path, "dir", None] for path in ci if path],
        "files": dict(found for found in files if found is not None),
        "releases": releases,
    }
    facts.update(commits)
    return facts


async def _releases(crawler: GiteaCrawler, item: dict[str, Any]) -> dict[str, Any]:
    counter = count(item.get("release_counter"))
    if counter == 0:
        return {"count": 0, "latest": None}
    url = f"{crawler.rest_url}/repos/{quote(str(item['full_name']), safe='/')}/releases"
    found = await _get(crawler, url, {"limit": 1})
    if found is None or not isinstance(found.data, list):
        return {"count": counter, "latest": None}
    latest = next((r for r in found.data if isinstance(r, dict)), None)
    return {"count": counter if counter is not None else _total(found), "latest": latest}


async def _commits(crawler: GiteaCrawler, item: dict[str, Any]) -> dict[str, Any]:
    url = f"{crawler.rest_url}/repos/{quote(str(item['full_name']), safe='/')}/commits"
    since = since_year(crawler.clock())
    params: dict[str, Any] = {
        "limit": 1,
        "stat": "false",
        "verification": "false",
        "files": "false",
    }
    if item.get("default_branch"):
        params["sha"] = item["default_branch"]
    found = await _get(crawler, url, {**params, "since": since.strftime("%Y-%m-%dT%H:%M:%SZ")})
    if found is None or found.status != 200 or not isinstance(found.data, list):
        return {}
    head = _head_date(found.data)
    if head is None:  # no commit in the year: its last commit is older
        older = await _get(crawler, url, params)
        data = older.data if older is not None and isinstance(older.data, list) else []
        return {"last_commit_at": _head_date(data), "commits_last_year": 0}
    moment = parse_time(head)
    honoured = moment is not None and moment >= since
    return {"last_commit_at": head, "commits_last_year": _total(found) if honoured else None}


def _head_date(commits: list[Any]) -> str | None:
    head = next((c for c in commits if isinstance(c, dict)), None)
    date = dotted(head, "commit.committer.date") or dotted(head, "created")
    return date if isinstance(date, str) else None
