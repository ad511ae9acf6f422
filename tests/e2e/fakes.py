"""Fake forges as the end-to-end tests serve them on loopback (`tests.fakeserver.serve`).

A GitLab instance with its version endpoint (asked by the registration check) and a GitHub
Enterprise Server at its /api/v3 and /api/graphql paths, both built from the crawler's fakes.
"""

from __future__ import annotations

import httpx

from tests.crawler.fakeforge import FakeGitHub, FakeGitLab, make_repos


class GitLabInstance:
    """The fake GitLab plus the version endpoint the registration check asks."""

    def __init__(self) -> None:
        self.fake = FakeGitLab("placeholder", make_repos(60, owners=3))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v4/version":
            return httpx.Response(200, json={"version": "17.5.0", "revision": "e2e"})
        return self.fake(request)


class EnterpriseServer:
    """The fake GitHub at GitHub Enterprise Server paths (/api/v3, /api/graphql)."""

    def __init__(self) -> None:
        self.fake = FakeGitHub("placeholder", make_repos(40, owners=2))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/v3/meta":
            return httpx.Response(
                200,
                json={"installed_version": "3.14.0", "verifiable_password_authentication": True},
            )
        if path == "/api/graphql":
            path = "/graphql"
        elif path.startswith("/api/v3/"):
            path = path.removeprefix("/api/v3")
        else:
            return httpx.Response(404, json={"message": "Not Found"})
        return self.fake(
            request.__class__(
                request.method,
                request.url.copy_with(path=path),
                headers=request.headers,
                content=request.content,
            )
        )
