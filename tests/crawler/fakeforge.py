"""Deterministic fake GitLab and GitHub forges, answering at the HTTP transport.

Written from the forges' documented response shapes (GitLab REST ``/projects`` with keyset and
offset pagination, ``Link``/``X-Next-Page`` headers and no ``X-Total`` above 10,000 rows;
GitLab GraphQL ``projects``/``group.projects`` with ``repository.blobs``; GitHub GraphQL
``repositoryOwner.repositories``/``nodes``/``rateLimit``; GitHub REST ``/orgs/:org/repos`` and
contents). Each fake is a plain ``handle(httpx.Request) -> httpx.Response`` function, usable by
``httpx.MockTransport``, respx side effects and the threaded server of the SIGKILL test; the
benchmark uses them too. `fail` lets a test inject answers (429, 500, timeouts) before the fake.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import httpx

from tests.crawler import fakefacts

BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
Failer = Callable[[httpx.Request], httpx.Response | None]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def publiccode_text(name: str, version: int = 1) -> str:
    """A small publiccode.yml for repository `name`."""
    return (
        'publiccodeYmlVersion: "0.4"\n'
        f"name: {name}\n"
        "url: {url}\n"
        f"softwareVersion: 1.{version}.0\n"
        "platforms: [web]\n"
        "developmentStatus: stable\n"
        "softwareType: standalone/web\n"
    )


@dataclass
class FakeRepo:
    """One repository of a fake forge."""

    id: int
    owner: str
    name: str
    activity: datetime
    publiccode: str | None = None
    publiccode_name: str = "publiccode.yml"
    visibility: str = "public"
    blob_size: int | None = None
    """The file's size in the repository when the forge sends less of it (too large, truncated)."""
    files: dict[str, str] = field(default_factory=dict)
    """Root files besides publiccode.yml (README, LICENSE, manifests): name → text."""
    dirs: list[str] = field(default_factory=list)
    """Root folders."""
    releases: list[tuple[str, datetime]] = field(default_factory=list)
    """(tag, published) newest first."""
    commits_last_year: int = 0
    open_issues: int = 0
    empty: bool = False
    archived: bool = False
    fork_of: str | None = None
    """The URL of the repository this one is a fork of (GitHub and GitLab fakes)."""

    @property
    def path(self) -> str:
        return f"{self.owner}/{self.name}"

    def content(self, host: str) -> str | None:
        """The publiccode.yml as served from `host` (its `url` names this repository)."""
        if self.publiccode is None:
            return None
        return self.publiccode.replace("{url}", f"https://{host}/{self.path}")

    def blob(self, host: str) -> str | None:
        """The git blob id of `content(host)`."""
        text = self.content(host)
        return hashlib.sha1(text.encode()).hexdigest() if text is not None else None


def is_person(owner: str) -> bool:
    """Owners named ``user…`` are user namespaces in every fake; the others organisations."""
    return owner.split("/", 1)[0].startswith("user")


def organisation_name(owner: str) -> str:
    """The display name every fake forge gives organisation `owner`."""
    return f"Organisation {owner.replace('/', ' ')}"


def make_repos(
    count: int, owners: int, *, with_publiccode: float = 0.3, facts: bool = True
) -> list[FakeRepo]:
    """`count` repositories spread over `owners` owners; every 10th block of 3 has a file;
    with `facts`, READMEs, LICENSEs, manifests and releases (`fakefacts.give_facts`)."""
    repos = []
    for i in range(1, count + 1):
        owner = f"org{(i - 1) % owners}"
        has_file = (i % 10) < round(with_publiccode * 10)
        repos.append(
            FakeRepo(
                id=i,
                owner=owner,
                name=f"project-{i}",
                activity=BASE_TIME + timedelta(hours=i),
                publiccode=publiccode_text(f"project-{i}") if has_file else None,
                publiccode_name="publiccode.yaml" if has_file and i % 7 == 0 else "publiccode.yml",
            )
        )
        if facts:
            fakefacts.give_facts(repos[-1])
    return repos


@dataclass
class FakeForge:
    """State shared by both fakes: repositories, request counts, injected failures."""

    host: str
    repos: list[FakeRepo]
    fail: Failer | None = None
    counts: Counter[str] = field(default_factory=Counter)
    paths: Counter[str] = field(default_factory=Counter)
    """Requests per URL path (the method counts stay in `counts`, whose sum is `total`)."""
    clock: datetime = BASE_TIME + timedelta(days=3 * 365)

    def by_id(self) -> dict[int, FakeRepo]:
        return {repo.id: repo for repo in self.repos}

    def touch(self, ids: list[int], *, change_file: bool = True) -> None:
        """New activity on these repositories (and a new publiccode version where they have one)."""
        self.clock += timedelta(hours=2)
        table = self.by_id()
        for number in ids:
            repo = table[number]
            repo.activity = self.clock
            if change_file and repo.publiccode is not None:
                repo.publiccode = publiccode_text(repo.name, version=2)

    def delete(self, number: int) -> None:
        self.repos = [repo for repo in self.repos if repo.id != number]

    def rename(self, number: int, new_name: str) -> None:
        self.by_id()[number].name = new_name

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.counts[request.method] += 1
        self.paths[request.url.path] += 1
        if self.fail is not None:
            injected = self.fail(request)
            if injected is not None:
                return injected
        return self.handle(request)

    def handle(self, request: httpx.Request) -> httpx.Response:  # pragma: no cover - abstract
        raise NotImplementedError


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=data, headers=headers or {})


class FakeGitLab(FakeForge):
    """A GitLab instance at ``https://<host>`` (REST ``/api/v4``, GraphQL ``/api/graphql``).

    ``Project.forkedFrom`` answers a fork's parent (`FakeRepo.fork_of`); with
    ``fork_parent=False`` the fake is a GitLab older than that field and refuses it.
    """

    fork_parent: bool = True
    _fork_asked: bool = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/graphql":
            return self._graphql(json.loads(request.content))
        if path == "/api/v4/projects":
            return self._rest_projects(request.url, self.repos)
        match = re.fullmatch(
            r"/api/v4/groups/([^/]+)/projects", request.url.raw_path.decode().split("?")[0]
        )
        if match:
            group = unquote(match.group(1))
            members = [r for r in self.repos if r.owner == group or r.owner.startswith(group + "/")]
            return self._rest_projects(request.url, members)
        match = re.fullmatch(r"/api/v4/projects/(\d+)/repository/files/([^/]+)/raw", path)
        if match:
            repo = self.by_id().get(int(match.group(1)))
            name = match.group(2)
            if repo is None or repo.publiccode is None or repo.publiccode_name != name:
                return _json({"message": "404 File Not Found"}, 404)
            return httpx.Response(
                200,
                text=repo.content(self.host) or "",
                headers={"X-Gitlab-Blob-Id": repo.blob(self.host) or ""},
            )
        return _json({"message": "404 Not Found"}, 404)

    def rest_item(self, repo: FakeRepo) -> dict[str, Any]:
        """A REST project object (the "simple" field set plus what a full one adds): a fork's
        carries ``forked_from_project`` (a basic project object of its parent), as GitLab's
        project entity does for a parent the caller may read."""
        item = self._rest_fields(repo)
        if repo.fork_of:
            parent_path = repo.fork_of.split("://", 1)[-1].split("/", 1)[-1]
            item["forked_from_project"] = {
                "id": 10_000 + repo.id,
                "name": parent_path.rsplit("/", 1)[-1],
                "path_with_namespace": parent_path,
                "web_url": repo.fork_of,
            }
        return item

    def _rest_fields(self, repo: FakeRepo) -> dict[str, Any]:
        return {
            "id": repo.id,
            "name": repo.name,
            "path": repo.name,
            "path_with_namespace": repo.path,
            "description": f"Description of {repo.name}",
            "default_branch": "main",
            "web_url": f"https://{self.host}/{repo.path}",
            "http_url_to_repo": f"https://{self.host}/{repo.path}.git",
            "created_at": _iso(BASE_TIME),
            "last_activity_at": repo.activity.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "star_count": repo.id % 5,
            "forks_count": 0,
            "topics": ["egov"],
            "archived": False,
            "visibility": "public",
            "namespace": {
                "id": 7,
                "name": repo.owner if is_person(repo.owner) else organisation_name(repo.owner),
                "path": repo.owner.rsplit("/", 1)[-1],
                "kind": "user" if is_person(repo.owner) else "group",
                "full_path": repo.owner,
                "parent_id": None,
                "avatar_url": f"https://{self.host}/uploads/{repo.owner}.png",
                "web_url": f"https://{self.host}/{repo.owner}",
            },
        }

    def _rest_projects(self, url: httpx.URL, members: list[FakeRepo]) -> httpx.Response:
        params = url.params
        per_page = min(100, int(params.get("per_page", "20")))
        chosen = sorted(members, key=lambda r: r.id)
        if "last_activity_after" in params:
            since = datetime.fromisoformat(params["last_activity_after"])
            chosen = [r for r in chosen if r.activity > since]
        if params.get("order_by") == "last_activity_at":
            chosen.sort(key=lambda r: r.activity, reverse=params.get("sort") != "asc")
        headers: dict[str, str] = {}
        if params.get("pagination") == "keyset":
            after = int(params.get("id_after", "0"))
            page_items = [r for r in chosen if r.id > after][:per_page]
            if page_items and page_items[-1].id != chosen[-1].id:
                following = url.copy_set_param("id_after", str(page_items[-1].id))
                headers["Link"] = f'<{following}>; rel="next"'
        else:
            page = int(params.get("page", "1"))
            page_items = chosen[(page - 1) * per_page : page * per_page]
            more = page * per_page < len(chosen)
            headers["X-Next-Page"] = str(page + 1) if more else ""
            headers["X-Page"] = str(page)
            if len(chosen) <= 10_000:  # GitLab omits the totals above 10,000 rows
                headers["X-Total"] = str(len(chosen))
                headers["X-Total-Pages"] = str(max(1, -(-len(chosen) // per_page)))
        return _json([self.rest_item(r) for r in page_items], headers=headers)

    def node(self, repo: FakeRepo, facts: bool = False) -> dict[str, Any]:
        """A GraphQL ``Project`` node with the fields the crawler asks for (`facts`: with the
        repository facts)."""
        blobs = []
        if repo.publiccode is not None:
            text = repo.content(self.host) or ""
            blobs.append(
                {
                    "path": repo.publiccode_name,
                    "oid": repo.blob(self.host),
                    "rawBlob": text,
                    "rawSize": str(repo.blob_size or len(text.encode())),  # BigInt: a string
                }
            )
        node: dict[str, Any] = {
            "id": f"gid://gitlab/Project/{repo.id}",
            "fullPath": repo.path,
            "name": repo.name,
            "description": f"Description of {repo.name}",
            "webUrl": f"https://{self.host}/{repo.path}",
            "lastActivityAt": _iso(repo.activity),
            "createdAt": _iso(BASE_TIME),
            "archived": repo.archived,
            "visibility": repo.visibility,
            "starCount": repo.id % 5,
            "forksCount": 0,
            "topics": ["egov"],
            "languages": [{"name": "Python", "share": 80.0}, {"name": "HTML", "share": 20.0}],
            "repository": {"rootRef": "main", "blobs": {"nodes": blobs}},
            "namespace": {"fullPath": repo.owner, "name": repo.owner.rsplit("/", 1)[-1]},
            "forkedFrom": {"webUrl": repo.fork_of} if repo.fork_of else None,
            "group": None
            if is_person(repo.owner)
            else {
                "fullPath": repo.owner,
                "name": organisation_name(repo.owner),
                "description": f"Public body {repo.owner}",
                "avatarUrl": f"https://{self.host}/uploads/{repo.owner}.png",
                "webUrl": f"https://{self.host}/groups/{repo.owner}",
                "parent": {"fullPath": repo.owner.rsplit("/", 1)[0]} if "/" in repo.owner else None,
            },
        }
        if not (self.fork_parent and self._fork_asked):
            del node["forkedFrom"]  # not asked, or a GitLab older than the field
        if facts:
            node.update(fakefacts.gitlab_project(repo, self.host))
            node["repository"].update(fakefacts.gitlab_repository(repo, self.host))
        return node

    def _connection(
        self, members: list[FakeRepo], first: int, after: str | None, facts: bool = False
    ) -> dict[str, Any]:
        ordered = sorted(members, key=lambda r: r.id)
        start = int(after) if after else 0
        chosen = [r for r in ordered if r.id > start][:first]
        more = bool(chosen) and chosen[-1].id != ordered[-1].id
        return {
            "pageInfo": {"hasNextPage": more, "endCursor": str(chosen[-1].id) if chosen else after},
            "nodes": [self.node(r, facts) for r in chosen],
        }

    def _graphql(self, body: dict[str, Any]) -> httpx.Response:
        query, variables = body["query"], body.get("variables") or {}
        first = int(variables.get("first", 100))
        if first > 100:
            return _json({"errors": [{"message": "first must be at most 100"}]})
        if "forkedFrom" in query and not self.fork_parent:
            message = "Field 'forkedFrom' doesn't exist on type 'Project'"
            return _json({"errors": [{"message": message, "locations": [{"line": 9}]}]})
        self._fork_asked = "forkedFrom" in query
        facts = "tree {" in query
        if "query ProjectFiles" in query:
            return _json({"data": fakefacts.gitlab_files(self.by_id(), self.host, variables)})
        if "query InstanceProjects" in query:
            connection = self._connection(self.repos, first, variables.get("after"), facts)
            return _json({"data": {"projects": connection}})
        if "query GroupProjects" in query:
            group = variables["fullPath"]
            members = [r for r in self.repos if r.owner == group or r.owner.startswith(group + "/")]
            if not members:
                return _json({"data": {"group": None}})
            return _json(
                {
                    "data": {
                        "group": {
                            "projects": self._connection(
                                members, first, variables.get("after"), facts
                            )
                        }
                    }
                }
            )
        if "query ProjectsById" in query:
            table = self.by_id()
            wanted = [
                table[int(gid.rsplit("/", 1)[-1])]
                for gid in variables["ids"]
                if int(gid.rsplit("/", 1)[-1]) in table
            ]
            found = [self.node(r, facts) for r in wanted[:first]]
            return _json({"data": {"projects": {"nodes": found}}})
        if "query ProjectsByPath" in query:
            by_path = {r.path: r for r in self.repos}
            data = {
                key: (self.node(by_path[value], facts) if value in by_path else None)
                for key, value in variables.items()
            }
            return _json({"data": data})
        return _json({"errors": [{"message": "unknown query"}]})


class FakeGitHub(FakeForge):
    """github.com-like: REST at ``https://api.<host>``, GraphQL at ``https://api.<host>/graphql``."""

    remaining: int = 5000

    def owners(self) -> list[str]:
        return sorted(
            {r.owner for r in self.repos}, key=lambda o: int(o[3:]) if o[3:].isdigit() else 0
        )

    def node(self, repo: FakeRepo, facts: bool = False) -> dict[str, Any]:
        """A GraphQL ``Repository`` node with the fields the crawler asks for (`facts`: with
        the repository facts)."""

        def blob(name: str) -> dict[str, Any] | None:
            if repo.publiccode is None or repo.publiccode_name != name:
                return None
            text = repo.content(self.host) or ""
            size = repo.blob_size or len(text.encode())
            return {
                "oid": repo.blob(self.host),
                "text": None if size > 512 * 1024 else text,  # GitHub omits large texts
                "byteSize": size,
                "isTruncated": size > len(text.encode()),
            }

        node: dict[str, Any] = {
            "id": f"R_{repo.id}",
            "databaseId": repo.id,
            "name": repo.name,
            "nameWithOwner": repo.path,
            "url": f"https://{self.host}/{repo.path}",
            "description": f"Description of {repo.name}",
            "homepageUrl": None,
            "pushedAt": _iso(repo.activity),
            "createdAt": _iso(BASE_TIME),
            "isArchived": repo.archived,
            "isFork": repo.fork_of is not None,
            "isPrivate": False,
            "parent": {"url": repo.fork_of} if repo.fork_of else None,
            "stargazerCount": repo.id % 5,
            "forkCount": 0,
            "licenseInfo": {"spdxId": "EUPL-1.2"},
            "primaryLanguage": {"name": "Go"},
            "defaultBranchRef": None if repo.empty else {"name": "main"},
            "repositoryTopics": {"nodes": [{"topic": {"name": "egov"}}]},
            "owner": self.owner_node(repo.owner),
            "yml": blob("publiccode.yml"),
            "yaml": blob("publiccode.yaml"),
        }
        if facts:
            node.update(fakefacts.github_repository(repo, self.host))
        return node

    def owner_node(self, owner: str) -> dict[str, Any]:
        """``Repository.owner``: an ``Organization`` with its profile, or a ``User``."""
        if is_person(owner):
            return {"__typename": "User", "login": owner, "url": f"https://{self.host}/{owner}"}
        return {
            "__typename": "Organization",
            "login": owner,
            "url": f"https://{self.host}/{owner}",
            "avatarUrl": f"https://avatars.{self.host}/{owner}",
            "name": organisation_name(owner),
            "description": f"Public body {owner}",
            "location": "Musterstadt",
            "email": f"opensource@{owner}.example",
            "websiteUrl": f"https://{owner}.example",
        }

    def rest_item(self, repo: FakeRepo) -> dict[str, Any]:
        """A REST repository object (``GET /orgs/:org/repos`` item)."""
        return {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "owner": {
                "login": repo.owner,
                "type": "User" if is_person(repo.owner) else "Organization",
                "avatar_url": f"https://avatars.{self.host}/{repo.owner}",
                "html_url": f"https://{self.host}/{repo.owner}",
            },
            "name": repo.name,
            "full_name": repo.path,
            "private": False,
            "html_url": f"https://{self.host}/{repo.path}",
            "description": f"Description of {repo.name}",
            "fork": False,
            "created_at": _iso(BASE_TIME),
            "pushed_at": _iso(repo.activity),
            "homepage": None,
            "stargazers_count": repo.id % 5,
            "language": "Go",
            "forks_count": 0,
            "archived": False,
            "license": {"spdx_id": "EUPL-1.2"},
            "topics": ["egov"],
            "visibility": "public",
            "default_branch": "main",
        }

    def handle(self, request: httpx.Request) -> httpx.Response:
        # An Enterprise Server (``URL/api/v3``, ``URL/api/graphql``) answers like api.github.com.
        path = request.url.path.removeprefix("/api/v3").replace("/api/graphql", "/graphql")
        if path == "/graphql":
            return self._graphql(json.loads(request.content))
        match = re.fullmatch(r"/(orgs|users)/([^/]+)/repos", path)
        if match:
            return self._rest_listing(request.url, match.group(2))
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)/contents/([^/]+)", path)
        if match:
            repo = next(
                (r for r in self.repos if r.path == f"{match.group(1)}/{match.group(2)}"), None
            )
            if repo is None or repo.publiccode is None or repo.publiccode_name != match.group(3):
                return _json({"message": "Not Found"}, 404)
            etag = f'"{repo.blob(self.host)}"'
            if request.headers.get("if-none-match") == etag:
                return httpx.Response(304, headers={"ETag": etag})
            text = (repo.content(self.host) or "").encode()
            size = repo.blob_size or len(text)
            large = size > 1024 * 1024  # GitHub sends no content over 1 MB
            return _json(
                {
                    "name": match.group(3),
                    "sha": repo.blob(self.host),
                    "size": size,
                    "content": "" if large else base64.b64encode(text).decode(),
                    "encoding": "none" if large else "base64",
                },
                headers={"ETag": etag},
            )
        if path == "/organizations":
            return _json([{"login": owner, "id": i} for i, owner in enumerate(self.owners())])
        return _json({"message": "Not Found"}, 404)

    def _rest_listing(self, url: httpx.URL, owner: str) -> httpx.Response:
        members = [r for r in self.repos if r.owner == owner]
        if not members:
            return _json({"message": "Not Found"}, 404)
        if url.params.get("sort") == "pushed":
            members.sort(key=lambda r: r.activity, reverse=True)
        else:
            members.sort(key=lambda r: r.id)
        per_page = min(100, int(url.params.get("per_page", "30")))
        page = int(url.params.get("page", "1"))
        chosen = members[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(members):
            headers["Link"] = f'<{url.copy_set_param("page", str(page + 1))}>; rel="next"'
        return _json([self.rest_item(r) for r in chosen], headers=headers)

    def _graphql(self, body: dict[str, Any]) -> httpx.Response:
        query, variables = body["query"], body.get("variables") or {}
        self.remaining -= 1
        data: dict[str, Any] = {
            "rateLimit": {
                "cost": 1,
                "remaining": self.remaining,
                "resetAt": _iso(BASE_TIME + timedelta(hours=1)),
            }
        }
        facts = "isEmpty" in query
        if "query RepositoryFiles" in query:
            data.update(fakefacts.github_files(self.repos, self.host, variables))
            return _json({"data": data})
        if "query OwnerRepositories" in query or "query OwnerActivity" in query:
            activity = "query OwnerActivity" in query
            for key, login in variables.items():
                if not re.fullmatch(r"o\d+", key):
                    continue
                index = key[1:]
                members = [r for r in self.repos if r.owner == login]
                if not members:
                    data[key] = None
                    continue
                if activity:
                    members.sort(key=lambda r: r.activity, reverse=True)
                else:
                    members.sort(key=lambda r: r.id)
                first = int(variables[f"f{index}"])
                if first > 100:
                    return _json({"errors": [{"message": "first exceeds 100"}]})
                start = int(variables.get(f"a{index}") or 0)
                chosen = members[start : start + first]
                nodes = (
                    [
                        {"id": f"R_{r.id}", "databaseId": r.id, "pushedAt": _iso(r.activity)}
                        for r in chosen
                    ]
                    if activity
                    else [self.node(r, facts) for r in chosen]
                )
                data[key] = {
                    "repositories": {
                        "totalCount": len(members),
                        "pageInfo": {
                            "hasNextPage": start + first < len(members),
                            "endCursor": str(start + len(chosen)),
                        },
                        "nodes": nodes,
                    }
                }
            return _json({"data": data})
        if "query RepositoriesById" in query:
            table = {f"R_{r.id}": r for r in self.repos}
            if len(variables["ids"]) > 100:
                return _json(
                    {"errors": [{"message": "You may not provide more than 100 node ids"}]}
                )
            data["nodes"] = [
                self.node(table[i], facts) if i in table else None for i in variables["ids"]
            ]
            return _json({"data": data})
        if "query RepositoriesByName" in query:
            by_path = {r.path: r for r in self.repos}
            for key in [k for k in variables if k.endswith("o")]:
                alias = key[:-1]
                wanted = f"{variables[key]}/{variables[alias + 'n']}"
                data[alias] = self.node(by_path[wanted], facts) if wanted in by_path else None
            return _json({"data": data})
        return _json({"errors": [{"message": "unknown query"}]})


ORGANISATION_PROFILE = ("full_name", "email", "description", "website", "location")
"""Fields of an organisation's profile its repositories' ``owner`` object repeats."""


class FakeGitea(FakeForge):
    """A Gitea (or, with ``forgejo=True``, a Forgejo) at ``https://<host>``, REST ``/api/v1``.

    Written from the documented shapes (and the recorded bodies in
    ``../shared/reference/recorded-api/``): ``/repos/search`` answers an envelope
    ``{"ok": true, "data": [...]}``, owner listings a bare list; ``limit`` is clamped to 50
    (``MAX_RESPONSE_ITEMS``); pages follow ``Link: rel="next"`` with ``X-Total-Count``; the
    contents API lists a directory as a list of entries and a file as an object with base64
    ``content`` and its blob ``sha``.
    """

    forgejo: bool = False

    def repo_item(self, repo: FakeRepo) -> dict[str, Any]:
        """A repository object (the field set of Gitea 1.22 / Forgejo 9)."""
        return {
            "id": repo.id,
            "owner": self.user_object(repo.owner),
            "name": repo.name,
            "full_name": repo.path,
            "description": f"Description of {repo.name}",
            "empty": repo.empty,
            "private": False,
            "internal": False,
            "fork": False,
            "parent": None,
            "mirror": False,
            "size": 120,
            "language": "Go",
            "html_url": f"https://{self.host}/{repo.path}",
            "clone_url": f"https://{self.host}/{repo.path}.git",
            "website": "",
            "stars_count": repo.id % 5,
            "forks_count": 0,
            "watchers_count": 1,
            "open_issues_count": repo.open_issues,
            "release_counter": len(repo.releases),
            "default_branch": "main",
            "archived": repo.archived,
            "created_at": _iso(BASE_TIME),
            "updated_at": _iso(repo.activity),
            "topics": ["egov"],
        }

    def user_object(self, owner: str) -> dict[str, Any]:
        """Gitea's user object, which an organisation's repositories carry as ``owner`` too,
        filled as ``convert.ToUser`` fills it for an anonymous reader: an organisation's
        profile (its contact e-mail where it set one, else empty), a person's name, bio and
        the ``login@noreply.host`` placeholder for their address (kept private)."""
        digits = "".join(ch for ch in owner if ch.isdigit())
        common = {
            "id": 1000 + int(digits or 0),
            "login": owner,
            "username": owner,
            "avatar_url": f"https://{self.host}/avatars/{owner}",
            "html_url": f"https://{self.host}/{owner}",
            "visibility": "public",
            "followers_count": 0,
            "following_count": 0,
            "starred_repos_count": 0,
        }
        if is_person(owner):
            return {
                **common,
                "full_name": "Anna Jones",
                "email": f"{owner.lower()}@noreply.{self.host}",
                "website": f"https://{owner}.example",
                "location": "Anywhere",
                "description": "I write code",
            }
        profile = self.organisation_object(owner)
        return {**common, **{key: profile[key] for key in ORGANISATION_PROFILE}}

    def organisation_object(self, owner: str) -> dict[str, Any]:
        """``GET /orgs/{org}`` (and each item of ``GET /orgs``); odd-numbered organisations
        set a contact e-mail, the others none."""
        digits = "".join(ch for ch in owner if ch.isdigit())
        return {
            "id": 1000 + int(digits or 0),
            "name": owner,
            "username": owner,
            "full_name": organisation_name(owner),
            "email": f"opensource@{owner}.example" if int(digits or 0) % 2 else "",
            "avatar_url": f"https://{self.host}/avatars/{owner}",
            "description": f"Public body {owner}",
            "website": f"https://{owner}.example",
            "location": "Musterstadt",
            "visibility": "public",
        }

    def organisations(self) -> list[str]:
        return sorted({r.owner for r in self.repos if not is_person(r.owner)})

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = unquote(request.url.path)
        if path == "/api/v1/orgs":
            limit = min(50, int(request.url.params.get("limit", "30")))
            page = int(request.url.params.get("page", "1"))
            names = self.organisations()
            headers = {"X-Total-Count": str(len(names))}
            if page * limit < len(names):
                following = request.url.copy_set_param("page", str(page + 1))
                headers["Link"] = f'<{following}>; rel="next"'
            chosen = names[(page - 1) * limit : page * limit]
            return _json([self.organisation_object(n) for n in chosen], headers=headers)
        match = re.fullmatch(r"/api/v1/orgs/([^/]+)", path)
        if match:
            if match.group(1) not in self.organisations():
                return _json({"message": "GetOrgByName"}, 404)
            return _json(self.organisation_object(match.group(1)))
        if path == "/api/v1/version":
            return _json({"version": "9.0.3+gitea-1.22.0" if self.forgejo else "1.22.3"})
        if path == "/api/forgejo/v1/version" and self.forgejo:
            return _json({"version": "9.0.3+gitea-1.22.0"})
        if path == "/api/v1/repos/search":
            return self._page(request.url, self.repos, envelope=True)
        match = re.fullmatch(r"/api/v1/(orgs|users)/([^/]+)/repos", path)
        if match:
            members = [r for r in self.repos if r.owner == match.group(2)]
            if not members or (match.group(1) == "orgs" and is_person(match.group(2))):
                return _json({"message": "GetOrgByName", "url": "…"}, 404)
            return self._page(request.url, members, envelope=False)
        match = re.fullmatch(r"/api/v1/users/([^/]+)", path)
        if match:
            if not any(r.owner == match.group(1) for r in self.repos):
                return _json({"message": "user does not exist"}, 404)
            return _json({"id": 1, "login": match.group(1)})
        match = re.fullmatch(r"/api/v1/repos/([^/]+)/([^/]+)/(releases|commits)", path)
        if match:
            repo = next(
                (r for r in self.repos if r.path == f"{match.group(1)}/{match.group(2)}"), None
            )
            if repo is None:
                return _json({"message": "The target couldn't be found."}, 404)
            if match.group(3) == "releases":
                items, headers = fakefacts.gitea_releases(repo)
            else:
                if repo.empty:
                    return _json({"message": "Git Repository is empty."}, 409)
                items, headers = fakefacts.gitea_commits(repo, request.url.params.get("since"))
            return _json(items, headers=headers)
        match = re.fullmatch(r"/api/v1/repos/([^/]+)/([^/]+)(/contents(?:/(.+))?)?", path)
        if match:
            repo = next(
                (r for r in self.repos if r.path == f"{match.group(1)}/{match.group(2)}"), None
            )
            if repo is None:
                return _json({"message": "The target couldn't be found."}, 404)
            if match.group(3) is None:
                return _json(self.repo_item(repo))
            return self._contents(repo, match.group(4))
        return _json({"message": "Not Found"}, 404)

    def _contents(self, repo: FakeRepo, name: str | None) -> httpx.Response:
        if name is None:
            return _json(fakefacts.gitea_entries(repo, self.host))
        if name.endswith("/workflows") and name.split("/", 1)[0] in repo.dirs:
            return _json([{"name": "ci.yml", "path": f"{name}/ci.yml", "type": "file"}])
        found = fakefacts.gitea_file(repo, self.host, name)
        if found is None:
            return _json({"message": "object does not exist"}, 404)
        return _json(found)

    def _page(self, url: httpx.URL, members: list[FakeRepo], *, envelope: bool) -> httpx.Response:
        if url.params.get("sort") == "updated":
            ordered = sorted(
                members, key=lambda r: r.activity, reverse=url.params.get("order") == "desc"
            )
        else:
            ordered = sorted(members, key=lambda r: r.id)
        limit = min(50, int(url.params.get("limit", "30")))
        page = int(url.params.get("page", "1"))
        chosen = ordered[(page - 1) * limit : page * limit]
        headers = {"X-Total-Count": str(len(ordered))}
        if page * limit < len(ordered):
            headers["Link"] = f'<{url.copy_set_param("page", str(page + 1))}>; rel="next"'
        items = [self.repo_item(r) for r in chosen]
        return _json({"ok": True, "data": items} if envelope else items, headers=headers)
