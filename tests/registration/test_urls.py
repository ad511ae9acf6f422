"""Forge URL normalisation, API locations and the scope rules of a registration."""

from __future__ import annotations

import pytest

from crawler.kinds import api_locations
from crawler.registration import build_registration
from crawler.spec import ApiLocations
from crawler.urls import normalise_forge_url, scope_from_url
from schemas.errors import InvalidURLError, RegistrationError
from schemas.forge import ForgeRegistration

NORMALISED = [
    ("https://gitlab.opencode.de", "https://gitlab.opencode.de"),
    ("gitlab.opencode.de", "https://gitlab.opencode.de"),
    ("HTTPS://GitLab.OpenCoDE.de/", "https://gitlab.opencode.de"),
    ("https://gitlab.opencode.de:443/", "https://gitlab.opencode.de"),
    ("https://gitlab.example.org:8443", "https://gitlab.example.org:8443"),
    ("http://gitlab.example.org:80/", "http://gitlab.example.org"),
    ("https://gitlab.example.org/explore/groups", "https://gitlab.example.org"),
    ("https://gitlab.example.org/explore/projects/", "https://gitlab.example.org"),
    ("https://gitlab.example.org/explore/projects/starred", "https://gitlab.example.org"),
    ("https://gitlab.example.org/explore", "https://gitlab.example.org"),
    ("https://gitlab.example.org/dashboard/projects", "https://gitlab.example.org"),
    ("https://gitlab.example.org/users/sign_in", "https://gitlab.example.org"),
    ("https://gitlab.example.org/-/ide", "https://gitlab.example.org"),
    ("https://gitlab.example.org/gitlab/explore/groups", "https://gitlab.example.org/gitlab"),
    ("https://user:secret@gitlab.example.org/?page=2#top", "https://gitlab.example.org"),
    ("https://gitlab.example.org//", "https://gitlab.example.org"),
    ("https://gitlab.example.org/instance.git", "https://gitlab.example.org/instance"),
    ("https://gitlab.com/some/group", "https://gitlab.com"),
    ("https://github.com/orgs/digitalservicebund", "https://github.com"),
    ("https://github.com/orgs/digitalservicebund/repositories", "https://github.com"),
    ("https://www.github.com/it-at-m/", "https://github.com"),
    ("http://github.com/it-at-m/lhm.git", "https://github.com"),
    ("https://ghe.example.org/orgs/team/people", "https://ghe.example.org"),
    ("https://ghe.example.org/enterprises/acme", "https://ghe.example.org"),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ("http://[::1]:8080/explore", "http://[::1]:8080"),
]


@pytest.mark.parametrize(("given", "expected"), NORMALISED)
def test_normalise_forge_url(given: str, expected: str) -> None:
    """Scheme, host case, default ports, credentials, .git, slashes and UI paths are normalised."""
    assert expected == normalise_forge_url(given)


def test_normalise_with_github_kind_drops_any_path() -> None:
    """A GitHub Enterprise Server lives at the host root, so any path is a UI page."""
    assert "https://ghe.example.org" == normalise_forge_url(
        "https://ghe.example.org/team/repo", kind="github"
    )


@pytest.mark.parametrize(
    "bad", ["", "   ", "ftp://gitlab.example.org", "https://", "https://host:99999"]
)
def test_normalise_refuses_unusable_urls(bad: str) -> None:
    """Empty URLs, other schemes, missing hosts and bad ports are refused with InvalidURLError."""
    with pytest.raises(InvalidURLError):
        normalise_forge_url(bad)


def _registration(url: str, kind: str) -> ForgeRegistration:
    return ForgeRegistration(name="x", kind=kind, url=url, orgs=["o"] if kind == "github" else [])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "kind", "expected"),
    [
        (
            "https://gitlab.opencode.de",
            "gitlab",
            ApiLocations(
                "https://gitlab.opencode.de/api/v4", "https://gitlab.opencode.de/api/graphql"
            ),
        ),
        (
            "https://example.org/gitlab",
            "gitlab",
            ApiLocations(
                "https://example.org/gitlab/api/v4", "https://example.org/gitlab/api/graphql"
            ),
        ),
        (
            "https://github.com",
            "github",
            ApiLocations("https://api.github.com", "https://api.github.com/graphql"),
        ),
        (
            "https://ghe.example.org",
            "github",
            ApiLocations("https://ghe.example.org/api/v3", "https://ghe.example.org/api/graphql"),
        ),
        (
            "http://127.0.0.1:8081",
            "github",
            ApiLocations("http://127.0.0.1:8081/api/v3", "http://127.0.0.1:8081/api/graphql"),
        ),
    ],
)
def test_api_locations(url: str, kind: str, expected: ApiLocations) -> None:
    """GitLab uses /api/v4 and /api/graphql; github.com uses api.github.com; GHES uses /api/v3."""
    assert expected == api_locations(_registration(url, kind))


@pytest.mark.parametrize(
    ("url", "kind", "expected"),
    [
        ("https://github.com/orgs/it-at-m", "github", ("https://github.com", ["it-at-m"], [])),
        ("https://github.com/it-at-m", "github", ("https://github.com", ["it-at-m"], [])),
        (
            "https://github.com/it-at-m/lhm.git",
            "github",
            ("https://github.com", [], ["it-at-m/lhm"]),
        ),
        ("https://github.com/explore", "github", ("https://github.com", [], [])),
        (
            "https://gitlab.com/groups/blauwe-knop/sub",
            "gitlab",
            ("https://gitlab.com", ["blauwe-knop/sub"], []),
        ),
        ("https://gitlab.com/blauwe-knop/", "gitlab", ("https://gitlab.com", ["blauwe-knop"], [])),
        (
            "https://gitlab.opencode.de/explore/groups",
            "gitlab",
            ("https://gitlab.opencode.de", [], []),
        ),
    ],
)
def test_scope_from_url(url: str, kind: str, expected: tuple[str, list[str], list[str]]) -> None:
    """Organisation, group and repository paths pasted into the URL become the scope."""
    assert expected == scope_from_url(url, kind=kind)  # type: ignore[arg-type]


def test_build_registration_moves_url_scope_and_names_it() -> None:
    """A pasted org URL becomes an org scope and the default name says host and org."""
    registration = build_registration("https://github.com/orgs/it-at-m/", kind="github")
    assert ("github.com-it-at-m", "https://github.com", ["it-at-m"]) == (
        registration.name,
        registration.url,
        registration.orgs,
    )


def test_build_registration_deduplicates_scope_case_insensitively() -> None:
    """The same group given twice in different case is kept once, in its first spelling."""
    registration = build_registration(
        "https://gitlab.example.org", kind="gitlab", groups=["Team/App", "team/app/", "other"]
    )
    assert ["Team/App", "other"] == registration.groups


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"url": "https://github.com", "kind": "github"}, "at least one --org"),
        (
            {"url": "https://gitlab.example.org", "kind": "gitlab", "orgs": ["x"]},
            "--org is not used on GitLab",
        ),
        (
            {"url": "https://ghe.example.org", "kind": "github", "groups": ["x"]},
            "--group is not used on GitHub",
        ),
        ({"url": "https://github.com", "kind": "github", "repos": ["just-a-name"]}, "OWNER/NAME"),
        (
            {
                "url": "https://gitlab.example.org",
                "kind": "gitlab",
                "token_env": "glpat-abc123 secret",
            },
            "NAME of an environment variable",
        ),
        (
            {"url": "https://gitlab.example.org", "kind": "gitlab", "name": "Bad Name"},
            "must be 1-63 characters",
        ),
        ({"url": "ftp://gitlab.example.org", "kind": "gitlab"}, "unsupported scheme"),
    ],
)
def test_build_registration_refusals(kwargs: dict[str, object], fragment: str) -> None:
    """Scope that does not fit the kind, bad names and token values are refused with advice."""
    url = kwargs.pop("url")
    with pytest.raises(RegistrationError) as caught:
        build_registration(url, **kwargs)  # type: ignore[arg-type]
    assert fragment in str(caught.value)


def test_token_value_given_as_variable_name_is_not_echoed() -> None:
    """A token pasted into --token-env is refused without repeating it."""
    with pytest.raises(RegistrationError) as caught:
        build_registration(
            "https://gitlab.example.org", kind="gitlab", token_env="glpat-Zx9 secret"
        )
    assert "glpat-Zx9" not in str(caught.value)
