"""The Gitea/Forgejo crawler: REST listings of up to 50 repositories, then each one's root.

The listings and files are `crawler.gitea.rest` on the REST template (`crawler.rest`), which
also says what a crawl costs. Gitea sends no rate-limit headers by default: the governor's
polite concurrency bounds the load and a 429 is waited out by its ``Retry-After``. Each item
gets its owner's profile (``_owner``) from `crawler.gitea.profiles`, read once per owner per
crawl.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from crawler.base import ForgeCrawler, Page, Plan
from crawler.gitea import rest
from crawler.gitea.profiles import OwnerBook
from crawler.gitea.snapshots import snapshot_from_rest
from crawler.rest import Start, attach_all, rest_pages
from schemas.errors import ForgeResponseError, TransientForgeError
from schemas.forge import RepositorySnapshot


class GiteaCrawler(ForgeCrawler):
    """Crawls one registered Gitea or Forgejo (whole instance, organisations, repositories)."""

    owner_scope = "org"
    _book: OwnerBook | None = None

    # ---- pages (I/O) -------------------------------------------------------------------

    def owner_book(self, plan: Plan) -> OwnerBook:
        """The crawl's one `OwnerBook`, knowing the owners of the previous crawl's repositories."""
        if self._book is None:
            self._book = OwnerBook.from_urls(self, (f.url for f in plan.fingerprints.values()))
        return self._book

    async def pages(
        self, scope: str, plan: Plan, checkpoint: dict[str, Any] | None
    ) -> AsyncIterator[Page]:
        book = self.owner_book(plan)
        if scope == "repos":
            async for page in self._single_repositories(scope, book):
                yield page
            return
        resume = (checkpoint or {}).get("next")
        if scope == "instance":
            start: Start | None = rest.instance_start(self, plan)
        else:
            start = await rest.owner_start(self, scope, scope.removeprefix("org:"), resume, book)
        if start is None:
            return
        attach = functools.partial(rest.attach_files, self, book=book, scope=scope)
        async for page in rest_pages(
            self, scope, plan, start, attach, resume=resume, keep=book.noted
        ):
            yield page

    async def _single_repositories(self, scope: str, book: OwnerBook) -> AsyncIterator[Page]:
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
            attach = functools.partial(rest.attach_files, self, book=book, scope=scope)
            book.noted(response.data)
            items, _complete = await attach_all(self, scope, [response.data], attach)
            yield Page(
                scope=scope, items=items, checkpoint={}, listed_ids=[str(response.data["id"])]
            )

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
