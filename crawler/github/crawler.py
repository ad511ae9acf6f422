"""The GitHub crawler (github.com and Enterprise Server): GraphQL with publiccode blobs inline.

Full crawl of owners (scope ``owners``; for a whole Enterprise Server, scope ``instance``
first lists its organisations through REST ``/organizations``): owners are packed into one
query until it asks for `batch` repositories (100): unknown owners are probed together
(``first = batch / owners``); owners with more repositories continue, packed by what remains
of their ``totalCount``. Small organisations thus share requests; large ones take one request
per 100 repositories. The batch halves on complexity errors and 502/504 timeouts (GitHub kills
queries after 10 s) and doubles back after each success.

Incremental crawl: aliased ``repositories(orderBy: PUSHED_AT DESC)`` pages of ids only, read
until a repository older than the last crawl, then ``nodes(ids: …)`` for what changed.

With repository facts on (`crawler.facts`), every repository query asks for them too
(`queries.with_facts`), and each page is followed by `queries.repository_files` requests for the
README, LICENSE and manifest texts its root trees named (one per page in practice).

Without a token GitHub's GraphQL API is closed: `crawler.github.rest` takes over, within 60
requests per hour, and the crawl says so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from crawler.base import MAX_GRAPHQL_BATCH, ForgeCrawler, Page, Plan
from crawler.fact_files import Batch, Files, fetch_batches
from crawler.facts import file_batches, since_year, wanted_by_node
from crawler.github import queries, rest
from crawler.github.snapshots import root_of, snapshot_from_graphql, snapshot_from_rest
from crawler.http import next_link
from crawler.snapshot import parse_time
from schemas.errors import ForgeResponseError, TransientForgeError
from schemas.forge import RepositorySnapshot

PROBE_OWNERS = 10
ACTIVITY_OWNERS = 20
ACTIVITY_PAGE = 10


class GitHubCrawler(ForgeCrawler):
    """Crawls one registered GitHub (organisations/users, single repositories, whole GHES)."""

    kind = "github"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_rest = self.use_rest or not self.client.has_token
        if not self.client.has_token:
            self.notify(
                f"{self.registration.name}: no token (set the variable named by --token-env); "
                "GitHub allows only 60 REST requests per hour without one, and GraphQL not at "
                "all, so this crawl needs one request per repository and file and will wait "
                "for the hourly reset many times"
            )

    # ---- pages (I/O) -------------------------------------------------------------------

    async def pages(
        self, scope: str, plan: Plan, checkpoint: dict[str, Any] | None
    ) -> AsyncIterator[Page]:
        try:
            owners = await self._owners(scope, checkpoint)
        except (ForgeResponseError, TransientForgeError) as error:
            self.report(scope, error)
            return
        if self.use_rest:
            source = rest.owner_pages(self, scope, plan, checkpoint, owners)
        elif scope == "repos":
            source = self._by_name(scope)
        elif plan.full:
            source = self._listing(scope, checkpoint, owners)
        else:
            source = self._incremental(scope, plan, owners)
        async for page in source:
            yield page

    async def _owners(self, scope: str, checkpoint: dict[str, Any] | None) -> list[str]:
        if scope == "owners":
            return list(self.registration.orgs)
        if scope != "instance":
            return []
        if checkpoint and checkpoint.get("owners"):
            return list(checkpoint["owners"])
        logins: list[str] = []
        url: str | None = f"{self.rest_url}/organizations"
        params: dict[str, Any] | None = {"per_page": 100}
        while url:
            response = await self.client.get_json(url, params=params)
            logins += [org["login"] for org in response.data or [] if isinstance(org, dict)]
            url, params = next_link(response.headers), None
        return logins

    async def query(self, scope: str, build: Any) -> dict[str, Any] | None:
        """Run ``build(batch) -> (query, variables)`` with the adaptive batch; errors for single
        aliases are reported; None when the request failed."""
        since = since_year(self.clock()).strftime("%Y-%m-%dT%H:%M:%SZ")

        def asked(batch: int) -> tuple[str, dict[str, object]]:
            text, variables = build(batch)
            return (queries.with_facts(text, since) if self.facts else text), variables

        result = await self.adaptive_graphql(scope, asked)
        if result is None:
            return None
        for problem in result.errors:
            self.report(scope, f"GraphQL error at {problem.get('path')}: {problem.get('message')}")
        return result.data

    async def attach_facts(self, scope: str, nodes: list[dict[str, Any]]) -> None:
        """Fetch the README, LICENSE and manifest texts the nodes' roots named into each node's
        ``_facts_files`` (`queries.repository_files`, many repositories per request)."""
        if not self.facts:
            return
        keyed = wanted_by_node(nodes, root_of)

        async def fetch(batch: Batch) -> Files:
            text, variables = queries.repository_files(
                [(key, [item.path for item in wanted]) for key, wanted in batch]
            )
            result = await self.client.graphql(
                self.graphql_url, text, variables, shrinkable=len(batch) > 1
            )
            found: Files = {}
            for i, (key, wanted) in enumerate(batch):
                node = result.data.get(f"r{i}")
                if not isinstance(node, dict):
                    continue
                files = {}
                for j, item in enumerate(wanted):
                    blob = node.get(f"f{i}_{j}")
                    if isinstance(blob, dict):
                        files[item.path] = [blob.get("text"), blob.get("byteSize")]
                found[key] = files
            return found

        files = await fetch_batches(self, scope, file_batches(keyed), fetch)
        for node in nodes:
            if node.get("id") in files:
                node["_facts_files"] = files[node["id"]]

    def _pack(self, state: dict[str, dict[str, Any]], budget: int) -> list[queries.OwnerSlice]:
        """Choose the owners of the next query and how many repositories to ask of each.

        Owners not seen yet are probed together (``budget / owners`` each, at most
        `PROBE_OWNERS` of them); then owners are filled in order until the query asks for
        `budget` repositories, the last one possibly for part of what it has left (its cursor
        carries on in the next query). So every query but the last asks for a full batch.
        """
        pending = [login for login, s in state.items() if not s["done"]]
        unknown = [login for login in pending if state[login]["total"] is None]
        if unknown:
            chosen = unknown[: max(1, min(PROBE_OWNERS, budget))]
            first = max(1, min(100, budget // len(chosen)))
            return [queries.OwnerSlice(login, first, state[login]["after"]) for login in chosen]
        slices: list[queries.OwnerSlice] = []
        left = max(1, budget)
        for login in pending:
            remaining = max(1, state[login]["total"] - state[login]["fetched"])
            first = min(100, remaining, left)
            slices.append(queries.OwnerSlice(login, first, state[login]["after"]))
            left -= first
            if left <= 0:
                break
        return slices

    async def _listing(
        self, scope: str, checkpoint: dict[str, Any] | None, owners: list[str]
    ) -> AsyncIterator[Page]:
        state: dict[str, dict[str, Any]] = (checkpoint or {}).get("state") or {
            login: {"after": None, "done": False, "total": None, "fetched": 0} for login in owners
        }
        while any(not s["done"] for s in state.values()):
            slices: list[queries.OwnerSlice] = []

            def build(
                batch: int, chosen: list[queries.OwnerSlice] = slices
            ) -> tuple[str, dict[str, object]]:
                chosen[:] = self._pack(state, batch)
                return queries.owner_repositories(chosen)

            data = await self.query(scope, build)
            if data is None:
                return
            nodes: list[dict[str, Any]] = []
            for i, part in enumerate(slices):
                owner = data.get(f"o{i}")
                entry = state[part.login]
                if owner is None:
                    self.report(scope, f"owner {part.login!r} not found on {self.registration.url}")
                    entry["done"] = True
                    continue
                connection = owner["repositories"]
                found = [n for n in connection.get("nodes") or [] if isinstance(n, dict)]
                nodes += found
                info = connection.get("pageInfo") or {}
                entry.update(
                    after=info.get("endCursor") or entry["after"],
                    total=connection.get("totalCount", 0),
                    fetched=entry["fetched"] + len(found),
                    done=not info.get("hasNextPage"),
                )
            await self.attach_facts(scope, nodes)
            yield Page(
                scope=scope,
                items=nodes,
                checkpoint={"state": state, "owners": owners},
                listed_ids=[str(n["databaseId"]) for n in nodes],
            )

    async def _incremental(self, scope: str, plan: Plan, owners: list[str]) -> AsyncIterator[Page]:
        changed: list[str] = []
        # owner -> (cursor, page size): a first page of 10; an owner whose whole page changed
        # is read on in pages of 100, so many changes in one organisation stay cheap.
        cursors: dict[str, tuple[str | None, int]] = {
            login: (None, ACTIVITY_PAGE) for login in owners
        }
        while cursors:
            batch = list(cursors.items())[:ACTIVITY_OWNERS]
            slices = [queries.OwnerSlice(login, first, after) for login, (after, first) in batch]
            data = await self.query(scope, lambda _batch, part=slices: queries.owner_activity(part))
            if data is None:
                return
            for i, part in enumerate(slices):
                owner = data.get(f"o{i}")
                cursors.pop(part.login)
                if owner is None:
                    continue
                connection = owner["repositories"]
                older = False
                for node in connection.get("nodes") or []:
                    pushed = parse_time(node.get("pushedAt"))
                    if plan.since and pushed and pushed < plan.since:
                        older = True
                        break
                    known = plan.fingerprints.get(str(node.get("databaseId")))
                    if known is None or known.last_activity != pushed:
                        changed.append(node["id"])
                info = connection.get("pageInfo") or {}
                if not older and info.get("hasNextPage"):
                    cursors[part.login] = (info.get("endCursor"), MAX_GRAPHQL_BATCH)
        while changed:
            data = await self.query(
                scope,
                lambda batch, ids=changed: (queries.REPOSITORIES_BY_ID, {"ids": ids[:batch]}),
            )
            if data is None:
                return
            changed = changed[self.used_batch :]
            nodes = [
                n for n in data.get("nodes") or [] if isinstance(n, dict) and n.get("databaseId")
            ]
            await self.attach_facts(scope, nodes)
            yield Page(scope=scope, items=nodes, checkpoint={}, listed_ids=[])

    async def _by_name(self, scope: str) -> AsyncIterator[Page]:
        names = [(o, n) for o, _, n in (item.partition("/") for item in self.registration.repos)]
        while names:
            data = await self.query(
                scope, lambda batch, pending=names: queries.repositories_by_name(pending[:batch])
            )
            if data is None:
                return
            chunk, names = names[: self.used_batch], names[self.used_batch :]
            nodes = []
            for i, (owner, name) in enumerate(chunk):
                node = data.get(f"r{i}")
                if node is None:
                    self.report(
                        scope, f"repository {owner}/{name} not found on {self.registration.url}"
                    )
                else:
                    nodes.append(node)
            await self.attach_facts(scope, nodes)
            yield Page(
                scope=scope,
                items=nodes,
                checkpoint={},
                listed_ids=[str(n["databaseId"]) for n in nodes],
            )

    # ---- snapshots (pure) ---------------------------------------------------------------

    def snapshots_from_page(self, page: Page) -> list[RepositorySnapshot]:
        snapshots = []
        for item in page.items:
            if "nameWithOwner" in item:
                snapshot = snapshot_from_graphql(item, self.registration.name, self.clock())
            else:
                snapshot = snapshot_from_rest(item, self.registration.name, self.clock())
            if not self.excluded(snapshot.payload.get("full_path")):
                snapshots.append(snapshot)
        return snapshots
