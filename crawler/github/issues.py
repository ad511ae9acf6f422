"""GitHub issues through PyGithub: open, edit, comment and close (`crawler.issues`).

The client talks to the registered API base only, with PyGithub's retries and write pacing off
(the loop runs once per crawl and writes only when something changed).
"""

from __future__ import annotations

from typing import Any

from github import GithubException

from crawler.github.writer import write_client
from crawler.issues import IssueRef
from crawler.writers import token_refused
from schemas.errors import IssueError


class GitHubIssues:
    """Issues on github.com or a GitHub Enterprise Server (see the module docstring)."""

    def __init__(self, rest_base: str, token: str) -> None:
        self._base = rest_base.rstrip("/")
        self._client = write_client(rest_base, token)

    def _call(self, action: Any) -> Any:
        try:
            return action()
        except GithubException as error:
            needs = "write access to the issues of the repositories"
            raise token_refused(IssueError, self._base, error.status, needs) or error from None

    @staticmethod
    def _ref(issue: Any) -> IssueRef:
        return IssueRef(int(issue.number), str(issue.html_url), str(issue.state) == "open")

    def _repo(self, path: str) -> Any:
        return self._call(lambda: self._client.get_repo(path))

    def repository(self, path: str) -> tuple[bool, bool]:
        repo = self._repo(path)
        return bool(repo.archived), bool(repo.fork)

    def open(self, path: str, title: str, body: str) -> IssueRef:
        repo = self._repo(path)
        return self._ref(self._call(lambda: repo.create_issue(title=title, body=body)))

    def get(self, path: str, number: int) -> IssueRef:
        repo = self._repo(path)
        return self._ref(self._call(lambda: repo.get_issue(number)))

    def update(self, path: str, number: int, title: str, body: str) -> IssueRef:
        issue = self._call(lambda: self._repo(path).get_issue(number))
        self._call(lambda: issue.edit(title=title, body=body))
        return self._ref(issue)

    def close(self, path: str, number: int, comment: str) -> IssueRef:
        issue = self._call(lambda: self._repo(path).get_issue(number))
        self._call(lambda: issue.create_comment(comment))
        self._call(lambda: issue.edit(state="closed"))
        return self._ref(issue)


def github_issues(base_url: str, rest_base: str, token: str) -> GitHubIssues:
    """The `IssueTrackerFactory` of GitHub (the REST base names github.com or the GHES API)."""
    del base_url
    return GitHubIssues(rest_base, token)
