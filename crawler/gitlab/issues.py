"""GitLab issues through python-gitlab: open, update, close with a note (`crawler.issues`).

The token (``api`` scope, at least the Reporter role) goes in ``Authorization: Bearer`` to the
registered instance only; python-gitlab's own retries are off (the loop runs once per crawl).
"""

from __future__ import annotations

from typing import Any

from gitlab import exceptions as errors

from crawler.gitlab.writer import GitLabWriter
from crawler.issues import IssueRef
from schemas.errors import IssueError


class GitLabIssues(GitLabWriter):
    """Issues on one GitLab instance (see the module docstring)."""

    refused_error = IssueError
    token_needs = "the api scope and at least the Reporter role on the repositories"

    def _call(self, action: Any) -> Any:
        try:
            return action()
        except errors.GitlabError as error:
            raise self._refused(error) or error from None

    @staticmethod
    def _ref(issue: Any) -> IssueRef:
        return IssueRef(int(issue.iid), str(issue.web_url), str(issue.state) == "opened")

    def repository(self, path: str) -> tuple[bool, bool]:
        project = self._call(lambda: self._client.projects.get(path))
        fork = getattr(project, "forked_from_project", None) is not None
        return bool(getattr(project, "archived", False)), fork

    def open(self, path: str, title: str, body: str) -> IssueRef:
        project = self._call(lambda: self._client.projects.get(path, lazy=True))
        issue = self._call(lambda: project.issues.create({"title": title, "description": body}))
        return self._ref(issue)

    def get(self, path: str, number: int) -> IssueRef:
        project = self._client.projects.get(path, lazy=True)
        return self._ref(self._call(lambda: project.issues.get(number)))

    def update(self, path: str, number: int, title: str, body: str) -> IssueRef:
        project = self._client.projects.get(path, lazy=True)
        issue = self._call(lambda: project.issues.get(number))
        issue.title = title
        issue.description = body
        self._call(issue.save)
        return self._ref(issue)

    def close(self, path: str, number: int, comment: str) -> IssueRef:
        project = self._client.projects.get(path, lazy=True)
        issue = self._call(lambda: project.issues.get(number))
        self._call(lambda: issue.notes.create({"body": comment}))
        issue.state_event = "close"
        self._call(issue.save)
        return self._ref(issue)


def gitlab_issues(base_url: str, rest_base: str, token: str) -> GitLabIssues:
    """The `IssueTrackerFactory` of GitLab (python-gitlab derives the API from the base URL)."""
    del rest_base
    return GitLabIssues(base_url, token)
