"""Paged REST listings of any forge kind: follow ``Link: rel="next"`` (or ``X-Next-Page``).

A page that keeps failing after the retry policy is stepped over — ``page`` (offset) or
``id_after`` (GitLab keyset) one page on, the Software Heritage lister's answer to pages that
always answer 500 (gitlab-org/gitlab#262629) — and reported, so the listing counts as
incomplete. Listings never rely on total counts (GitLab omits `X-Total` above 10,000 rows).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from crawler.http import ForgeClient, next_link
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


def _list_items(data: Any) -> list[Any]:
    """The items of a listing answer: a JSON list, or the ``data`` list of an envelope
    (Gitea's ``/repos/search`` answers ``{"ok": true, "data": [...]}``)."""
    if isinstance(data, dict):
        data = data.get("data")
    return data if isinstance(data, list) else []


async def listing(
    client: ForgeClient,
    start_url: str,
    params: dict[str, Any] | None,
    *,
    on_skip: Callable[[str, BaseException], None],
    max_skips: int = 10,
) -> AsyncIterator[RestPage]:
    """Yield the pages of a listing from `start_url` (params are merged into it).

    A page that still fails after the retry policy is reported through `on_skip(url, error)`
    and stepped over; after `max_skips` skips in a row the listing stops. A 4xx ends the listing
    (raised to the caller: the owner may not exist or be private).
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
        items = [item for item in _list_items(response.data) if isinstance(item, dict)]
        following = _next_offset_page(url, response.headers)
        yield RestPage(items=items, next_url=following)
        if not following or not items:
            return
        url = httpx.URL(following)
