"""Gitea and Forgejo proposals over their REST API with httpx (`crawler.proposals`).

One call creates the branch and the file (``POST /repos/{owner}/{repo}/contents/{path}`` with
``new_branch``), one opens the pull request. The token (``Authorization: token …``) goes to
the registered forge's ``/api/v1`` only; redirects are not followed.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import httpx

from crawler.gitea.writer import write_client
from crawler.proposals import OpenedRequest, ProposalRequest, RepositoryState
from crawler.writers import token_refused
from schemas.errors import ProposalError
from schemas.proposal import ProposalStatus


class GiteaProposer:
    """Pull requests on one Gitea or Forgejo instance (see the module docstring)."""

    noun = "pull request"

    def __init__(
        self, rest_base: str, token: str, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._base = rest_base.rstrip("/")
        self._client = write_client(rest_base, token, transport)

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self._client.request(method, path, **kwargs)
        needs = "write access to the repository (scopes write:repository)"
        refused = token_refused(ProposalError, self._base, response.status_code, needs)
        if refused is not None:
            raise refused
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._call(method, path, **kwargs)
        response.raise_for_status()
        return response.json()

    def repository(self, path: str) -> RepositoryState:
        repo = self._json("GET", f"/repos/{path}")
        default = repo.get("default_branch") or None
        empty = bool(repo.get("empty"))
        has_file = False
        if default and not empty:
            for name in ("publiccode.yml", "publiccode.yaml"):
                response = self._call(
                    "GET", f"/repos/{path}/contents/{name}", params={"ref": default}
                )
                if response.status_code == 200:
                    has_file = True
                    break
                if response.status_code != 404:
                    response.raise_for_status()
        return RepositoryState(
            default_branch=default,
            archived=bool(repo.get("archived")),
            fork=bool(repo.get("fork")),
            empty=empty,
            has_publiccode=has_file,
        )

    @staticmethod
    def _opened(pull: dict[str, Any]) -> OpenedRequest:
        status: ProposalStatus = (
            "merged" if pull.get("merged") else "open" if pull.get("state") == "open" else "closed"
        )
        return OpenedRequest(int(pull["number"]), str(pull.get("html_url") or ""), status)

    def existing(self, path: str, branch: str) -> OpenedRequest | None:
        pulls = self._json("GET", f"/repos/{path}/pulls", params={"state": "all", "limit": 50})
        for pull in pulls if isinstance(pulls, list) else []:
            head = pull.get("head") if isinstance(pull, dict) else None
            if isinstance(head, dict) and head.get("ref") == branch:
                return self._opened(pull)
        return None

    def open(self, request: ProposalRequest, default_branch: str) -> OpenedRequest:
        content = base64.b64encode(request.content.encode("utf-8")).decode("ascii")
        self._json(
            "POST",
            f"/repos/{request.path}/contents/{quote(request.file_path)}",
            json={
                "content": content,
                "message": request.commit_message,
                "branch": default_branch,
                "new_branch": request.branch,
            },
        )
        pull = self._json(
            "POST",
            f"/repos/{request.path}/pulls",
            json={
                "base": default_branch,
                "head": request.branch,
                "title": request.title,
                "body": request.body,
            },
        )
        return self._opened(pull)

    def status(self, path: str, number: int) -> OpenedRequest:
        return self._opened(self._json("GET", f"/repos/{path}/pulls/{number}"))


def gitea_proposer(base_url: str, rest_base: str, token: str) -> GiteaProposer:
    """The `ProposerFactory` of Gitea and Forgejo (the REST base: URL/api/v1)."""
    del base_url
    return GiteaProposer(rest_base, token)
