"""GitLab through REST, where GraphQL cannot: listings, the raw-file fallback, whole REST crawls.

Built on the REST template (`crawler.rest`) like every kind's ``rest.py``: `listing_start` says
where a scope's listing starts (keyset ``pagination=keyset&order_by=id`` is the only way past
the 50,000-row offset cap on ``/projects``; `X-Total` is never relied on, GitLab omits it above
10,000 rows, gitlab4j-api#305), `attach_files` fetches one project's files through the raw-file
endpoint (one request per file name).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from crawler.base import Plan
from crawler.http import ForgeClient
from crawler.rest import Start
from crawler.snapshot import MAX_PUBLICCODE_BYTES, PUBLICCODE_NAMES

if TYPE_CHECKING:
    from crawler.gitlab.crawler import GitLabCrawler


def group_projects_url(rest_url: str, group: str) -> str:
    """``/groups/:id/projects`` for a group path (URL-encoded, as the API asks)."""
    return f"{rest_url}/groups/{quote(group, safe='')}/projects"


async def raw_files(
    client: ForgeClient, rest_url: str, project_id: str, ref: str | None
) -> dict[str, tuple[bytes, str | None]]:
    """Fetch both publiccode file names of one project through the raw-file endpoint.

    Returns ``{path: (bytes, blob id)}`` for the names that exist (404 means absent); the blob
    id comes from the ``X-Gitlab-Blob-Id`` header where the forge sends it.
    """

    async def one(name: str) -> tuple[str, bytes, str | None] | None:
        url = f"{rest_url}/projects/{project_id}/repository/files/{quote(name, safe='')}/raw"
        response = await client.request(
            "GET", url, params={"ref": ref or "HEAD"}, raw=True, accept_statuses=(404,)
        )
        if response.status != 200:
            return None
        return name, response.content, response.headers.get("x-gitlab-blob-id")

    found = await asyncio.gather(*(one(name) for name in PUBLICCODE_NAMES))
    return {item[0]: (item[1], item[2]) for item in found if item is not None}


def listing_start(crawler: GitLabCrawler, scope: str, plan: Plan) -> Start:
    """The instance's projects (keyset, moved since the last crawl when incremental) or a
    group's with its subgroups', oldest id first."""
    params: dict[str, Any] = {"per_page": 100, "order_by": "id", "sort": "asc"}
    if scope == "instance":
        url = f"{crawler.rest_url}/projects"
        params["pagination"] = "keyset"
        if not plan.full and plan.since is not None:
            params["last_activity_after"] = plan.since.isoformat()
    else:
        url = group_projects_url(crawler.rest_url, scope.removeprefix("group:"))
        params["include_subgroups"] = "true"
    return Start(url=url, params=params, activity="last_activity_at")


def put_files(item: dict[str, Any], files: dict[str, tuple[bytes, str | None]]) -> None:
    """Store fetched files in `item`: readable ones in ``_files`` (``{path: [text, blob]}``),
    those over the size limit or not UTF-8 in ``_unreadable`` (`crawler.snapshot`)."""
    readable: dict[str, list[Any]] = {}
    unreadable: dict[str, dict[str, Any]] = {}
    for path, (content, blob) in files.items():
        problem = "too_large" if len(content) > MAX_PUBLICCODE_BYTES else None
        if problem is None:
            try:
                readable[path] = [content.decode("utf-8"), blob]
                continue
            except UnicodeDecodeError:
                problem = "undecodable"
        unreadable[path] = {"problem": problem, "size": len(content), "blob_id": blob}
    item["_files"] = readable
    if unreadable:
        item["_unreadable"] = unreadable


async def attach_files(crawler: GitLabCrawler, item: dict[str, Any]) -> bool:
    """Fetch one project's publiccode files into ``item["_files"]`` (see `put_files`)."""
    files = await raw_files(
        crawler.client, crawler.rest_url, str(item["id"]), item.get("default_branch")
    )
    put_files(item, files)
    return True
