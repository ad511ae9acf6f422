"""The SSRF guard: which hosts a registration (and a crawl) may talk to.

A registered forge URL is fetched by our server, so a URL that leads to loopback, a private
network, a link-local or cloud-metadata address would let whoever registers a forge probe the
network codereuse runs in. `check_host` refuses such hosts in every spelling we know of:

* literal IPv4 in dotted, short (``127.1``), decimal (``2130706433``), hexadecimal
  (``0x7f.1``) and octal (``0177.0.0.1``) forms, as ``inet_aton`` and browsers read them;
* literal IPv6, bracketed or not, judged by what they reach: the IPv4 address embedded in
  mapped, compatible, translated, NAT64, 6to4 and Teredo forms must be public, and anything
  else must be global unicast (2000::/3) outside the IANA special-purpose blocks;
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


_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")
"""The only IPv6 block IANA allocates for global unicast; nothing outside it reaches the internet."""
_TRANSPARENT_V6 = (ipaddress.IPv6Network("::ffff:0:0/96"), ipaddress.IPv6Network("64:ff9b::/96"))
"""IPv4-mapped and well-known NAT64 addresses reach exactly the IPv4 address they embed."""
_NOT_GLOBAL_V4 = tuple(
    ipaddress.IPv4Network(block)
    for block in (
        # IANA IPv4 Special-Purpose Address Registry, entries not globally reachable (2025).
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    )
)  # fmt: skip
_NOT_GLOBAL_V6 = tuple(
    ipaddress.IPv6Network(block)
    for block in (
        # IANA IPv6 Special-Purpose Address Registry, entries inside 2000::/3 not globally
        # reachable; 2001::/23 holds Teredo, benchmarking and ORCHID (its few anycast service
        # addresses run no forge). Everything outside 2000::/3 is refused by `_GLOBAL_UNICAST_V6`.
        "2001::/23", "2001:db8::/32", "3fff::/20",
    )
)  # fmt: skip


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address embeds, in every form that can carry one.

    IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d`` (deprecated, RFC 4291),
    IPv4-translated ``::ffff:0:a.b.c.d`` (RFC 2765), NAT64 ``64:ff9b::a.b.c.d`` (RFC 6052),
    6to4 ``2002:aabb:ccdd::`` (RFC 3056) and Teredo's server and client (RFC 4380). Empty for
    IPv4 addresses and IPv6 addresses of no such form.
    """
    if isinstance(address, ipaddress.IPv4Address):
        return []
    value = int(address)
    low = ipaddress.IPv4Address(value & 0xFFFFFFFF)
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if value >> 32 in (0, 0xFFFF0000) or address in _TRANSPARENT_V6[1]:
        found.append(low)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    return found


def is_public_address(address: IPAddress) -> bool:
    """True when `address` reaches a globally routable unicast host, judged by what it reaches.

    IPv4: globally reachable per ``ipaddress`` and the IANA special-purpose registry. IPv6: every
    IPv4 address it embeds (`embedded_ipv4`) must be public; mapped and NAT64 addresses are then
    public as their IPv4 is; anything else must lie in global unicast 2000::/3 outside the
    registry's non-global blocks. So ``::127.0.0.1``, ``::ffff:0:127.0.0.1``, ``fec0::/10``,
    ``64:ff9b:1::/48`` and ``fd00::/8`` are refused however the IPv4 inside them looks.
    """
    if isinstance(address, ipaddress.IPv4Address):
        return (
            address.is_global
            and not address.is_multicast
            and not any(address in block for block in _NOT_GLOBAL_V4)
        )
    if not all(is_public_address(inner) for inner in embedded_ipv4(address)):
        return False
    if any(address in block for block in _TRANSPARENT_V6):
        return True
    return (
        address in _GLOBAL_UNICAST_V6
        and address.is_global
        and not address.is_multicast
        and not any(address in block for block in _NOT_GLOBAL_V6)
    )


def is_internal_name(host: str) -> bool:
    """True for host names that only resolve inside a network (localhost, *.internal, ...)."""
    name = host.lower().rstrip(".")
    return name in _INTERNAL_NAMES or name.endswith(_INTERNAL_SUFFIXES)


def system_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for `host` (IPv4 and IPv6), in its order."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    # The resolver's order is the preferred one (RFC 6724); only duplicates go.
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


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


def checked_addresses(
    host: str, *, where: str, allow_private: bool = False, resolver: Resolver | None = None
) -> list[str]:
    """The addresses to connect to for `host`, each one checked: connect to these and no other.

    An IP literal gives itself; a name gives its DNS answer (one lookup, with `resolver` or the
    system's), refused whole when any address in it is not public, since an attacker's DNS can
    choose which one a client picks. With `allow_private` nothing is checked and a name is
    returned as is, for the operating system to resolve.

    Raises:
        RegistrationError: naming `where`, the offending address and what to do; also for a
            name that does not resolve, since nothing could be checked.
    """
    literal = parse_ip_literal(host)
    if allow_private:
        return [str(literal) if literal is not None else host]
    check_host_form(host, where=where)
    if literal is not None:
        return [str(literal)]
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
    return answers


def check_host(
    host: str, *, where: str, allow_private: bool = False, resolver: Resolver | None = None
) -> None:
    """Refuse `host` when its form or any address its DNS answer holds is not public.

    The check alone, for messages before any connection (registration, imports); connections
    themselves go through `crawler.pinning`, which connects to the addresses it checked.

    Raises:
        RegistrationError: as `checked_addresses`.
    """
    checked_addresses(host, where=where, allow_private=allow_private, resolver=resolver)


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
