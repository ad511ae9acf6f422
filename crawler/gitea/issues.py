"""Gitea and Forgejo issues over their REST API with httpx (`crawler.issues`).

``POST /repos/{owner}/{repo}/issues`` opens, ``PATCH …/issues/{n}`` edits and closes,
``POST …/issues/{n}/comments`` comments. The token (``Authorization: token …``) goes to the
registered forge's ``/api/v1`` only; redirects are not followed.
"""

from __future__ import annotations

from typing import Any

import httpx

from crawler.gitea.writer import write_client
from crawler.issues import IssueRef
from crawler.writers import token_refused
from schemas.errors import IssueError


class GiteaIssues:
    """Issues on one Gitea or Forgejo instance (see the module docstring)."""

    def __init__(
        self, rest_base: str, token: str, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._base = rest_base.rstrip("/")
        self._client = write_client(rest_base, token, transport)

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._client.request(method, path, **kwargs)
        needs = "write access to issues (scope write:issue)"
        refused = token_refused(IssueError, self._base, response.status_code, needs)
        if refused is not None:
            raise refused
        response.raise_for_status()
        return response.json()

    @staticmethod
    def _ref(issue: dict[str, Any]) -> IssueRef:
        return IssueRef(int(issue["number"]), str(issue["html_url"]), issue.get("state") == "open")

    def repository(self, path: str) -> tuple[bool, bool]:
        repo = self._json("GET", f"/repos/{path}")
        return bool(repo.get("archived")), bool(repo.get("fork"))

    def open(self, path: str, title: str, body: str) -> IssueRef:
        return self._ref(
            self._json("POST", f"/repos/{path}/issues", json={"title": title, "body": body})
        )

    def get(self, path: str, number: int) -> IssueRef:
        return self._ref(self._json("GET", f"/repos/{path}/issues/{number}"))

    def update(self, path: str, number: int, title: str, body: str) -> IssueRef:
        edited = self._json(
            "PATCH", f"/repos/{path}/issues/{number}", json={"title": title, "body": body}
        )
        return self._ref(edited)

    def close(self, path: str, number: int, comment: str) -> IssueRef:
        self._json("POST", f"/repos/{path}/issues/{number}/comments", json={"body": comment})
        return self._ref(
            self._json("PATCH", f"/repos/{path}/issues/{number}", json={"state": "closed"})
        )


def gitea_issues(base_url: str, rest_base: str, token: str) -> GiteaIssues:
    """The `IssueTrackerFactory` of Gitea and Forgejo (their REST base, ``…/api/v1``)."""
    del base_url
    return GiteaIssues(rest_base, token)
