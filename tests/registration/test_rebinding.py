"""DNS rebinding: connections go to the address the SSRF guard checked, never a second answer.

The attacker's name answers a public address first and 127.0.0.1 afterwards. A victim service
listens on loopback; nothing may reach it, at registration or at crawl time.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import httpcore
import httpx
import pytest

from crawler.pinning import PinnedBackend, PinnedTransport
from crawler.registration import register
from crawler.run import CrawlOptions, crawl_forges
from schemas.errors import RegistrationError
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import locate, minimal_records
from tests.crawler.memory_sink import MemorySink
from tests.fakeserver import serve

PUBLIC = "93.184.215.14"
NAME = "rebind.example.org"


@pytest.fixture
def victim() -> Iterator[tuple[int, list[httpx.Request]]]:
    """A loopback service that records every request reaching it."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"version": "17.0.0"})

    with serve(handle) as port:
        yield port, seen


@pytest.fixture
def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The system resolver answers NAME with a public address once, then with 127.0.0.1."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host  # anyio passes IDNA bytes
        if name != NAME:
            return real(host, port, *args, **kwargs)
        address = PUBLIC if not asked else "127.0.0.1"
        asked.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_registration_never_connects_to_the_rebound_address(
    victim: tuple[int, list[httpx.Request]], rebinding_dns: list[str]
) -> None:
    """`forges add` checks one DNS answer and connects to it; the second answer reaches nothing."""
    port, seen = victim
    with pytest.raises(RegistrationError):
        register(f"http://{NAME}:{port}", kind="gitlab")
    assert [] == seen
    assert PUBLIC == rebinding_dns[0]


def test_crawl_never_sends_the_token_to_the_rebound_address(
    victim: tuple[int, list[httpx.Request]], rebinding_dns: list[str]
) -> None:
    """A crawl with a token connects only to checked addresses: the loopback victim sees nothing."""
    port, seen = victim
    registration = ForgeRegistration(
        name="rebind", kind="gitlab", url=f"http://{NAME}:{port}", token_env="TOKEN"
    )
    reports = asyncio.run(
        crawl_forges(
            [registration],
            MemorySink(),
            CrawlOptions(),
            normalise=minimal_records,
            locate=locate,
            environ={"TOKEN": "secret-token"},
        )
    )
    assert [] == seen
    assert "failed" == reports[0].status
    assert "127.0.0.1" in reports[0].findings[0].message


class _Network(httpcore.AsyncNetworkBackend):
    """A stand-in for the internet: connections to PUBLIC land on a loopback listener."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.asked: list[tuple[str, int]] = []
        self.real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, **options: Any
    ) -> httpcore.AsyncNetworkStream:
        self.asked.append((host, port))
        if host != PUBLIC:
            raise httpcore.ConnectError(f"{host} is not on this test's internet")
        return await self.real.connect_tcp("127.0.0.1", self.port, timeout=timeout)


def test_pinned_transport_connects_to_the_checked_address_with_the_host_name() -> None:
    """The connection goes to the checked address; the Host header still names the forge."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    answers = iter([[PUBLIC], ["127.0.0.1"]])

    async def fetch(port: int, network: _Network) -> list[int]:
        backend = PinnedBackend(where="test", resolver=lambda host: next(answers), base=network)
        async with httpx.AsyncClient(transport=PinnedTransport(backend)) as client:
            first = await client.get(f"http://{NAME}:{port}/api/v4/version")
            # The fake server closes each connection: the next one looks the name up again,
            # gets 127.0.0.1 and is refused.
            with pytest.raises(RegistrationError):
                await client.get(f"http://{NAME}:{port}/x")
            return [first.status_code]

    with serve(handle) as port:
        network = _Network(port)
        statuses = asyncio.run(fetch(port, network))
    assert [200] == statuses
    assert (PUBLIC, port) == network.asked[0]
    assert f"{NAME}:{port}" == seen[0].headers["host"]
    assert all(host == PUBLIC for host, _ in network.asked)
