"""GitLab proposals through python-gitlab: branch, file and merge request (`crawler.proposals`).

The token goes in ``Authorization: Bearer`` (personal, group or project access tokens with the
``api`` scope work so), which requests drops on a redirect to another host; the client talks
to the registered forge's URL only and never retries a write on its own.
"""

from __future__ import annotations

from typing import Any

from gitlab import exceptions as errors

from crawler.gitlab.writer import GitLabWriter
from crawler.proposals import OpenedRequest, ProposalRequest, RepositoryState
from schemas.errors import ProposalError
from schemas.proposal import ProposalStatus

_STATUS: dict[str, ProposalStatus] = {"opened": "open", "merged": "merged", "closed": "closed"}


class GitLabProposer(GitLabWriter):
    """Merge requests on one GitLab instance (see the module docstring)."""

    noun = "merge request"

    refused_error = ProposalError
    token_needs = "the api scope and at least the Developer role on the repository"

    def _project(self, path: str) -> Any:
        try:
            return self._client.projects.get(path)
        except errors.GitlabError as error:
            raise self._refused(error) or error from None

    def repository(self, path: str) -> RepositoryState:
        project = self._project(path)
        default = getattr(project, "default_branch", None)
        has_file = False
        if default:
            for name in ("publiccode.yml", "publiccode.yaml"):
                try:
                    project.files.head(name, ref=default)
                    has_file = True
                    break
                except errors.GitlabError as error:
                    if error.response_code != 404:
                        raise self._refused(error) or error from None
        return RepositoryState(
            default_branch=default,
            archived=bool(getattr(project, "archived", False)),
            fork=getattr(project, "forked_from_project", None) is not None,
            empty=bool(getattr(project, "empty_repo", False)),
            has_publiccode=has_file,
        )

    def _opened(self, request: Any) -> OpenedRequest:
        return OpenedRequest(
            number=int(request.iid),
            url=str(request.web_url),
            status=_STATUS.get(str(request.state), "closed"),
        )

    def existing(self, path: str, branch: str) -> OpenedRequest | None:
        project = self._project(path)
        found = project.mergerequests.list(source_branch=branch, state="all", get_all=False)
        return self._opened(found[0]) if found else None

    def open(self, request: ProposalRequest, default_branch: str) -> OpenedRequest:
        project = self._project(request.path)
        try:
            try:
                project.branches.create({"branch": request.branch, "ref": default_branch})
            except errors.GitlabCreateError as error:
                if error.response_code != 400:  # 400: the branch exists (an earlier try)
                    raise
            project.files.create(
                {
                    "file_path": request.file_path,
                    "branch": request.branch,
                    "content": request.content,
                    "encoding": "text",
                    "commit_message": request.commit_message,
                }
            )
            made = project.mergerequests.create(
                {
                    "source_branch": request.branch,
                    "target_branch": default_branch,
                    "title": request.title,
                    "description": request.body,
                    "remove_source_branch": True,
                }
            )
        except errors.GitlabError as error:
            raise self._refused(error) or error from None
        return self._opened(made)

    def status(self, path: str, number: int) -> OpenedRequest:
        project = self._project(path)
        try:
            return self._opened(project.mergerequests.get(number))
        except errors.GitlabError as error:
            raise self._refused(error) or error from None


def gitlab_proposer(base_url: str, rest_base: str, token: str) -> GitLabProposer:
    """The `ProposerFactory` of GitLab (python-gitlab derives the API from the base URL)."""
    del rest_base
    return GitLabProposer(base_url, token)
