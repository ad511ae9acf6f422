"""The SSRF guard: which hosts a registration (and a crawl) may talk to.

A registered forge URL is fetched by our server, so a URL that leads to loopback, a private
network, a link-local or cloud-metadata address would let whoever registers a forge probe the
network codereuse runs in. `check_host` refuses such hosts in every spelling we know of:

* literal IPv4 in dotted, short (``127.1``), decimal (``2130706433``), hexadecimal
  (``0x7f.1``) and octal (``0177.0.0.1``) forms, as ``inet_aton`` and browsers read them;
* literal IPv6, bracketed or not, including IPv4-mapped (``::ffff:127.0.0.1``), 6to4 and NAT64
  addresses that embed a private IPv4 address;
* names that only ever resolve inside a network (``localhost``, ``*.localhost``, ``*.local``,
  ``*.internal`` such as ``metadata.google.internal``, ``*.home.arpa``);
* names whose DNS answer holds any non-public address (checked with an injectable resolver).

Anything that is not a globally routable unicast address is refused: that covers loopback,
RFC 1918, link-local (169.254.169.254, the metadata address of AWS, GCP and Azure), unique-local
(fd00:ec2::254, AWS's IPv6 metadata address), CGNAT (100.64.0.0/10), multicast, reserved and
documentation ranges. ``allow_private`` switches the guard off for on-premises forges.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Sequence

import httpx

from schemas.errors import RegistrationError

Resolver = Callable[[str], Sequence[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_INTERNAL_NAMES = frozenset({"localhost", "metadata", "instance-data", "metadata.google.internal"})
_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_HEX_PART = re.compile(r"0x[0-9a-f]*")
_OCTAL_PART = re.compile(r"0[0-7]+")


def _ipv4_part(text: str) -> int | None:
    """One part of an IPv4 literal as inet_aton reads it: 0x.. hex, 0.. octal, else decimal."""
    lowered = text.lower()
    if _HEX_PART.fullmatch(lowered):
        return int(lowered[2:] or "0", 16)
    if _OCTAL_PART.fullmatch(text):
        return int(text, 8)
    if text.isascii() and text.isdigit():
        return int(text, 10)
    return None


def _parse_ipv4_loose(host: str) -> ipaddress.IPv4Address | None:
    """Read `host` as inet_aton does (1 to 4 parts, each decimal, octal or hex), else None."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or any(part == "" for part in parts):
        return None
    numbers = [_ipv4_part(part) for part in parts]
    if any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    *leading, last = values
    if any(value > 255 for value in leading) or last >= 256 ** (5 - len(values)):
        return None
    packed = 0
    for value in leading:
        packed = packed * 256 + value
    packed = packed * 256 ** (5 - len(values)) + last
    return ipaddress.IPv4Address(packed)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host written as an IP literal names, in any of its spellings; else None."""
    text = host.strip().strip("[]").rstrip(".")
    if "%" in text:  # IPv6 zone index, e.g. fe80::1%eth0
        text = text.split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    return _parse_ipv4_loose(text)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """True for a globally routable unicast address (and any IPv4 it embeds is one too)."""
    if not address.is_global or address.is_multicast:
        return False
    embedded = _embedded_ipv4(address)
    return embedded is None or is_public_address(embedded)


def is_internal_name(host: str) -> bool:
    """True for host names that only resolve inside a network (localhost, *.internal, ...)."""
    name = host.lower().rstrip(".")
    return name in _INTERNAL_NAMES or name.endswith(_INTERNAL_SUFFIXES)


def system_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for `host` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


_ADVICE = (
    "codereuse refuses loopback, private, link-local, unique-local, CGNAT and cloud-metadata "
    "addresses; if this is an on-premises forge you trust, register it with --allow-private"
)


def check_host_form(host: str, *, where: str, allow_private: bool = False) -> None:
    """Refuse `host` when its written form (IP literal or internal name) is not public; no DNS.

    Raises:
        RegistrationError: naming `where` (the URL or registry entry) and what to do.
    """
    if allow_private:
        return
    if not host:
        raise RegistrationError(
            f"{where}: no host name; give a full URL like https://gitlab.example.org"
        )
    address = parse_ip_literal(host)
    if address is not None and not is_public_address(address):
        raise RegistrationError(
            f"{where}: host {host} is the non-public address {address}; {_ADVICE}"
        )
    if address is None and is_internal_name(host):
        raise RegistrationError(f"{where}: host {host} names an internal address; {_ADVICE}")


def check_host(
    host: str, *, where: str, allow_private: bool = False, resolver: Resolver | None = None
) -> None:
    """Refuse `host` when its form or any address its DNS answer holds is not public.

    `resolver` maps a host name to its addresses (default: the system resolver); tests inject a
    fake. A name that does not resolve is refused too, since nothing could be checked.

    Raises:
        RegistrationError: naming `where`, the offending address and what to do.
    """
    if allow_private:
        return
    check_host_form(host, where=where)
    if parse_ip_literal(host) is not None:
        return
    resolve = resolver or system_resolver
    try:
        answers = list(resolve(host))
    except OSError as error:
        raise RegistrationError(
            f"{where}: host {host} does not resolve ({error.strerror or error}); check the spelling "
            "and that this machine can reach the forge"
        ) from None
    if not answers:
        raise RegistrationError(f"{where}: host {host} resolves to no address; check the spelling")
    for answer in answers:
        address = parse_ip_literal(answer)
        if address is None or not is_public_address(address):
            raise RegistrationError(
                f"{where}: host {host} resolves to the non-public address {answer}; {_ADVICE}"
            )


def request_guard(
    *, where: str, allow_private: bool = False, resolver: Resolver | None = None
) -> Callable[[httpx.Request], Awaitable[None]]:
    """An httpx *request event hook* refusing requests to non-public hosts, hop by hop.

    httpx runs request hooks for every request of a redirect chain, so installing this on the
    crawl client (``event_hooks={"request": [request_guard(...)]}``) re-checks each redirect
    target and each host's DNS answer at crawl time, not only at registration. Each host is
    checked once per hook (the answer is cached); the blocking DNS lookup runs in a thread.

    Raises (from the hook):
        RegistrationError: the request's host is not public and `allow_private` is False.
    """
    checked: set[str] = set()

    async def guard(request: httpx.Request) -> None:
        host = request.url.host
        if allow_private or host in checked:
            return
        await asyncio.to_thread(check_host, host, where=where, resolver=resolver)
        checked.add(host)

    return guard
