"""The live check at registration: the forge must answer as the claimed kind, safely."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import pytest
import respx

from crawler.registration import register
from schemas.errors import RegistrationError

PUBLIC = {
    "gitlab.example.org": ["93.184.215.14"],
    "gitea.example.org": ["93.184.215.16"],
    "ghe.example.org": ["93.184.215.15"],
    "api.github.com": ["140.82.112.6"],
    "moved.example.org": ["93.184.215.16"],
    "evil.example.org": ["93.184.215.17"],
    "inward.example.org": ["10.0.0.7"],
}


def resolve(host: str) -> Sequence[str]:
    """A fake DNS with the answers above."""
    if host not in PUBLIC:
        raise OSError(-2, "Name or service not known")
    return PUBLIC[host]


@pytest.fixture
def forge() -> respx.MockRouter:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


def test_gitlab_answering_version_is_registered(forge: respx.MockRouter) -> None:
    """GET /api/v4/version with a version object proves a GitLab."""
    forge.get("https://gitlab.example.org/api/v4/version").respond(
        json={"version": "17.5.1", "revision": "abc"}
    )
    registration = register(
        "https://GitLab.example.org/explore/groups/", kind="gitlab", resolver=resolve
    )
    assert ("gitlab.example.org", "https://gitlab.example.org", True) == (
        registration.name,
        registration.url,
        registration.whole_instance,
    )


def test_gitlab_without_anonymous_version_falls_back_to_projects(forge: respx.MockRouter) -> None:
    """A 401 on /version (needs a token) is followed by GET /projects?per_page=1."""
    forge.get("https://gitlab.example.org/api/v4/version").respond(
        401, json={"message": "401 Unauthorized"}
    )
    projects = forge.get(
        "https://gitlab.example.org/api/v4/projects", params={"per_page": "1"}
    ).respond(json=[{"id": 1}])
    forge.get("https://gitlab.example.org/api/v4/groups/team").respond(json={"id": 7})
    register("https://gitlab.example.org", kind="gitlab", groups=["team"], resolver=resolve)
    assert 1 == projects.call_count


def test_github_com_is_checked_at_api_github_com(forge: respx.MockRouter) -> None:
    """github.com is checked through https://api.github.com/meta."""
    meta = forge.get("https://api.github.com/meta").respond(
        json={"verifiable_password_authentication": True, "hooks": []}
    )
    forge.get("https://api.github.com/users/it-at-m").respond(
        json={"login": "it-at-m", "type": "Organization"}
    )
    registration = register("https://github.com/orgs/it-at-m", kind="github", resolver=resolve)
    assert (1, ["it-at-m"]) == (meta.call_count, registration.orgs)


def test_github_enterprise_server_is_checked_at_api_v3(forge: respx.MockRouter) -> None:
    """Any other GitHub URL is an Enterprise Server answering at URL/api/v3/meta."""
    meta = forge.get("https://ghe.example.org/api/v3/meta").respond(
        json={"installed_version": "3.14.2"}
    )
    register("https://ghe.example.org", kind="github", resolver=resolve)
    assert 1 == meta.call_count


def test_wrong_kind_is_refused_with_what_was_tried(forge: respx.MockRouter) -> None:
    """A GitLab registered as GitHub is refused, naming the requests and suggesting the other kind."""
    forge.get(url__regex=r"https://gitlab\.example\.org/api/v3/.*").respond(
        404, html="<html>404</html>"
    )
    with pytest.raises(RegistrationError) as caught:
        register("https://gitlab.example.org", kind="github", resolver=resolve)
    message = str(caught.value)
    assert [
        "/api/v3/meta → 404",
        "/api/v3/rate_limit → 404",
        "is it a GitLab or Gitea or Forgejo forge?",
    ] == [
        part
        for part in [
            "/api/v3/meta → 404",
            "/api/v3/rate_limit → 404",
            "is it a GitLab or Gitea or Forgejo forge?",
        ]
        if part in message
    ]


def test_html_page_answering_200_is_not_a_forge(forge: respx.MockRouter) -> None:
    """A web server answering 200 with HTML everywhere is not a GitLab."""
    forge.get(url__regex=r"https://gitlab\.example\.org/.*").respond(
        200, html="<html>welcome</html>"
    )
    with pytest.raises(RegistrationError) as caught:
        register("https://gitlab.example.org", kind="gitlab", resolver=resolve)
    assert "does not answer as a gitlab forge" in str(caught.value)


def test_token_is_sent_but_never_shown(
    forge: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token from --token-env goes in the Authorization header and never into an error."""
    monkeypatch.setenv("FORGE_TOKEN", "glpat-SeCrEt123")
    route = forge.get("https://gitlab.example.org/api/v4/version").respond(
        403, json={"message": "403 Forbidden"}
    )
    forge.get("https://gitlab.example.org/api/v4/projects").respond(
        403, json={"message": "403 Forbidden"}
    )
    with pytest.raises(RegistrationError) as caught:
        register(
            "https://gitlab.example.org", kind="gitlab", token_env="FORGE_TOKEN", resolver=resolve
        )
    assert ("Bearer glpat-SeCrEt123", False, True) == (
        route.calls[0].request.headers["authorization"],
        "SeCrEt" in str(caught.value),
        "refused the token in FORGE_TOKEN" in str(caught.value),
    )


def test_unset_token_variable_is_named(
    forge: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forge asking for a token while --token-env names an unset variable says which one."""
    monkeypatch.delenv("MISSING_TOKEN", raising=False)
    forge.get(url__regex=r"https://gitlab\.example\.org/api/v4/.*").respond(
        401, json={"message": "401"}
    )
    with pytest.raises(RegistrationError) as caught:
        register(
            "https://gitlab.example.org", kind="gitlab", token_env="MISSING_TOKEN", resolver=resolve
        )
    assert "MISSING_TOKEN is not set" in str(caught.value)


def test_credentials_in_the_url_never_reach_messages(forge: respx.MockRouter) -> None:
    """user:password in a registered URL is dropped and never shown."""
    forge.get(url__regex=r".*").respond(404)
    with pytest.raises(RegistrationError) as caught:
        register("https://admin:hunter2@gitlab.example.org", kind="gitlab", resolver=resolve)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://2130706433",
        "http://[::1]",
        "http://169.254.169.254",
        "http://inward.example.org",
        "https://gitlab.example.org@127.0.0.1",
        "http://0/",
    ],
)
def test_private_forges_are_refused_before_any_request(forge: respx.MockRouter, url: str) -> None:
    """Loopback, metadata and names resolving inward are refused without sending a request."""
    with pytest.raises(RegistrationError) as caught:
        register(url, kind="gitlab", resolver=resolve)
    assert ("--allow-private", 0) == (
        "--allow-private" if "--allow-private" in str(caught.value) else str(caught.value),
        len(forge.calls),
    )


def test_allow_private_registers_an_on_premises_forge(forge: respx.MockRouter) -> None:
    """With allow_private a loopback forge is checked and registered."""
    forge.get("http://127.0.0.1:8080/api/v4/version").respond(json={"version": "16.0.0"})
    registration = register(
        "http://127.0.0.1:8080/", kind="gitlab", allow_private=True, name="local"
    )
    assert ("local", "http://127.0.0.1:8080", True) == (
        registration.name,
        registration.url,
        registration.allow_private,
    )


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.1/api/v4/version",
        "https://inward.example.org/api/v4/version",
        "http://[fd00:ec2::254]/",
    ],
)
def test_redirect_into_a_private_network_is_refused(forge: respx.MockRouter, location: str) -> None:
    """A public forge redirecting to a private address is refused before the second request."""
    forge.get("https://gitlab.example.org/api/v4/version").respond(
        302, headers={"Location": location}
    )
    with pytest.raises(RegistrationError) as caught:
        register("https://gitlab.example.org", kind="gitlab", resolver=resolve)
    assert ("--allow-private", 1) == (
        "--allow-private" if "--allow-private" in str(caught.value) else str(caught.value),
        len(forge.calls),
    )


def test_public_redirect_is_followed_without_the_token(
    forge: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A redirect to another public host is followed, and the token is not sent there."""
    monkeypatch.setenv("FORGE_TOKEN", "glpat-SeCrEt123")
    forge.get("https://gitlab.example.org/api/v4/version").respond(
        301, headers={"Location": "https://moved.example.org/api/v4/version"}
    )
    moved = forge.get("https://moved.example.org/api/v4/version").respond(
        json={"version": "17.0.0"}
    )
    register("https://gitlab.example.org", kind="gitlab", token_env="FORGE_TOKEN", resolver=resolve)
    assert None is moved.calls[0].request.headers.get("authorization")


def test_redirect_loop_is_refused(forge: respx.MockRouter) -> None:
    """Endless redirects end with a clear refusal."""
    forge.get("https://gitlab.example.org/api/v4/version").respond(
        302, headers={"Location": "/api/v4/version"}
    )
    forge.get("https://gitlab.example.org/api/v4/projects").respond(
        302, headers={"Location": "/api/v4/projects"}
    )
    with pytest.raises(RegistrationError) as caught:
        register("https://gitlab.example.org", kind="gitlab", resolver=resolve)
    assert "redirects" in str(caught.value)


def test_unreachable_forge_is_refused(forge: respx.MockRouter) -> None:
    """A connection error becomes a refusal that says to check the URL and network."""
    forge.get(url__regex=r".*").mock(side_effect=httpx.ConnectError("connection refused"))
    with pytest.raises(RegistrationError) as caught:
        register("https://gitlab.example.org", kind="gitlab", resolver=resolve)
    assert "cannot reach the forge (ConnectError)" in str(caught.value)


def test_injected_client_is_used(forge: respx.MockRouter) -> None:
    """An injected httpx client carries the check (tests, proxies)."""
    forge.stop()
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, json={"version": "17.0.0"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        register("https://gitlab.example.org", kind="gitlab", client=client, resolver=resolve)
    assert ["https://gitlab.example.org/api/v4/version"] == calls


def test_unknown_scope_is_refused_naming_each_missing_item(forge: respx.MockRouter) -> None:
    """Groups and repositories the forge does not know are refused, all named at once."""
    forge.get("https://gitlab.example.org/api/v4/version").respond(json={"version": "17.0.0"})
    forge.get("https://gitlab.example.org/api/v4/groups/team%2Fapps").respond(json={"id": 1})
    forge.get("https://gitlab.example.org/api/v4/groups/typo").respond(
        404, json={"message": "404 Group Not Found"}
    )
    forge.get("https://gitlab.example.org/api/v4/projects/team%2Fgone").respond(
        404, json={"message": "404 Project Not Found"}
    )
    with pytest.raises(RegistrationError) as caught:
        register(
            "https://gitlab.example.org",
            kind="gitlab",
            groups=["team/apps", "typo"],
            repos=["team/gone"],
            resolver=resolve,
        )
    assert "not found: group typo, repository team/gone" in str(caught.value)


def test_scope_hidden_from_anonymous_callers_asks_for_a_token(forge: respx.MockRouter) -> None:
    """A repository answering 403 without a token is refused with --token-env advice."""
    forge.get("https://api.github.com/meta").respond(json={"hooks": []})
    forge.get("https://api.github.com/repos/acme/secret").respond(
        403, json={"message": "Forbidden"}
    )
    with pytest.raises(RegistrationError) as caught:
        register("https://github.com", kind="github", repos=["acme/secret"], resolver=resolve)
    assert (
        "not visible: repository acme/secret (the forge asks for a token; pass --token-env"
        in str(caught.value)
    )


def test_spent_rate_limit_does_not_refuse_the_registration(
    forge: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    """When the rate limit runs out mid-check, the registration is kept and a warning says so."""
    forge.get("https://api.github.com/meta").respond(json={"hooks": []})
    forge.get("https://api.github.com/users/first").respond(json={"login": "first"})
    forge.get("https://api.github.com/users/second").respond(
        403, headers={"X-RateLimit-Remaining": "0"}, json={"message": "API rate limit exceeded"}
    )
    registration = register(
        "https://github.com", kind="github", orgs=["first", "second", "third"], resolver=resolve
    )
    assert (["first", "second", "third"], True) == (
        registration.orgs,
        any(
            "organisation second and the rest of the scope were not checked" in r.getMessage()
            for r in caplog.records
        ),
    )


def test_group_url_of_a_self_hosted_gitlab_gets_advice(forge: respx.MockRouter) -> None:
    """A group URL taken for a relative URL root fails with advice to use --group."""
    forge.get(url__regex=r"https://gitlab\.example\.org/team/apps/api/v4/.*").respond(
        404, html="<html>404</html>"
    )
    with pytest.raises(RegistrationError) as caught:
        register("https://gitlab.example.org/team/apps", kind="gitlab", resolver=resolve)
    assert (
        "`codereuse forges add https://gitlab.example.org --kind gitlab --group team/apps`"
        in str(caught.value)
    )


def test_gitea_answering_version_is_registered(forge: respx.MockRouter) -> None:
    """GET /api/v1/version with a version object proves a Gitea; a codeberg URL names an org."""
    forge.get("https://gitea.example.org/api/v1/version").respond(json={"version": "1.22.3"})
    forge.get("https://gitea.example.org/api/v1/users/stadt").respond(json={"login": "stadt"})
    registration = register("https://gitea.example.org/stadt", kind="gitea", resolver=resolve)
    assert ("https://gitea.example.org", ["stadt"]) == (registration.url, registration.orgs)


def test_forgejo_is_told_from_gitea_by_its_own_version_api(forge: respx.MockRouter) -> None:
    """Forgejo answers /api/forgejo/v1/version; a Gitea there (404) is refused as a Forgejo."""
    forge.get("https://gitea.example.org/api/forgejo/v1/version").respond(404)
    with pytest.raises(RegistrationError, match="does not answer as a forgejo forge"):
        register("https://gitea.example.org", kind="forgejo", resolver=resolve)
    forge.get("https://gitea.example.org/api/forgejo/v1/version").respond(
        json={"version": "9.0.3+gitea-1.22.0"}
    )
    assert "forgejo" == register("https://gitea.example.org", kind="forgejo", resolver=resolve).kind
