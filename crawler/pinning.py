"""Connections pinned to checked addresses: the SSRF guard at the moment of connecting.

httpx resolves a host name itself when it connects, so a check done beforehand
(`crawler.addresses.check_host`) can be fooled by DNS rebinding: a name answering a public
address to the check and 127.0.0.1 to the connection. The backends here make the one DNS
lookup the check (`crawler.addresses.checked_addresses`) and connect to an address from that
very answer, for every connection a client opens: the first request, every redirect hop, every
pagination link. TLS still verifies the certificate for the host name and sends it as SNI
(httpcore passes the URL's host to ``start_tls``), and the Host header is the URL's.

`PinnedTransport` (async, the crawl) and `PinnedSyncTransport` (blocking, the registration check
and ``validate --network``) are httpx transports built on them. Requests through a proxy
(``HTTPS_PROXY``) are resolved by the proxy; the request hook (`crawler.addresses.request_guard`)
still refuses non-public names and literals before they are sent.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import anyio.to_thread
import httpcore
import httpx

from crawler.addresses import Resolver, checked_addresses

SocketOption = Any
"""httpcore's socket option tuples (``(level, option, value)``), passed through unchanged."""


class _Pin:
    """What both backends share: the refusal context and the one checked lookup."""

    def __init__(self, where: str, allow_private: bool, resolver: Resolver | None) -> None:
        self.where = where
        self.allow_private = allow_private
        self.resolver = resolver

    def addresses(self, host: str) -> list[str]:
        """`checked_addresses` of `host`: connect to these and no other."""
        return checked_addresses(
            host, where=self.where, allow_private=self.allow_private, resolver=self.resolver
        )


class PinnedBackend(_Pin, httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to the addresses it just checked.

    Args:
        where: names the forge or file in refusals.
        allow_private: no check (on-premises forges); the name is handed on as is.
        resolver: the one DNS lookup (default: the system's); tests inject a fake.
        base: the backend that makes the TCP connections (default: anyio); tests pass one
            that maps a public address onto a loopback listener.
    """

    def __init__(
        self,
        *,
        where: str,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        base: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        super().__init__(where, allow_private, resolver)
        self.base = base or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve and check `host` once, then connect to the first checked address that answers.

        Raises:
            RegistrationError: the host is not public (see `checked_addresses`).
            httpcore.ConnectError, httpcore.ConnectTimeout: no checked address answered.
        """
        addresses = await anyio.to_thread.run_sync(functools.partial(self.addresses, host))
        failure: Exception = httpcore.ConnectError(f"{host}: no address to connect to")
        for address in addresses:
            try:
                return await self.base.connect_tcp(
                    address,
                    port,
                    timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refused: forges are reached over TCP only."""
        raise httpcore.ConnectError(f"{self.where}: Unix sockets are not used for forges")

    async def sleep(self, seconds: float) -> None:
        """Sleep as the base backend does (httpcore's retries)."""
        await self.base.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with every connection made through a `PinnedBackend`."""

    def __init__(self, backend: PinnedBackend) -> None:
        super().__init__()
        # httpx has no parameter for httpcore's network backend, so the pool httpx built is
        # replaced by the same default pool with ours; the transport's request handling and
        # exception mapping stay httpx's own.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=backend
        )


class PinnedSyncBackend(_Pin, httpcore.NetworkBackend):
    """The blocking twin of `PinnedBackend`, for the registration check and `validate --network`."""

    def __init__(
        self, *, where: str, allow_private: bool = False, resolver: Resolver | None = None
    ) -> None:
        super().__init__(where, allow_private, resolver)
        self.base = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        """As `PinnedBackend.connect_tcp`, blocking."""
        failure: Exception = httpcore.ConnectError(f"{host}: no address to connect to")
        for address in self.addresses(host):
            try:
                return self.base.connect_tcp(
                    address,
                    port,
                    timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure


class PinnedSyncTransport(httpx.HTTPTransport):
    """httpx's blocking transport with every connection made through a `PinnedSyncBackend`."""

    def __init__(self, backend: PinnedSyncBackend) -> None:
        super().__init__()
        # As in `PinnedTransport`: httpx offers no parameter for the network backend.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=backend
        )
