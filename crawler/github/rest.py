"""GitHub through REST, for crawls without a token (GraphQL needs one) — and the naive baseline.

Per owner: ``GET /orgs/{login}/repos`` (``/users/{login}/repos`` when the login is a user),
100 per page following `Link`; per repository: ``GET /repos/{owner}/{name}/contents/{file}`` for
both publiccode names, with ``If-None-Match`` where an ETag is known (a 304 does not count
against the primary limit). Incremental runs list newest push first and stop at the first
repository older than the last crawl. Anonymous callers get 60 requests per hour; the governor
waits for each reset and shows it. Built on the REST template (`crawler.rest`) like every kind's
``rest.py``: `_start` says where an owner's listing starts, `_contents` fetches one repository's
files.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from crawler.base import Page, Plan
from crawler.rest import Start, rest_pages
from crawler.snapshot import MAX_PUBLICCODE_BYTES, PUBLICCODE_NAMES
from schemas.errors import ForgeResponseError, TransientForgeError

if TYPE_CHECKING:
    from crawler.github.crawler import GitHubCrawler


async def _contents(crawler: GitHubCrawler, item: dict[str, Any], *, plan: Plan) -> bool:
    """Attach ``_files`` to `item`; False when every file answered 304 (nothing changed)."""
    known = plan.fingerprints.get(str(item["id"]))
    full_name = item["full_name"]

    async def one(name: str) -> tuple[str, Any] | None:
        headers = {"If-None-Match": known.etag} if known is not None and known.etag else None
        url = f"{crawler.rest_url}/repos/{full_name}/contents/{quote(name)}"
        response = await crawler.client.get_json(url, headers=headers, accept_statuses=(404,))
        if response.status == 304:
            return name, None
        if response.status != 200 or not isinstance(response.data, dict):
            return None
        data = response.data
        size = data.get("size")
        if data.get("encoding") == "none" or (
            isinstance(size, int) and size > MAX_PUBLICCODE_BYTES
        ):
            # Over 1 MB the contents API sends no content ("encoding": "none"); the stored
            # [content, sha, etag] entries keep their shape, the problem goes beside them.
            unreadable = item.setdefault("_unreadable", {})
            unreadable[name] = {
                "problem": "too_large",
                "size": size if isinstance(size, int) else None,
                "blob_id": data.get("sha"),
            }
            return None
        return name, [data.get("content", ""), data.get("sha"), response.headers.get("etag")]

    found = [f for f in await asyncio.gather(*(one(n) for n in PUBLICCODE_NAMES)) if f is not None]
    if found and all(value is None for _name, value in found):
        return False
    item["_files"] = {name: value for name, value in found if value is not None}
    return True


def _start(crawler: GitHubCrawler, login: str, plan: Plan) -> Start:
    """An owner's repositories: the organisation's, or the user's when it is no organisation."""
    order = (
        {"sort": "created", "direction": "asc"}
        if plan.full
        else {"sort": "pushed", "direction": "desc"}
    )
    user = f"{crawler.rest_url}/users/{quote(login)}/repos"
    return Start(
        url=f"{crawler.rest_url}/orgs/{quote(login)}/repos",
        params={"per_page": 100, "type": "public", **order},
        activity="pushed_at",
        newest_first=not plan.full,
        fallbacks=[(user, {"per_page": 100, "type": "owner", **order})],
    )


def _public(item: dict[str, Any]) -> bool:
    return not item.get("private")


async def owner_pages(
    crawler: GitHubCrawler,
    scope: str,
    plan: Plan,
    checkpoint: dict[str, Any] | None,
    owners: list[str],
) -> AsyncIterator[Page]:
    """The REST pages of `scope` (see the module docstring)."""
    if scope == "repos":
        items = []
        for full_name in crawler.registration.repos:
            try:
                response = await crawler.client.get_json(f"{crawler.rest_url}/repos/{full_name}")
            except (ForgeResponseError, TransientForgeError) as error:
                crawler.report(scope, error)
                continue
            items.append(response.data)
        changed = [item for item in items if await _contents(crawler, item, plan=plan)]
        yield Page(
            scope=scope, items=changed, checkpoint={}, listed_ids=[str(i["id"]) for i in items]
        )
        return
    index = int((checkpoint or {}).get("owner_index", 0))
    resume = (checkpoint or {}).get("next")
    for position in range(index, len(owners)):
        start = _start(crawler, owners[position], plan)
        attach = functools.partial(_contents, crawler, plan=plan)
        async for page in rest_pages(
            crawler, scope, plan, start, attach, resume=resume, keep=_public
        ):
            following = (page.checkpoint or {}).get("next")
            page.checkpoint = {
                "owner_index": position if following else position + 1,
                "next": following,
                "owners": owners,
            }
            yield page
        resume = None
