"""The SSRF guard: private, loopback, link-local and metadata hosts in every spelling."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence

import httpx
import pytest

from crawler.addresses import check_host, check_host_form, parse_ip_literal, request_guard
from schemas.errors import RegistrationError


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0x", "0.0.0.0"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0177.1", "127.0.0.1"),
        ("025177524776", "169.254.169.254"),
        ("169.254.43518", "169.254.169.254"),
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("[fe80::1%25eth0]", "fe80::1"),
        ("93.184.215.14", "93.184.215.14"),
    ],
)
def test_parse_ip_literal_reads_every_spelling(host: str, expected: str) -> None:
    """Dotted, short, decimal, hex, octal and IPv6 forms give the address a browser would use."""
    assert ipaddress.ip_address(expected) == parse_ip_literal(host)


@pytest.mark.parametrize(
    "host", ["gitlab.example.org", "1.2.3.example", "1_0", "256.1.1.1.1", "09.1.1.1x"]
)
def test_parse_ip_literal_leaves_names_alone(host: str) -> None:
    """Host names (and things that only look numeric) are not IP literals."""
    assert None is parse_ip_literal(host)


REFUSED_FORMS = [
    "127.0.0.1",
    "127.1",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "10.0.0.5",
    "172.16.3.4",
    "192.168.1.1",
    "100.64.0.1",
    "169.254.169.254",
    "0.0.0.0",
    "[::1]",
    "::",
    "fd00:ec2::254",
    "fe80::1",
    "::ffff:10.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::",
    "224.0.0.1",
    "localhost",
    "app.localhost",
    "metadata.google.internal",
    "printer.local",
    "router.home.arpa",
]


@pytest.mark.parametrize("host", REFUSED_FORMS)
def test_check_host_form_refuses_non_public_hosts(host: str) -> None:
    """Every non-public address or internal name is refused, with --allow-private advice."""
    with pytest.raises(RegistrationError) as caught:
        check_host_form(host, where=f"https://{host}")
    assert "--allow-private" in str(caught.value)


@pytest.mark.parametrize("host", REFUSED_FORMS)
def test_allow_private_lets_every_host_pass(host: str) -> None:
    """allow_private switches the guard off for on-premises forges."""
    check_host_form(host, where=host, allow_private=True)
    check_host(host, where=host, allow_private=True, resolver=_resolver({}))


def _resolver(answers: dict[str, Sequence[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str) -> Sequence[str]:
        if host not in answers:
            raise OSError(-2, "Name or service not known")
        return answers[host]

    return resolve


def test_check_host_accepts_public_dns_answers() -> None:
    """A name resolving only to public addresses passes."""
    check_host(
        "gitlab.example.org",
        where="https://gitlab.example.org",
        resolver=_resolver(
            {"gitlab.example.org": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]}
        ),
    )


@pytest.mark.parametrize(
    "answer", ["10.1.2.3", "127.0.0.1", "169.254.169.254", "fd00:ec2::254", "::1", "100.100.1.1"]
)
def test_check_host_refuses_names_resolving_to_private_addresses(answer: str) -> None:
    """One non-public address in the DNS answer is enough to refuse (DNS pointing inward)."""
    with pytest.raises(RegistrationError) as caught:
        check_host(
            "innocent.example.org",
            where="https://innocent.example.org",
            resolver=_resolver({"innocent.example.org": ["93.184.215.14", answer]}),
        )
    assert answer in str(caught.value)


def test_check_host_refuses_names_that_do_not_resolve() -> None:
    """A name without DNS answer cannot be checked and is refused with a clear message."""
    with pytest.raises(RegistrationError) as caught:
        check_host(
            "nowhere.example.org", where="https://nowhere.example.org", resolver=_resolver({})
        )
    assert "does not resolve" in str(caught.value)


def _crawl(location: str, *, allow_private: bool = False) -> list[str]:
    """Follow a redirect from a public forge to `location` through the crawl guard."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "gitlab.example.org":
            return httpx.Response(302, headers={"Location": location})
        return httpx.Response(200, json=[])

    async def main() -> None:
        hook = request_guard(
            where="forge opencode",
            allow_private=allow_private,
            resolver=_resolver({"gitlab.example.org": ["93.184.215.14"]}),
        )
        async with httpx.AsyncClient(
            transport=httpx.MockTransport(handler),
            follow_redirects=True,
            event_hooks={"request": [hook]},
        ) as client:
            await client.get("https://gitlab.example.org/api/v4/projects")

    asyncio.run(main())
    return seen


def test_request_guard_stops_a_crawl_redirect_into_the_metadata_service() -> None:
    """The crawl client's hook refuses a redirect to 169.254.169.254 before it is sent."""
    with pytest.raises(RegistrationError) as caught:
        _crawl("http://169.254.169.254/latest/meta-data/")
    assert "forge opencode" in str(caught.value)


def test_request_guard_allows_private_hosts_when_registered_so() -> None:
    """With allow_private the same redirect is followed."""
    assert [
        "https://gitlab.example.org/api/v4/projects",
        "http://169.254.169.254/latest/meta-data/",
    ] == _crawl("http://169.254.169.254/latest/meta-data/", allow_private=True)
