"""Canonical repository URLs and the record ids derived from them.

One piece of software hosted on several forges must become one record, so every URL that names a
repository is normalised the same way before it is compared or stored (architecture decision 2):
https scheme, lower-case host without default port and credentials, no ``.git`` suffix, no
trailing slash, no query or fragment, no forge UI suffixes (``/-/tree/main``, ``/tree/main``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from schemas.errors import InvalidURLError

_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>(?!//)[^\s/][^\s]*/[^\s]+)$")
# Forge UI paths that point inside a repository, not at it: GitLab's "/-/..." and GitHub's views.
_UI_SUFFIX = re.compile(r"/(?:-/.*|(?:tree|blob|commits?|issues|pulls|releases|wiki)(?:/.*)?)$")


def canonical_url(url: str) -> str:
    """Return the canonical https URL of the repository that `url` names.

    Accepts browser URLs, clone URLs (``https://…/x.git``, ``git@host:group/x.git``,
    ``ssh://git@host/x``) and URLs with credentials, ports or trailing slashes.

    Raises:
        InvalidURLError: `url` does not name a host and a path.
    """
    text = url.strip()
    scp = _SCP_LIKE.match(text)
    if scp and "://" not in text:
        text = f"https://{scp.group('host')}/{scp.group('path')}"
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
    except ValueError:  # an unclosed or malformed IPv6 host ("Invalid IPv6 URL")
        raise _invalid(url, "url.ipv6") from None
    try:
        port = parts.port if parts.scheme in {"http", "https"} else None
    except ValueError:  # "Port could not be cast to integer value", "Port out of range"
        raise _invalid(url, "url.port") from None
    if parts.scheme.lower() not in {"http", "https", "git", "ssh", "git+ssh"}:
        raise _invalid(url, "url.scheme", scheme=parts.scheme)
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise _invalid(url, "url.no_host")
    fault = host_fault(host)
    if fault:
        raise _invalid(url, fault[0], **fault[1])
    if port in {80, 443}:
        port = None
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    path = _UI_SUFFIX.sub("", path)
    if path.lower().endswith(".git"):
        path = path[: -len(".git")]
    path = path.rstrip("/")
    if not path:
        raise _invalid(url, "url.no_path")
    netloc = f"{host}:{port}" if port else host
    return f"https://{netloc}{path}"


def canonical_host(url: str) -> str | None:
    """The host of `url`'s canonical URL with its port when not the default (``host:8443``),
    or None when `url` names no repository: two forges on one host are two accounts' homes."""
    try:
        return urlsplit(canonical_url(url)).netloc
    except InvalidURLError:
        return None


def canonical_id(url: str) -> str:
    """Return the record id for the repository at `url`: ``host/path`` of its canonical URL, lower-case.

    GitHub and GitLab resolve namespaces case-insensitively, so ids are case-folded; the
    record keeps the forge's own spelling in its `url`.
    """
    return canonical_url(url).removeprefix("https://").lower()


_MAX_LABEL = 63
_MAX_NAME = 253


URL_REASONS: dict[str, str] = {
    "url.ipv6": "not a URL (the host in brackets is no IPv6 address); give an https URL",
    "url.port": "not a URL (the port is not a number between 0 and 65535); give an https URL",
    "url.scheme": "unsupported scheme {scheme!r}; use an https URL",
    "url.no_host": "no host; give a full URL like https://gitlab.example.org/group/project",
    "url.no_path": "no repository path; give the repository's URL, not the forge's",
    "url.host_space": "the host {host!r} holds a space or control character; check the address",
    "url.host_empty_label": "the host {host!r} has an empty label (a dot too many); check the "
    "address",
    "url.host_long_label": "the host {host!r} has a label longer than {limit} characters",
    "url.host_not_idna": "the host {host!r} is not a valid (internationalised) host name",
    "url.host_too_long": "the host {host!r} is longer than {limit} characters",
}
"""Why a URL names no repository, in English by code; the pages word each code in their own
language (``url.*`` in ``api/i18n``), filled from the error's `params`."""


def _invalid(url: str, code: str, **params: str | int) -> InvalidURLError:
    return InvalidURLError(url, URL_REASONS[code].format(**params), code=code, params=params)


def host_fault(host: str) -> tuple[str, dict[str, str | int]] | None:
    """Why `host` (lower-case, from `urlsplit`) cannot be a DNS name, as a code of
    `URL_REASONS` and its parameters, or None when it can.

    Empty labels (``a..b``), labels over 63 bytes, names over 253 bytes and names the IDNA codec
    cannot encode are refused here, so they become a clear error instead of a ``UnicodeError``
    from the resolver. IPv6 literals (``urlsplit`` drops their brackets) are left to the caller.
    """
    if ":" in host:
        return None
    shown = host if len(host) <= 80 else f"{host[:77]}..."
    if any(character.isspace() or not character.isprintable() for character in host):
        return "url.host_space", {"host": shown}
    total = 0
    for label in host.rstrip(".").split("."):
        if not label:
            return "url.host_empty_label", {"host": shown}
        try:
            encoded = label.encode("idna")
        except UnicodeError:
            encoded = b""
        if len(encoded) > _MAX_LABEL or (not encoded and len(label) > _MAX_LABEL):
            return "url.host_long_label", {"host": shown, "limit": _MAX_LABEL}
        if not encoded:
            return "url.host_not_idna", {"host": shown}
        total += len(encoded) + 1
    if total - 1 > _MAX_NAME:
        return "url.host_too_long", {"host": shown, "limit": _MAX_NAME}
    return None


def host_problem(host: str) -> str | None:
    """Why `host` cannot be a DNS name, in English (`host_fault`), or None when it can."""
    fault = host_fault(host)
    return URL_REASONS[fault[0]].format(**fault[1]) if fault else None
    shown = host if len(host) <= 80 else f"{host[:77]}..."
    if any(character.isspace() or not character.isprintable() for character in host):
        return f"the host {shown!r} holds a space or control character; check the address"
    total = 0
    for label in host.rstrip(".").split("."):
        if not label:
            return f"the host {shown!r} has an empty label (a dot too many); check the address"
        try:
            encoded = label.encode("idna")
        except UnicodeError:
            encoded = b""
        if len(encoded) > _MAX_LABEL or (not encoded and len(label) > _MAX_LABEL):
            return f"the host {shown!r} has a label longer than {_MAX_LABEL} characters"
        if not encoded:
            return f"the host {shown!r} is not a valid (internationalised) host name"
        total += len(encoded) + 1
    if total - 1 > _MAX_NAME:
        return f"the host {shown!r} is longer than {_MAX_NAME} characters"
    return None
