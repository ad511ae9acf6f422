"""GitHub through REST, for crawls without a token (GraphQL needs one) — and the naive baseline.

Per owner: ``GET /orgs/{login}/repos`` (``/users/{login}/repos`` when the login is a user),
100 per page following `Link`; per repository: ``GET /repos/{owner}/{name}/contents/{file}`` for
both publiccode names, with ``If-None-Match`` where an ETag is known (a 304 does not count
against the primary limit). Incremental runs list newest push first and stop at the first
repository older than the last crawl. Anonymous callers get 60 requests per hour; the governor
waits for each reset and shows it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from crawler.base import Page, Plan
from crawler.http import next_link
from crawler.snapshot import PUBLICCODE_NAMES, parse_time
from schemas.errors import ForgeResponseError, TransientForgeError

if TYPE_CHECKING:
    from crawler.github.crawler import GitHubCrawler


async def _contents(crawler: GitHubCrawler, item: dict[str, Any], plan: Plan) -> bool:
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
        return name, [data.get("content", ""), data.get("sha"), response.headers.get("etag")]

    found = [f for f in await asyncio.gather(*(one(n) for n in PUBLICCODE_NAMES)) if f is not None]
    if found and all(value is None for _name, value in found):
        return False
    item["_files"] = {name: value for name, value in found if value is not None}
    return True


async def _owner_pages(
    crawler: GitHubCrawler, login: str, plan: Plan, start: str | None
) -> AsyncIterator[tuple[list[dict[str, Any]], str | None, bool]]:
    """Yield (items, next URL, reached_older) for one owner's repositories."""
    order = (
        {"sort": "created", "direction": "asc"}
        if plan.full
        else {"sort": "pushed", "direction": "desc"}
    )
    url: str | None = start or f"{crawler.rest_url}/orgs/{quote(login)}/repos"
    params: dict[str, Any] | None = None if start else {"per_page": 100, "type": "public", **order}
    tried_user = start is not None
    while url:
        try:
            response = await crawler.client.get_json(url, params=params)
        except ForgeResponseError as error:
            if error.status == 404 and not tried_user:
                tried_user = True
                url = f"{crawler.rest_url}/users/{quote(login)}/repos"
                params = {"per_page": 100, "type": "owner", **order}
                continue
            raise
        items = [i for i in response.data or [] if isinstance(i, dict) and not i.get("private")]
        older = False
        if not plan.full and plan.since is not None:
            kept = []
            for item in items:
                pushed = parse_time(item.get("pushed_at"))
                if pushed is not None and pushed < plan.since:
                    older = True
                    break
                kept.append(item)
            items = kept
        url, params = next_link(response.headers), None
        yield items, (None if older else url), older
        if older:
            return


async def rest_pages(
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
        changed = [item for item in items if await _contents(crawler, item, plan)]
        yield Page(
            scope=scope, items=changed, checkpoint={}, listed_ids=[str(i["id"]) for i in items]
        )
        return
    index = int((checkpoint or {}).get("owner_index", 0))
    start = (checkpoint or {}).get("next")
    for position in range(index, len(owners)):
        login = owners[position]
        try:
            async for items, following, _older in _owner_pages(crawler, login, plan, start):
                wanted = [
                    item
                    for item in items
                    if plan.full
                    or (known := plan.fingerprints.get(str(item["id"]))) is None
                    or known.last_activity != parse_time(item.get("pushed_at"))
                ]
                flags = await asyncio.gather(*(_contents(crawler, item, plan) for item in wanted))
                after = {"owner_index": position, "next": following, "owners": owners}
                if following is None:
                    after = {"owner_index": position + 1, "next": None, "owners": owners}
                yield Page(
                    scope=scope,
                    items=[item for item, changed in zip(wanted, flags, strict=True) if changed],
                    checkpoint=after,
                    listed_ids=[str(item["id"]) for item in items],
                )
        except (ForgeResponseError, TransientForgeError) as error:
            crawler.report(scope, f"owner {login!r}: {error}")
        start = None
