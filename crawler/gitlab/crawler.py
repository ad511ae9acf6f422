"""The GitLab crawler: GraphQL listings with publiccode blobs inline, REST where GraphQL cannot.

Full crawl (scope ``instance`` or ``group:<path>``): GraphQL ``projects`` /
``group.projects(includeSubgroups: true)`` pages of up to 100 projects, each with its
``publiccode.yml``/``publiccode.yaml`` blob — one request per 100 repositories. The batch halves
on complexity errors and timeouts (502/504) and doubles back after each success.

Incremental crawl: one REST listing of what moved since the last crawl
(``/projects?last_activity_after=…`` with keyset pagination, or a group's projects newest
activity first), then one GraphQL ``projects(ids: …)`` request per 100 changed projects.

With repository facts on (`crawler.facts`), every listing query asks for them too
(`queries.with_facts`), and each page is followed by one `queries.PROJECT_FILES` request for
the README, LICENSE and manifest texts its root trees named: two requests per 100 projects.

Blobs GraphQL could not return (an error pointing at a project) are fetched through the REST
raw-file endpoint. Without a GraphQL endpoint (404), or with ``prefer_rest``, the whole crawl
runs on REST: a listing plus one raw-file request per project and file name.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

from crawler.base import ForgeCrawler, Page, Plan
from crawler.fact_files import Batch, Files, fetch_batches
from crawler.facts import file_batches, wanted_by_node
from crawler.gitlab import queries, rest
from crawler.gitlab.rest import group_projects_url, put_files, raw_files
from crawler.gitlab.snapshots import root_of, snapshot_from_graphql, snapshot_from_rest
from crawler.listing import listing
from crawler.native import dotted
from crawler.native import nodes as connection_nodes
from crawler.rest import rest_pages
from crawler.snapshot import parse_time
from schemas.errors import ForgeResponseError, GraphQLQueryError, TransientForgeError
from schemas.forge import RepositorySnapshot

_NO_FORK_PARENT = re.compile(
    rf"'{queries.FORK_PARENT_FIELD}' doesn't exist on type|"
    rf"Cannot query field ['\"]{queries.FORK_PARENT_FIELD}['\"]",
    re.I,
)
"""GitLab's refusal of a field it does not have (graphql-ruby's wording), for ``forkedFrom``."""


class GitLabCrawler(ForgeCrawler):
    """Crawls one registered GitLab instance (whole, groups, or single projects)."""

    kind = "gitlab"
    owner_scope = "group"
    fork_parent = True
    """Whether the listing queries ask for ``forkedFrom`` (until the GitLab refuses it)."""

    # ---- pages (I/O) -------------------------------------------------------------------

    async def pages(
        self, scope: str, plan: Plan, checkpoint: dict[str, Any] | None
    ) -> AsyncIterator[Page]:
        if not self.use_rest:
            try:
                if scope == "repos":
                    async for page in self._pages_by_path(scope):
                        yield page
                elif plan.full:
                    async for page in self._graphql_listing(scope, checkpoint):
                        yield page
                else:
                    async for page in self._incremental(scope, plan):
                        yield page
                return
            except ForgeResponseError as error:
                if error.status not in (404, 405) or error.url.rstrip(
                    "/"
                ) != self.graphql_url.rstrip("/"):
                    self.report(scope, error)
                    return
                self.use_rest = True
                self.notify(
                    f"{self.registration.name}: no GraphQL API at {self.graphql_url}; crawling "
                    "through REST (one request per repository and file name, much slower)"
                )
                checkpoint = None
        async for page in self._rest_pages(scope, plan, checkpoint):
            yield page

    def _asked(self, query: str) -> str:
        """`query` with the repository facts when they are read, without the fork parent when
        this GitLab lacks the field."""
        if not self.fork_parent:
            query = queries.without_fork_parent(query)
        return queries.with_facts(query) if self.facts else query

    def refused_optional_field(self, messages: Sequence[str]) -> bool:
        """A GitLab older than ``Project.forkedFrom`` refuses it: stop asking, with a notice
        (forks are then not told on this forge), and send the query again."""
        text = " ".join(messages)
        if not self.fork_parent or not _NO_FORK_PARENT.search(text):
            return False
        self.fork_parent = False
        self.notify(
            f"{self.registration.name}: this GitLab has no Project.forkedFrom in its GraphQL "
            "API (added in 2025); crawling without fork parents, so its forks are not told"
        )
        return True

    async def _attach_facts(self, scope: str, nodes: list[dict[str, Any]]) -> None:
        """Fetch the README, LICENSE and manifest texts the nodes' trees named into each
        node's ``_facts_files`` (one `queries.PROJECT_FILES` request per batch)."""
        if not self.facts:
            return
        keyed = wanted_by_node(nodes, root_of)
        batches = [part for batch in file_batches(keyed) for part in _by_paths(batch)]

        async def fetch(batch: Batch) -> Files:
            paths = sorted({item.path for _, wanted in batch for item in wanted})
            result = await self.client.graphql(
                self.graphql_url,
                queries.PROJECT_FILES,
                {"ids": [key for key, _ in batch], "paths": paths, "first": len(batch)},
                shrinkable=len(batch) > 1,
            )
            found: Files = {}
            for project in connection_nodes(dotted(result.data, "projects")):
                if not isinstance(project, dict) or not isinstance(project.get("id"), str):
                    continue
                found[project["id"]] = {
                    blob["path"]: [blob.get("rawTextBlob"), blob.get("size")]
                    for blob in connection_nodes(dotted(project, "repository.blobs"))
                    if isinstance(blob, dict) and isinstance(blob.get("path"), str)
                }
            return found

        files = await fetch_batches(self, scope, batches, fetch)
        for node in nodes:
            if node.get("id") in files:
                node["_facts_files"] = files[node["id"]]

    async def _query(
        self, scope: str, query: str, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Run one batched query, halving the batch on complexity errors and timeouts.

        ``variables["first"]`` is set from the current batch. Returns the data (errors pointing
        at single projects are left for `_fill_missing_blobs`), or None after reporting.
        """
        result = await self.adaptive_graphql(
            scope, lambda batch: (self._asked(query), {**variables, "first": batch})
        )
        if result is None:
            return None
        data = result.data
        data["_errors"] = result.errors
        return data

    async def _graphql_listing(
        self, scope: str, checkpoint: dict[str, Any] | None
    ) -> AsyncIterator[Page]:
        after = (checkpoint or {}).get("after")
        group = scope.removeprefix("group:") if scope.startswith("group:") else None
        while True:
            if group is None:
                data = await self._query(scope, queries.INSTANCE_PROJECTS, {"after": after})
            else:
                data = await self._query(
                    scope, queries.GROUP_PROJECTS, {"fullPath": group, "after": after}
                )
            if data is None:
                return
            if group is None:
                connection = data.get("projects")
            else:
                owner = data.get("group")
                if owner is None:
                    self.report(
                        scope,
                        f"group {group!r} not found on {self.registration.url}; check the registration (`codereuse forges show`)",
                    )
                    return
                connection = owner.get("projects")
            if not isinstance(connection, dict):
                self.report(scope, f"no projects in the answer for {scope}")
                return
            nodes = await self._fill_missing_blobs(
                scope, connection.get("nodes") or [], data["_errors"]
            )
            await self._attach_facts(scope, nodes)
            info = connection.get("pageInfo") or {}
            cursor = info.get("endCursor")
            yield Page(
                scope=scope,
                items=nodes,
                checkpoint={"after": cursor},
                listed_ids=[queries.numeric_id(node["id"]) for node in nodes],
            )
            if not info.get("hasNextPage") or not cursor:
                return
            after = cursor

    async def _fill_missing_blobs(
        self, scope: str, nodes: list[Any], errors: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Fetch through REST the blobs of projects a GraphQL error pointed at."""
        broken: set[int] = set()
        for error in errors:
            path = error.get("path") or []
            indexes = [part for part in path if isinstance(part, int)]
            if indexes:
                broken.add(indexes[0])
            else:
                self.report(scope, f"GraphQL error: {error.get('message')}")
        kept = [node for node in nodes if isinstance(node, dict)]

        async def refill(node: dict[str, Any]) -> None:
            ref = (node.get("repository") or {}).get("rootRef")
            files = await raw_files(self.client, self.rest_url, queries.numeric_id(node["id"]), ref)
            put_files(node, files)

        targets = [
            node for index, node in enumerate(nodes) if index in broken and isinstance(node, dict)
        ]
        try:
            await asyncio.gather(*(refill(node) for node in targets))
        except (TransientForgeError, ForgeResponseError) as error:
            self.report(scope, error)
        return kept

    async def _incremental(self, scope: str, plan: Plan) -> AsyncIterator[Page]:
        pending = await self._changed_ids(scope, plan)
        while pending:
            chunk = pending[: self.batch]
            ids = [queries.global_id(item) for item in chunk]
            data = await self._query(scope, queries.PROJECTS_BY_ID, {"ids": ids})
            if data is None:
                return
            if self.batch < len(chunk):
                continue  # the batch shrank while asking: ask again with fewer ids
            connection = data.get("projects") or {}
            nodes = await self._fill_missing_blobs(
                scope, connection.get("nodes") or [], data["_errors"]
            )
            await self._attach_facts(scope, nodes)
            pending = pending[len(chunk) :]
            yield Page(scope=scope, items=nodes, checkpoint={}, listed_ids=[])

    async def _changed_ids(self, scope: str, plan: Plan) -> list[str]:
        """Project ids whose activity moved since `plan.since`, from one REST listing."""
        since = plan.since
        params: dict[str, Any] = {"per_page": 100, "simple": "true"}
        if scope == "instance":
            url = f"{self.rest_url}/projects"
            params.update(pagination="keyset", order_by="id", sort="asc")
            if since is not None:
                params["last_activity_after"] = since.isoformat()
        else:
            url = group_projects_url(self.rest_url, scope.removeprefix("group:"))
            params.update(include_subgroups="true", order_by="last_activity_at", sort="desc")
        changed: list[str] = []
        try:
            async for page in listing(self.client, url, params, on_skip=self.skipped_page(scope)):
                for item in page.items:
                    moved = parse_time(item.get("last_activity_at"))
                    if scope != "instance" and since and moved and moved < since:
                        return changed
                    known = plan.fingerprints.get(str(item.get("id")))
                    if known is None or known.last_activity != moved:
                        changed.append(str(item["id"]))
        except ForgeResponseError as error:
            self.report(scope, error)
        return changed

    async def _pages_by_path(self, scope: str) -> AsyncIterator[Page]:
        paths = list(self.registration.repos)
        while paths:
            chunk = paths[: self.batch]
            variables = {f"p{i}": path for i, path in enumerate(chunk)}
            try:
                result = await self.client.graphql(
                    self.graphql_url, self._asked(queries.projects_by_path(len(chunk))), variables
                )
            except (GraphQLQueryError, TransientForgeError) as error:
                if isinstance(error, GraphQLQueryError) and self.refused_optional_field(
                    error.messages
                ):
                    continue  # asked again without the field this GitLab does not have
                self.report(scope, error)
                return
            nodes = []
            for i, path in enumerate(chunk):
                node = result.data.get(f"p{i}")
                if node is None:
                    self.report(scope, f"project {path!r} not found on {self.registration.url}")
                else:
                    nodes.append(node)
            paths = paths[len(chunk) :]
            await self._attach_facts(scope, nodes)
            yield Page(
                scope=scope,
                items=nodes,
                checkpoint={},
                listed_ids=[queries.numeric_id(n["id"]) for n in nodes],
            )

    async def _rest_pages(
        self, scope: str, plan: Plan, checkpoint: dict[str, Any] | None
    ) -> AsyncIterator[Page]:
        if scope == "repos":
            self.report(scope, "single projects need the GraphQL API; register their group instead")
            return
        start = rest.listing_start(self, scope, plan)
        attach = functools.partial(rest.attach_files, self)
        resume = (checkpoint or {}).get("next")
        async for page in rest_pages(self, scope, plan, start, attach, resume=resume):
            yield page

    # ---- snapshots (pure) ---------------------------------------------------------------

    def snapshots_from_page(self, page: Page) -> list[RepositorySnapshot]:
        snapshots = []
        for item in page.items:
            snapshot = (
                snapshot_from_graphql(item, self.registration.name, self.clock())
                if "fullPath" in item
                else snapshot_from_rest(item, self.registration.name, self.clock())
            )
            if not self.excluded(snapshot.payload.get("full_path")):
                snapshots.append(snapshot)
        return snapshots


def _by_paths(batch: Batch) -> list[Batch]:
    """`batch` split so that no part asks for more than `queries.PATHS_PER_REQUEST` paths."""
    parts: list[Batch] = []
    current: Batch = []
    paths: set[str] = set()
    for key, wanted in batch:
        mine = {item.path for item in wanted}
        if current and len(paths | mine) > queries.PATHS_PER_REQUEST:
            parts.append(current)
            current, paths = [], set()
        current.append((key, wanted))
        paths |= mine
    if current:
        parts.append(current)
    return parts
