"""The REST crawl of any forge kind: one listing's pages, what moved, each item's files.

Every kind's ``crawler/<kind>/rest.py`` is built on this template and adds only what is its
own: where a scope's listing starts (`Start`: URL, parameters, the field telling when a
repository last moved, whether the listing runs newest first) and how one repository's files
are fetched into it (`Attach`). The template does the rest alike for all of them:

* pages come from `crawler.listing.listing` (``Link``/``X-Next-Page``, envelopes, pages that
  keep failing stepped over and reported), resuming at the checkpoint's ``next`` URL;
* a full crawl takes every item; an incremental one only those whose activity moved since the
  last crawl, and a newest-first listing stops at the first repository older than it;
* files are fetched concurrently; an item whose files answered 304 (unchanged) is left out,
  one whose files failed is left out *and* its page is resumed at itself next time, so no
  repository is saved without its ``publiccode.yml``;
* a listing that ends in an error (owner gone, 4xx) is a finding on the scope.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from crawler.base import ForgeCrawler, Page, Plan
from crawler.listing import listing
from crawler.native import parse_time
from schemas.errors import ForgeResponseError, TransientForgeError

Attach = Callable[[dict[str, Any]], Awaitable[bool]]
"""Fetch one item's files into it (``item["_files"]``); False when nothing changed (304)."""


@dataclass(frozen=True)
class Start:
    """Where one scope's REST listing starts, and how to read its order."""

    url: str
    params: dict[str, Any] | None
    activity: str
    """The item field holding its last activity (``pushed_at``, ``last_activity_at``...)."""
    newest_first: bool = False
    """True when the listing is ordered by that activity, newest first (incremental crawls)."""
    fallbacks: Sequence[tuple[str, dict[str, Any] | None]] = ()
    """Listings tried in turn when the first page of the previous one answers 404 (GitHub's
    ``/orgs/X/repos``, then ``/users/X/repos``)."""


def changed(
    items: list[dict[str, Any]], plan: Plan, activity: str, *, newest_first: bool
) -> tuple[list[dict[str, Any]], bool]:
    """The items to fetch (all of a full crawl, else those whose `activity` moved) and whether a
    newest-first listing reached repositories older than the last crawl."""
    if plan.full:
        return items, False
    wanted: list[dict[str, Any]] = []
    for item in items:
        moved = parse_time(item.get(activity))
        if newest_first and plan.since and moved and moved < plan.since:
            return wanted, True
        known = plan.fingerprints.get(str(item.get("id")))
        if known is None or known.last_activity != moved:
            wanted.append(item)
    return wanted, False


async def attach_all(
    crawler: ForgeCrawler, scope: str, items: list[dict[str, Any]], attach: Attach
) -> tuple[list[dict[str, Any]], bool]:
    """Fetch the files of `items` concurrently: (the items to save, whether all files were read).

    An item whose files answered 304 is left out (unchanged); one whose files failed is left out
    and reported, and the caller resumes its page next time."""
    outcomes = await asyncio.gather(*(attach(item) for item in items), return_exceptions=True)
    kept: list[dict[str, Any]] = []
    complete = True
    for item, outcome in zip(items, outcomes, strict=True):
        if isinstance(outcome, ForgeResponseError | TransientForgeError):
            crawler.report(scope, f"{item.get('full_name') or item.get('id')}: {outcome}")
            complete = False
        elif isinstance(outcome, BaseException):
            raise outcome
        elif outcome:
            kept.append(item)
    return kept, complete


async def rest_pages(
    crawler: ForgeCrawler,
    scope: str,
    plan: Plan,
    start: Start,
    attach: Attach,
    *,
    resume: str | None = None,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> AsyncIterator[Page]:
    """The pages of one REST listing (see the module docstring), from `resume` when given.

    Each page's checkpoint is ``{"next": URL}`` (None at the end); `keep` drops items that are
    not to be crawled at all (e.g. private ones), before anything else looks at them.
    """
    starts = [(start.url, start.params), *start.fallbacks] if resume is None else [(resume, None)]
    for position, (url, params) in enumerate(starts):
        current = str(httpx.URL(url, params=params)) if params else url
        first = True
        try:
            async for listed in listing(
                crawler.client, url, params, on_skip=crawler.skipped_page(scope)
            ):
                first = False
                items = [item for item in listed.items if keep is None or keep(item)]
                wanted, older = changed(
                    items, plan, start.activity, newest_first=start.newest_first
                )
                kept, complete = await attach_all(crawler, scope, wanted, attach)
                following = None if older else listed.next_url
                if not complete:
                    following = current  # resume at this page: an item lacks its files
                yield Page(
                    scope=scope,
                    items=kept,
                    checkpoint={"next": following},
                    listed_ids=[str(item.get("id")) for item in items],
                )
                if following is None or following == current:
                    return
                current = following
            return
        except (ForgeResponseError, TransientForgeError) as error:
            missing = isinstance(error, ForgeResponseError) and error.status == 404
            if missing and first and position + 1 < len(starts):
                continue  # the listing is not there on this forge: try the next start
            crawler.report(scope, error)
            return
