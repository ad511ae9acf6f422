"""Fake GitLab and GitHub write APIs at the HTTP transport of `requests` (the `responses` library).

Shaped like the documented answers (GitLab REST v4 projects, repository files and branches,
merge requests; GitHub REST repos, contents, git refs, pulls): python-gitlab and PyGithub talk
to them unchanged. Each fake keeps the repositories' state (branches, files, requests) and every
request it saw, and can refuse the token (401).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import responses
from requests import PreparedRequest

Answer = tuple[int, dict[str, str], str]
JSON = {"Content-Type": "application/json"}


@dataclass
class FakeRepository:
    """One repository as the fake forge holds it."""

    path: str
    id: int
    default_branch: str | None = "main"
    archived: bool = False
    fork: bool = False
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    """branch → path → content."""
    requests: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.default_branch and self.default_branch not in self.files:
            self.files[self.default_branch] = {"README.md": "# readme"}


@dataclass
class FakeWrites:
    """What both fakes share: repositories, the token they accept, the requests they saw."""

    host: str
    repositories: list[FakeRepository]
    token: str = "write-token"
    seen: list[tuple[str, str]] = field(default_factory=list)
    authorisations: list[str | None] = field(default_factory=list)

    def by_path(self, path: str) -> FakeRepository | None:
        return next((r for r in self.repositories if r.path.lower() == path.lower()), None)

    def by_id(self, number: int) -> FakeRepository | None:
        return next((r for r in self.repositories if r.id == number), None)

    def writes(self) -> list[tuple[str, str]]:
        """The POST/PUT requests seen (method, path)."""
        return [(method, path) for method, path in self.seen if method in ("POST", "PUT")]

    def _authorised(self, request: PreparedRequest) -> bool:
        header = request.headers.get("Authorization")
        self.authorisations.append(header)
        return header is not None and header.split(" ", 1)[-1] == self.token

    def handle(self, request: PreparedRequest) -> Answer:
        parts = urlsplit(request.url or "")
        self.seen.append((request.method or "GET", parts.path))
        if not self._authorised(request):
            return 401, JSON, json.dumps({"message": "401 Unauthorized"})
        body = json.loads(request.body) if request.body else {}
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        status, headers, text = self.route(request.method or "GET", parts.path, query, body)
        return status, headers, "" if request.method == "HEAD" else text

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        raise NotImplementedError

    def install(self, mock: responses.RequestsMock) -> None:
        pattern = re.compile(rf"https://{re.escape(self.host)}(:443)?/.*")
        for method in ("GET", "HEAD", "POST", "PUT"):
            mock.add_callback(method, pattern, callback=self.handle)


def _not_found() -> Answer:
    return 404, JSON, json.dumps({"message": "404 Not Found"})


def _json(value: Any, status: int = 200) -> Answer:
    return status, JSON, json.dumps(value)


class FakeGitLabWrites(FakeWrites):
    """GitLab REST v4 for python-gitlab: projects, files, branches, merge requests."""

    def _project_json(self, repo: FakeRepository) -> dict[str, Any]:
        return {
            "id": repo.id,
            "path_with_namespace": repo.path,
            "default_branch": repo.default_branch,
            "archived": repo.archived,
            "empty_repo": repo.default_branch is None,
            "forked_from_project": {"id": 99} if repo.fork else None,
            "web_url": f"https://{self.host}/{repo.path}",
        }

    def _mr_json(self, repo: FakeRepository, mr: dict[str, Any]) -> dict[str, Any]:
        return {
            "iid": mr["iid"],
            "project_id": repo.id,
            "state": mr["state"],
            "source_branch": mr["source_branch"],
            "target_branch": mr["target_branch"],
            "title": mr["title"],
            "description": mr["description"],
            "web_url": f"https://{self.host}/{repo.path}/-/merge_requests/{mr['iid']}",
        }

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        match = re.fullmatch(r"/api/v4/projects/([^/]+)(/.*)?", path)
        if not match:
            return _not_found()
        key = unquote(match.group(1))
        repo = self.by_id(int(key)) if key.isdigit() else self.by_path(key)
        if repo is None:
            return _not_found()
        rest = match.group(2) or ""
        if rest == "" and method == "GET":
            return _json(self._project_json(repo))
        file_match = re.fullmatch(r"/repository/files/(.+)", rest)
        if file_match:
            name = unquote(file_match.group(1))
            if method in ("GET", "HEAD"):
                branch = repo.files.get(query.get("ref", ""), {})
                return (200, JSON, "") if name in branch else _not_found()
            if method == "POST":
                branch = repo.files.get(body["branch"])
                if branch is None:
                    return _json({"message": "branch not found"}, 400)
                branch[name] = body["content"]
                return _json({"file_path": name, "branch": body["branch"]}, 201)
        if rest == "/repository/branches" and method == "POST":
            if body["branch"] in repo.files:
                return _json({"message": "Branch already exists"}, 400)
            repo.files[body["branch"]] = dict(repo.files[body["ref"]])
            return _json({"name": body["branch"]}, 201)
        if rest == "/merge_requests" and method == "GET":
            found = [
                self._mr_json(repo, mr)
                for mr in repo.requests
                if mr["source_branch"] == query.get("source_branch", mr["source_branch"])
            ]
            return _json(found)
        if rest == "/merge_requests" and method == "POST":
            mr = {**body, "iid": len(repo.requests) + 1, "state": "opened"}
            repo.requests.append(mr)
            return _json(self._mr_json(repo, mr), 201)
        mr_match = re.fullmatch(r"/merge_requests/(\d+)", rest)
        if mr_match and method == "GET":
            number = int(mr_match.group(1))
            for mr in repo.requests:
                if mr["iid"] == number:
                    return _json(self._mr_json(repo, mr))
        return _not_found()


class FakeGitHubWrites(FakeWrites):
    """GitHub REST for PyGithub: repos, contents, git refs, pulls."""

    api = "https://api.github.com"

    def _repo_json(self, repo: FakeRepository) -> dict[str, Any]:
        owner = repo.path.split("/", 1)[0]
        return {
            "id": repo.id,
            "name": repo.path.split("/", 1)[1],
            "full_name": repo.path,
            "owner": {"login": owner, "type": "Organization"},
            "url": f"{self.api}/repos/{repo.path}",
            "html_url": f"https://github.com/{repo.path}",
            "default_branch": repo.default_branch,
            "archived": repo.archived,
            "fork": repo.fork,
            "size": 0 if repo.default_branch is None else 120,
        }

    def _pull_json(self, repo: FakeRepository, pull: dict[str, Any]) -> dict[str, Any]:
        return {
            "number": pull["number"],
            "state": pull["state"],
            "merged": pull.get("merged", False),
            "title": pull["title"],
            "body": pull["body"],
            "head": {"ref": pull["head"]},
            "base": {"ref": pull["base"]},
            "url": f"{self.api}/repos/{repo.path}/pulls/{pull['number']}",
            "html_url": f"https://github.com/{repo.path}/pull/{pull['number']}",
        }

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", path)
        repo = self.by_path(match.group(1)) if match else None
        if match is None or repo is None:
            return _not_found()
        rest = match.group(2) or ""
        if rest == "" and method == "GET":
            return _json(self._repo_json(repo))
        content = re.fullmatch(r"/contents/(.+)", rest)
        if content:
            name = unquote(content.group(1))
            if method == "GET":
                branch = repo.files.get(query.get("ref", repo.default_branch or ""), {})
                if name not in branch:
                    return _not_found()
                return _json({"type": "file", "name": name, "path": name, "sha": "f" * 40})
            if method == "PUT":
                import base64

                repo.files[body["branch"]][name] = base64.b64decode(body["content"]).decode()
                return _json(
                    {"content": {"name": name, "path": name}, "commit": {"sha": "c" * 40}}, 201
                )
        ref = re.fullmatch(r"/git/ref/heads/(.+)", rest)
        if ref and method == "GET":
            if ref.group(1) not in repo.files:
                return _not_found()
            return _json(
                {"ref": f"refs/heads/{ref.group(1)}", "object": {"sha": "a" * 40, "type": "commit"}}
            )
        if rest == "/git/refs" and method == "POST":
            name = body["ref"].removeprefix("refs/heads/")
            if name in repo.files:
                return _json({"message": "Reference already exists"}, 422)
            repo.files[name] = dict(repo.files[repo.default_branch or "main"])
            return _json({"ref": body["ref"], "object": {"sha": body["sha"]}}, 201)
        if rest == "/pulls" and method == "GET":
            head = query.get("head", "")
            found = [
                self._pull_json(repo, pull)
                for pull in repo.requests
                if not head or head.split(":", 1)[-1] == pull["head"]
            ]
            return _json(found)
        if rest == "/pulls" and method == "POST":
            pull = {**body, "number": len(repo.requests) + 1, "state": "open"}
            repo.requests.append(pull)
            return _json(self._pull_json(repo, pull), 201)
        number = re.fullmatch(r"/pulls/(\d+)", rest)
        if number and method == "GET":
            for pull in repo.requests:
                if pull["number"] == int(number.group(1)):
                    return _json(self._pull_json(repo, pull))
        return _not_found()
