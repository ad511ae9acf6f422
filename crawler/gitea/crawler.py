"""The Gitea/Forgejo crawler: REST listings of up to 50 repositories, then each one's root.

Gitea has no GraphQL, so the cost is honest REST (docs/forge-kinds.md, ``bench/crawl.py``):

* listing: one request per 50 repositories (the server clamps ``limit`` to its
  ``MAX_RESPONSE_ITEMS``, 50 by default) — ``GET /repos/search?sort=id&order=asc`` for a whole
  instance, ``GET /orgs/{org}/repos`` (``/users/{login}/repos`` for a user) per owner,
  ``GET /repos/{owner}/{repo}`` per single repository;
* files: one ``GET /repos/{owner}/{repo}/contents?ref=…`` per repository fetched (the root
  listing tells which of ``publiccode.yml``/``publiccode.yaml`` exist, so absent files are
  never asked for; empty repositories are skipped) plus one ``GET …/contents/{file}`` per file
  found (its base64 content and blob sha).

Incremental crawls list the instance newest ``updated_at`` first and stop at the first
repository older than the last crawl (minus the overlap); owners are listed whole (cheap) and
only repositories whose ``updated_at`` moved are fetched again. Gitea sends no rate-limit
headers by default: the governor's polite concurrency bounds the load and a 429 is waited out
by its ``Retry-After``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import httpx

from crawler.base import ForgeCrawler, Page, Plan
from crawler.gitea.snapshots import snapshot_from_rest
from crawler.listing import listing
from crawler.snapshot import PUBLICCODE_NAMES, parse_time
from schemas.errors import ForgeResponseError, TransientForgeError
from schemas.forge import RepositorySnapshot

LIMIT = 50
"""Gitea's default ``MAX_RESPONSE_ITEMS``: a larger ``limit`` is clamped to it anyway."""


class GiteaCrawler(ForgeCrawler):
    """Crawls one registered Gitea or Forgejo (whole instance, organisations, repositories)."""

    def scopes(self) -> list[str]:
        registration = self.registration
        if registration.whole_instance:
            return ["instance"]
        scopes = [f"org:{org}" for org in registration.orgs]
        return [*scopes, "repos"] if registration.repos else scopes

    # ---- pages (I/O) -------------------------------------------------------------------

    async def pages(
        self, scope: str, plan: Plan, checkpoint: dict[str, Any] | None
    ) -> AsyncIterator[Page]:
        if scope == "repos":
            async for page in self._single_repositories(scope):
                yield page
            return
        if checkpoint and checkpoint.get("next"):
            url, params = str(checkpoint["next"]), None
        elif scope == "instance":
            order = {"sort": "id", "order": "asc"} if plan.full else {"sort": "updated"}
            if not plan.full:
                order["order"] = "desc"
            url, params = f"{self.rest_url}/repos/search", {"limit": LIMIT, **order}
        else:
            url, params = await self._owner_url(scope, scope.removeprefix("org:"))
        if not url:
            return
        current = str(httpx.URL(url, params=params)) if params else url
        try:
            async for listed in listing(self.client, url, params, on_skip=self._skipped(scope)):
                wanted, older = self._changed(listed.items, plan, stop_at_older=scope == "instance")
                kept = await self._attach_files(scope, wanted)
                # A page with a repository whose files failed resumes at itself, not after it.
                following = listed.next_url if len(kept) == len(wanted) else current
                yield Page(
                    scope=scope,
                    items=kept,
                    checkpoint={"next": following},
                    listed_ids=[str(item.get("id")) for item in listed.items],
                )
                if older or following == current:
                    return
                current = listed.next_url or current
        except (ForgeResponseError, TransientForgeError) as error:
            self.report(scope, error)

    async def _owner_url(self, scope: str, owner: str) -> tuple[str, dict[str, Any] | None]:
        """``/orgs/{org}/repos``, or ``/users/{login}/repos`` when the owner is a user."""
        params = {"limit": LIMIT}
        for kind in ("orgs", "users"):
            url = f"{self.rest_url}/{kind}/{quote(owner, safe='')}/repos"
            probe = await self.client.get_json(url, params={"limit": 1}, accept_statuses=(404,))
            if probe.status == 200:
                return url, params
        self.report(
            scope,
            f"organisation or user {owner!r} not found on {self.registration.url}; "
            "check the registration (`codereuse forges show`)",
        )
        return "", None

    def _changed(
        self, items: list[dict[str, Any]], plan: Plan, *, stop_at_older: bool
    ) -> tuple[list[dict[str, Any]], bool]:
        """The items to fetch: all of a full crawl, else those whose ``updated_at`` moved; and
        whether a newest-first listing reached repositories older than the last crawl."""
        if plan.full:
            return items, False
        wanted: list[dict[str, Any]] = []
        for item in items:
            moved = parse_time(item.get("updated_at"))
            if stop_at_older and plan.since and moved and moved < plan.since:
                return wanted, True
            known = plan.fingerprints.get(str(item.get("id")))
            if known is None or known.last_activity != moved:
                wanted.append(item)
        return wanted, False

    async def _attach_files(self, scope: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Attach ``_files`` to each item (its root listing, then each publiccode file in it);
        return the items whose files could be read. An item whose files failed is left out of
        the page, so it is not saved without its file and is fetched again on the next run."""

        async def attach(item: dict[str, Any]) -> None:
            if item.get("empty") or not item.get("full_name"):
                return
            base = f"{self.rest_url}/repos/{quote(str(item['full_name']), safe='/')}/contents"
            ref = {"ref": item["default_branch"]} if item.get("default_branch") else None
            root = await self.client.get_json(base, params=ref, accept_statuses=(404,))
            entries = root.data if isinstance(root.data, list) else []
            names = {
                entry.get("name")
                for entry in entries
                if isinstance(entry, dict) and entry.get("type") == "file"
            }
            files: dict[str, list[Any]] = {}
            for name in PUBLICCODE_NAMES:
                if name not in names:
                    continue
                found = await self.client.get_json(
                    f"{base}/{quote(name)}", params=ref, accept_statuses=(404,)
                )
                if isinstance(found.data, dict) and isinstance(found.data.get("content"), str):
                    files[name] = [found.data["content"], found.data.get("sha")]
            item["_files"] = files

        outcomes = await asyncio.gather(*(attach(item) for item in items), return_exceptions=True)
        kept: list[dict[str, Any]] = []
        for item, outcome in zip(items, outcomes, strict=True):
            if isinstance(outcome, ForgeResponseError | TransientForgeError):
                self.report(scope, f"{item.get('full_name')}: {outcome}")
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                kept.append(item)
        return kept

    async def _single_repositories(self, scope: str) -> AsyncIterator[Page]:
        for path in self.registration.repos:
            url = f"{self.rest_url}/repos/{quote(path, safe='/')}"
            try:
                response = await self.client.get_json(url, accept_statuses=(404,))
            except (ForgeResponseError, TransientForgeError) as error:
                self.report(scope, error)
                continue
            if response.status == 404 or not isinstance(response.data, dict):
                self.report(scope, f"repository {path!r} not found on {self.registration.url}")
                continue
            items = await self._attach_files(scope, [response.data])
            yield Page(
                scope=scope, items=items, checkpoint={}, listed_ids=[str(response.data["id"])]
            )

    def _skipped(self, scope: str) -> Callable[[str, BaseException], None]:
        def on_skip(url: str, error: BaseException) -> None:
            self.report(
                scope,
                f"skipped a listing page of {url} that kept failing ({error}); it is retried on the next run",
            )

        return on_skip

    # ---- snapshots (pure) ---------------------------------------------------------------

    def snapshots_from_page(self, page: Page) -> list[RepositorySnapshot]:
        snapshots = []
        for item in page.items:
            snapshot = snapshot_from_rest(
                item, self.registration.name, self.registration.kind, self.clock()
            )
            if not self.excluded(snapshot.payload.get("full_path")):
                snapshots.append(snapshot)
        return snapshots
