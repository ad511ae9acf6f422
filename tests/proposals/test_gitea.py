"""Gitea/Forgejo proposals over REST (httpx transport fake shaped like Gitea's /api/v1)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from crawler.gitea.proposals import GiteaProposer
from crawler.kinds import kind_spec
from crawler.proposals import ProposalRequest
from schemas.errors import ProposalError

API = "https://codeberg.example.org/api/v1"


class FakeGitea:
    def __init__(self, token: str = "good") -> None:
        self.token = token
        self.files: dict[str, dict[str, str]] = {"main": {}}
        self.pulls: list[dict[str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("Authorization") != f"token {self.token}":
            return httpx.Response(401, json={"message": "token is required"})
        path = request.url.path.removeprefix("/api/v1")
        body = json.loads(request.content) if request.content else {}
        if path == "/repos/city/app" and request.method == "GET":
            return httpx.Response(
                200,
                json={"default_branch": "main", "archived": False, "fork": False, "empty": False},
            )
        if path.startswith("/repos/city/app/contents/"):
            name = path.rsplit("/", 1)[-1]
            if request.method == "GET":
                found = name in self.files.get(request.url.params.get("ref", ""), {})
                return httpx.Response(200 if found else 404, json={})
            self.files[body["new_branch"]] = {name: base64.b64decode(body["content"]).decode()}
            return httpx.Response(201, json={"content": {"path": name}})
        if path == "/repos/city/app/pulls" and request.method == "GET":
            return httpx.Response(200, json=self.pulls)
        if path == "/repos/city/app/pulls" and request.method == "POST":
            pull = {
                "number": len(self.pulls) + 1,
                "state": "open",
                "merged": False,
                "head": {"ref": body["head"]},
                "html_url": f"https://codeberg.example.org/city/app/pulls/{len(self.pulls) + 1}",
            }
            self.pulls.append(pull)
            return httpx.Response(201, json=pull)
        return httpx.Response(404, json={})


REQUEST = ProposalRequest(
    path="city/app", title="Add publiccode.yml", body="…", content="name: x\n", commit_message="c"
)


def test_branch_file_and_pull_request_then_found() -> None:
    """One call makes branch and file, one the pull request; the next lookup finds it."""
    fake = FakeGitea()
    proposer = GiteaProposer(API, "good", transport=httpx.MockTransport(fake))
    state = proposer.repository("city/app")
    assert ("main", False) == (state.default_branch, state.has_publiccode)
    opened = proposer.open(REQUEST, "main")
    assert (1, "open") == (opened.number, opened.status)
    assert {"publiccode.yml": "name: x\n"} == fake.files["codereuse/publiccode"]
    assert opened == proposer.existing("city/app", "codereuse/publiccode")


def test_refused_token_is_a_proposal_error() -> None:
    """401 names the forge and what the token needs, never the token."""
    proposer = GiteaProposer(API, "bad-secret", transport=httpx.MockTransport(FakeGitea()))
    with pytest.raises(ProposalError) as raised:
        proposer.repository("city/app")
    assert "refused the token (401)" in str(raised.value)
    assert "bad-secret" not in str(raised.value)


def test_gitea_and_forgejo_can_propose() -> None:
    """Both kinds' specs carry the proposer; Forgejo inherits Gitea's."""
    assert kind_spec("gitea").proposer is not None
    assert kind_spec("forgejo").proposer is kind_spec("gitea").proposer
    assert "merge request" == kind_spec("gitlab").proposal_noun
