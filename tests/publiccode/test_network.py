"""The opt-in online checks, against a fake web at the HTTP transport (never the network)."""

from __future__ import annotations

import httpx
import pytest

from crawler.publiccode_network import check_network, is_code_repository
from schemas.publiccode import parse
from tests.publiccode.shared import png
from tests.publiccode.test_hostile import MINIMAL

PUBLIC = ["93.184.215.14"]


def _web(pages: dict[str, tuple[int, bytes]]) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        status, body = pages.get(str(request.url), (404, b"not found"))
        return httpx.Response(status, content=body)

    return httpx.Client(transport=httpx.MockTransport(answer))


def _check(
    data: bytes, pages: dict[str, tuple[int, bytes]], **kwargs: object
) -> list[tuple[str, str, int | None, str]]:
    result = parse(data)
    with _web(pages) as client:
        found = check_network(data, result, client, resolver=lambda host: PUBLIC, **kwargs)  # type: ignore[arg-type]
    return [(f.type, f.key, f.line, f.message) for f in found]


REPO = "https://github.com/italia/medusa.git"


def test_reachable_repository_has_no_finding() -> None:
    """A url answering 200 on a known forge gives nothing."""
    assert [] == _check(MINIMAL, {REPO: (200, b"")})


def test_unreachable_url_is_an_error_at_its_line() -> None:
    """A url answering 404 is reported with the reference's wording, at the url key."""
    found = _check(MINIMAL, {})
    assert [("error", "url", 3)] == [f[:3] for f in found]
    assert found[0][3].startswith(f"'{REPO}' not reachable: HTTP GET returned 404")


def test_unreachable_can_be_a_warning() -> None:
    """unreachable='warning' turns reachability failures into warnings."""
    assert ["warning"] == [f[0] for f in _check(MINIMAL, {}, unreachable="warning")]


def test_landing_url_and_documentation_are_fetched() -> None:
    """landingURL and description documentation must answer 200."""
    data = MINIMAL.replace(
        b"name: Medusa", b"name: Medusa\nlandingURL: https://medusa.example/"
    ).replace(b"    features:", b"    documentation: https://docs.medusa.example/\n    features:")
    found = _check(data, {REPO: (200, b""), "https://docs.medusa.example/": (200, b"")})
    assert [("error", "landingURL", 3)] == [f[:3] for f in found]


@pytest.mark.parametrize(
    ("logo", "pages", "message"),
    [
        ("https://img.example/logo.png", {"https://img.example/logo.png": (200, png(300))}, None),
        (
            "https://img.example/logo.png",
            {},
            "HTTP GET failed for https://img.example/logo.png: not found",
        ),
        (
            "https://img.example/logo.png",
            {"https://img.example/logo.png": (200, png(50))},
            "invalid image size of 50",
        ),
        (
            "https://img.example/logo.png",
            {"https://img.example/logo.png": (200, b"<html>")},
            "image: unknown format",
        ),
        ("https://img.example/logo.gif", {}, "invalid file extension"),
    ],
)
def test_remote_logo(logo: str, pages: dict[str, tuple[int, bytes]], message: str | None) -> None:
    """A remote logo must download, have a logo extension and be a wide enough PNG."""
    data = MINIMAL.replace(b"name: Medusa", b"name: Medusa\nlogo: " + logo.encode())
    found = _check(data, {REPO: (200, b""), **pages})
    assert ([] if message is None else [("logo", True)]) == [
        (f[1], message in f[3]) for f in found if message
    ]


def test_relative_logo_uses_base_url() -> None:
    """With the repository's raw base URL, a relative logo is fetched from there."""
    data = MINIMAL.replace(b"name: Medusa", b"name: Medusa\nlogo: img/logo.svg")
    raw = "https://raw.example/medusa/main"
    assert [] == _check(
        data, {REPO: (200, b""), f"{raw}/img/logo.svg": (200, b"<svg/>")}, base_url=raw
    )
    assert ["logo"] == [f[1] for f in _check(data, {REPO: (200, b"")}, base_url=raw)]


def test_private_hosts_are_refused() -> None:
    """URLs leading to private addresses are not fetched (SSRF guard)."""
    data = MINIMAL.replace(b"https://github.com/italia/medusa.git", b"http://127.0.0.1/medusa.git")
    found = _check(data, {"http://127.0.0.1/medusa.git": (200, b"")})
    assert [("error", "url", 3)] == [f[:3] for f in found]
    assert "non-public address" in found[0][3]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/italia/medusa", True),
        ("https://gitlab.example.org/group/sub/project", True),
        ("https://example.org/code/project.git", True),
        ("https://example.org/project", False),
        ("https://github.com/italia", False),
    ],
)
def test_code_repository_urls(url: str, expected: bool) -> None:
    """url must name a repository on a forge."""
    assert expected == is_code_repository(url)


@pytest.mark.parametrize(
    "url", [b'"http://[::1"', b'"https://exa mple.org/x"', b'"https://x.org:99999/"']
)
def test_malformed_urls_are_findings(url: bytes) -> None:
    """URLs Python cannot split or httpx cannot request give findings, not exceptions."""
    data = MINIMAL.replace(b'"https://github.com/italia/medusa.git"', url)
    found = _check(data, {})
    assert ["url"] == sorted({f[1] for f in found})
