"""Fake GitLab, GitHub and Gitea issue APIs at the HTTP transport.

GitLab and GitHub at the transport of `requests` (the `responses` library, as the proposal
tests do), so python-gitlab and PyGithub talk to them unchanged; Gitea as an httpx transport.
Shaped like the documented answers: GitLab REST v4 projects/issues/notes, GitHub REST
repos/issues/comments, Gitea /api/v1 repos/issues/comments. Each keeps its issues and comments.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx
import responses

from tests.proposals.fakes import JSON, Answer, FakeRepository, FakeWrites


@dataclass
class FakeIssue:
    """One issue and its comments."""

    number: int
    title: str
    body: str
    open: bool = True
    comments: list[str] = field(default_factory=list)


def _json(value: Any, status: int = 200) -> Answer:
    return status, JSON, json.dumps(value)


def _missing() -> Answer:
    return 404, JSON, json.dumps({"message": "404 Not Found"})


class _IssueFake(FakeWrites):
    """Issues per repository path; PATCH and PUT allowed."""

    def __init__(self, host: str, repositories: list[FakeRepository], token: str = "write-token"):
        super().__init__(host, repositories, token)
        self.issues: dict[str, list[FakeIssue]] = {r.path: [] for r in repositories}

    def open_issues(self, path: str) -> list[FakeIssue]:
        return [issue for issue in self.issues[path] if issue.open]

    def install(self, mock: responses.RequestsMock) -> None:
        pattern = re.compile(rf"https://{re.escape(self.host)}(:443)?/.*")
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH"):
            mock.add_callback(method, pattern, callback=self.handle)

    def _find(self, path: str, number: int) -> FakeIssue | None:
        return next((i for i in self.issues[path] if i.number == number), None)

    def _new(self, path: str, title: str, body: str) -> FakeIssue:
        issue = FakeIssue(len(self.issues[path]) + 1, title, body)
        self.issues[path].append(issue)
        return issue


class FakeGitLabIssues(_IssueFake):
    """GitLab REST v4: projects, issues (create, get, edit, close), notes."""

    def _issue_json(self, repo: FakeRepository, issue: FakeIssue) -> dict[str, Any]:
        return {
            "id": 1000 + issue.number,
            "iid": issue.number,
            "project_id": repo.id,
            "title": issue.title,
            "description": issue.body,
            "state": "opened" if issue.open else "closed",
            "web_url": f"https://{self.host}/{repo.path}/-/issues/{issue.number}",
        }

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        match = re.fullmatch(r"/api/v4/projects/([^/]+)(/.*)?", path)
        key = unquote(match.group(1)) if match else ""
        repo = self.by_id(int(key)) if key.isdigit() else self.by_path(key)
        if match is None or repo is None:
            return _missing()
        rest = match.group(2) or ""
        if rest == "" and method == "GET":
            return _json(
                {
                    "id": repo.id,
                    "path_with_namespace": repo.path,
                    "archived": repo.archived,
                    "forked_from_project": {"id": 99} if repo.fork else None,
                }
            )
        if rest == "/issues" and method == "POST":
            issue = self._new(repo.path, body["title"], body["description"])
            return _json(self._issue_json(repo, issue), 201)
        found = re.fullmatch(r"/issues/(\d+)(/notes)?", rest)
        issue = self._find(repo.path, int(found.group(1))) if found else None
        if found is None or issue is None:
            return _missing()
        if found.group(2) and method == "POST":
            issue.comments.append(body["body"])
            return _json({"id": 7, "body": body["body"]}, 201)
        if method == "PUT":
            issue.title = body.get("title", issue.title)
            issue.body = body.get("description", issue.body)
            if body.get("state_event") == "close":
                issue.open = False
        return _json(self._issue_json(repo, issue))


class FakeGitHubIssues(_IssueFake):
    """GitHub REST: repos, issues (create, get, edit), comments."""

    api = "https://api.github.com"

    def _issue_json(self, repo: FakeRepository, issue: FakeIssue) -> dict[str, Any]:
        return {
            "id": 2000 + issue.number,
            "number": issue.number,
            "title": issue.title,
            "body": issue.body,
            "state": "open" if issue.open else "closed",
            "url": f"{self.api}/repos/{repo.path}/issues/{issue.number}",
            "html_url": f"https://github.com/{repo.path}/issues/{issue.number}",
        }

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", path)
        repo = self.by_path(match.group(1)) if match else None
        if match is None or repo is None:
            return _missing()
        rest = match.group(2) or ""
        if rest == "" and method == "GET":
            return _json(
                {
                    "id": repo.id,
                    "full_name": repo.path,
                    "url": f"{self.api}/repos/{repo.path}",
                    "archived": repo.archived,
                    "fork": repo.fork,
                }
            )
        if rest == "/issues" and method == "POST":
            issue = self._new(repo.path, body["title"], body["body"])
            return _json(self._issue_json(repo, issue), 201)
        found = re.fullmatch(r"/issues/(\d+)(/comments)?", rest)
        issue = self._find(repo.path, int(found.group(1))) if found else None
        if found is None or issue is None:
            return _missing()
        if found.group(2) and method == "POST":
            issue.comments.append(body["body"])
            return _json({"id": 9, "body": body["body"]}, 201)
        if method == "PATCH":
            issue.title = body.get("title", issue.title)
            issue.body = body.get("body", issue.body)
            if body.get("state") == "closed":
                issue.open = False
        return _json(self._issue_json(repo, issue))


class FakeGiteaIssues:
    """Gitea/Forgejo /api/v1 as an httpx transport handler: repos, issues, comments."""

    def __init__(self, host: str, repositories: list[FakeRepository], token: str = "write-token"):
        self.host = host
        self.token = token
        self.repositories = {r.path: r for r in repositories}
        self.issues: dict[str, list[FakeIssue]] = {r.path: [] for r in repositories}
        self.seen: list[tuple[str, str]] = []

    def open_issues(self, path: str) -> list[FakeIssue]:
        return [issue for issue in self.issues[path] if issue.open]

    def _issue_json(self, path: str, issue: FakeIssue) -> dict[str, Any]:
        return {
            "number": issue.number,
            "title": issue.title,
            "body": issue.body,
            "state": "open" if issue.open else "closed",
            "html_url": f"https://{self.host}/{path}/issues/{issue.number}",
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path))
        if request.headers.get("Authorization") != f"token {self.token}":
            return httpx.Response(401, json={"message": "token is required"})
        match = re.fullmatch(r"/api/v1/repos/([^/]+/[^/]+)(/.*)?", request.url.path)
        repo = self.repositories.get(match.group(1)) if match else None
        if match is None or repo is None:
            return httpx.Response(404, json={"message": "not found"})
        rest = match.group(2) or ""
        body = json.loads(request.content) if request.content else {}
        issues = self.issues[repo.path]
        if rest == "" and request.method == "GET":
            return httpx.Response(200, json={"archived": repo.archived, "fork": repo.fork})
        if rest == "/issues" and request.method == "POST":
            issue = FakeIssue(len(issues) + 1, body["title"], body["body"])
            issues.append(issue)
            return httpx.Response(201, json=self._issue_json(repo.path, issue))
        found = re.fullmatch(r"/issues/(\d+)(/comments)?", rest)
        issue = next((i for i in issues if found and i.number == int(found.group(1))), None)
        if found is None or issue is None:
            return httpx.Response(404, json={"message": "not found"})
        if found.group(2) and request.method == "POST":
            issue.comments.append(body["body"])
            return httpx.Response(201, json={"id": 3, "body": body["body"]})
        if request.method == "PATCH":
            issue.title = body.get("title", issue.title)
            issue.body = body.get("body", issue.body)
            if body.get("state") == "closed":
                issue.open = False
        return httpx.Response(200, json=self._issue_json(repo.path, issue))
