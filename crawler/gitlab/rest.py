"""GitLab REST: paginated listings (keyset and offset) and the raw-file fallback.

Listings follow the `Link: rel="next"` header (keyset: ``pagination=keyset&order_by=id``, the
only way past the 50,000-row offset cap on ``/projects``) or, for offset pagination,
``X-Next-Page``; they never rely on `X-Total`/`X-Total-Pages`, which GitLab omits above 10,000
rows (gitlab4j-api#305). A page that keeps failing is skipped by moving ``id_after`` (keyset) or
``page`` (offset) one page on — the Software Heritage lister's answer to GitLab pages that always
answer 500 (gitlab-org/gitlab#262629) — and reported, so the listing counts as incomplete.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from crawler.http import ForgeClient, next_link
from crawler.snapshot import PUBLICCODE_NAMES
from schemas.errors import ForgeResponseError, TransientForgeError

PER_PAGE = 100


@dataclass
class RestPage:
    """One listing page: its items and the URL of the next page (None at the end)."""

    items: list[dict[str, Any]]
    next_url: str | None


def _next_offset_page(url: httpx.URL, headers: Any) -> str | None:
    following = next_link(headers)
    if following:
        return following
    next_page = (headers.get("x-next-page") or "").strip()
    if next_page:
        return str(url.copy_set_param("page", next_page))
    return None


def _skip_one_page(url: httpx.URL) -> str:
    per_page = int(url.params.get("per_page", PER_PAGE))
    if url.params.get("pagination") == "keyset":
        after = int(url.params.get("id_after", "0"))
        return str(url.copy_set_param("id_after", str(after + per_page)))
    page = int(url.params.get("page", "1"))
    return str(url.copy_set_param("page", str(page + 1)))


async def listing(
    client: ForgeClient,
    start_url: str,
    params: dict[str, Any] | None,
    *,
    on_skip: Callable[[str, BaseException], None],
    max_skips: int = 10,
) -> AsyncIterator[RestPage]:
    """Yield the pages of a GitLab listing from `start_url` (params are merged into it).

    A page that still fails after the retry policy is reported through `on_skip(url, error)`
    and stepped over; after `max_skips` skips in a row the listing stops. A 4xx ends the listing
    (raised to the caller: the group may not exist or be private).
    """
    url = httpx.URL(start_url, params=params) if params else httpx.URL(start_url)
    skips = 0
    while True:
        try:
            response = await client.get_json(str(url))
        except TransientForgeError as error:
            on_skip(str(url.copy_with(query=None)), error)
            skips += 1
            if skips >= max_skips:
                return
            url = httpx.URL(_skip_one_page(url))
            continue
        except ForgeResponseError:
            raise
        skips = 0
        items = [item for item in response.data or [] if isinstance(item, dict)]
        following = _next_offset_page(url, response.headers)
        yield RestPage(items=items, next_url=following)
        if not following or not items:
            return
        url = httpx.URL(following)


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
