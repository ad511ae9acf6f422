"""The SSRF guard judges an address by what it reaches: embedded IPv4 and IANA special blocks."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.addresses import check_host_form, embedded_ipv4, is_public_address
from schemas.errors import RegistrationError

IPv4 = ipaddress.IPv4Address
IPv6 = ipaddress.IPv6Address


@pytest.mark.parametrize(
    "host",
    [
        "::127.0.0.1",
        "[::169.254.169.254]",
        "::10.0.0.1",
        "::ffff:0:127.0.0.1",
        "::ffff:0:169.254.169.254",
        "fec0::1",
        "[fec0::a9fe:a9fe]",
        "64:ff9b:1::a9fe:a9fe",
        "64:ff9b:1::8.8.8.8",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "3fff::1",
        "100::1",
        "5f00::1",
    ],
)
def test_addresses_that_reach_no_public_host_are_refused(host: str) -> None:
    """IPv4-compatible, translated, site-local, local-use NAT64 and other special forms are refused."""
    with pytest.raises(RegistrationError) as caught:
        check_host_form(host, where=f"https://{host}")
    assert "--allow-private" in str(caught.value)


@pytest.mark.parametrize(
    "host", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(host: str) -> None:
    """Global unicast addresses, and a mapped public IPv4, are accepted."""
    check_host_form(host, where=f"https://{host}")


_V4 = st.integers(min_value=0, max_value=2**32 - 1).map(IPv4)
_PRIVATE_V4 = _V4.filter(lambda address: not is_public_address(address))


def _wrappings(inner: IPv4) -> list[IPv6]:
    """Every IPv6 form that embeds `inner`."""
    value = int(inner)
    return [
        IPv6(0xFFFF << 32 | value),  # mapped
        IPv6(value),  # compatible
        IPv6(0xFFFF0000 << 32 | value),  # translated
        IPv6(0x0064FF9B << 96 | value),  # NAT64 well-known prefix
        IPv6(0x0064FF9B0001 << 80 | value),  # NAT64 local-use prefix
        IPv6(0x2002 << 112 | value << 80 | 1),  # 6to4
        IPv6(0x20010000 << 96 | (value ^ 0xFFFFFFFF)),  # Teredo client (obfuscated)
    ]


@given(_PRIVATE_V4)
def test_no_wrapping_of_a_private_ipv4_is_public(inner: IPv4) -> None:
    """However an IPv6 address embeds a non-public IPv4 address, it is not public."""
    assert [] == [str(a) for a in _wrappings(inner) if is_public_address(a)]


@given(st.integers(min_value=0, max_value=2**128 - 1).map(IPv6))
def test_public_ipv6_is_global_unicast_or_reaches_a_public_ipv4(address: IPv6) -> None:
    """A public IPv6 address lies in 2000::/3, or is a mapped/NAT64 form of a public IPv4."""
    if not is_public_address(address):
        return
    in_global_unicast = address in ipaddress.IPv6Network("2000::/3")
    transparent = address.ipv4_mapped is not None or address in ipaddress.IPv6Network(
        "64:ff9b::/96"
    )
    assert in_global_unicast or transparent
    assert all(is_public_address(inner) for inner in embedded_ipv4(address))
    assert address.is_global


@given(_V4)
def test_mapped_and_nat64_forms_reach_what_their_ipv4_reaches(inner: IPv4) -> None:
    """::ffff:a.b.c.d and 64:ff9b::a.b.c.d are public exactly when a.b.c.d is."""
    value = int(inner)
    expected = is_public_address(inner)
    assert expected == is_public_address(IPv6(0xFFFF << 32 | value))
    assert expected == is_public_address(IPv6(0x0064FF9B << 96 | value))
