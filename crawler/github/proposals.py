"""GitHub proposals through PyGithub: branch, file and pull request (`crawler.proposals`).

The client talks to the registered API base only (PyGithub refuses URLs on other hosts), with
its own retries and write pacing off: `crawler.proposals.propose` paces the requests.
"""

from __future__ import annotations

from typing import Any

from github import GithubException

from crawler.github.writer import write_client
from crawler.proposals import OpenedRequest, ProposalRequest, RepositoryState
from crawler.writers import token_refused
from schemas.errors import ProposalError
from schemas.proposal import ProposalStatus


class GitHubProposer:
    """Pull requests on github.com or a GitHub Enterprise Server (see the module docstring)."""

    noun = "pull request"

    def __init__(self, rest_base: str, token: str) -> None:
        self._base = rest_base.rstrip("/")
        self._client = write_client(rest_base, token)

    def _refused(self, error: GithubException) -> ProposalError | None:
        needs = "write access to contents and pull requests of the repository"
        return token_refused(ProposalError, self._base, error.status, needs)

    def _repo(self, path: str) -> Any:
        try:
            return self._client.get_repo(path)
        except GithubException as error:
            raise self._refused(error) or error from None

    def repository(self, path: str) -> RepositoryState:
        repo = self._repo(path)
        default = repo.default_branch
        has_file = False
        empty = not repo.size
        if default and not empty:
            for name in ("publiccode.yml", "publiccode.yaml"):
                try:
                    repo.get_contents(name, ref=default)
                    has_file = True
                    break
                except GithubException as error:
                    if error.status != 404:
                        raise self._refused(error) or error from None
        return RepositoryState(
            default_branch=default,
            archived=bool(repo.archived),
            fork=bool(repo.fork),
            empty=empty,
            has_publiccode=has_file,
        )

    @staticmethod
    def _opened(pull: Any) -> OpenedRequest:
        status: ProposalStatus = (
            "merged" if pull.merged else "open" if pull.state == "open" else "closed"
        )
        return OpenedRequest(number=int(pull.number), url=str(pull.html_url), status=status)

    def existing(self, path: str, branch: str) -> OpenedRequest | None:
        repo = self._repo(path)
        owner = path.split("/", 1)[0]
        for pull in repo.get_pulls(state="all", head=f"{owner}:{branch}"):
            return self._opened(pull)
        return None

    def open(self, request: ProposalRequest, default_branch: str) -> OpenedRequest:
        repo = self._repo(request.path)
        try:
            base = repo.get_git_ref(f"heads/{default_branch}")
            try:
                repo.create_git_ref(f"refs/heads/{request.branch}", base.object.sha)
            except GithubException as error:
                if error.status != 422:  # 422: the branch exists (an earlier try)
                    raise
            repo.create_file(
                request.file_path, request.commit_message, request.content, branch=request.branch
            )
            pull = repo.create_pull(
                base=default_branch, head=request.branch, title=request.title, body=request.body
            )
        except GithubException as error:
            raise self._refused(error) or error from None
        return self._opened(pull)

    def status(self, path: str, number: int) -> OpenedRequest:
        repo = self._repo(path)
        try:
            return self._opened(repo.get_pull(number))
        except GithubException as error:
            raise self._refused(error) or error from None


def github_proposer(base_url: str, rest_base: str, token: str) -> GitHubProposer:
    """The `ProposerFactory` of GitHub (the REST base: api.github.com or HOST/api/v3)."""
    del base_url
    return GitHubProposer(rest_base, token)
