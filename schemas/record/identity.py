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
        port = parts.port if parts.scheme in {"http", "https"} else None
    except ValueError as error:  # a malformed IPv6 host or port
        raise InvalidURLError(url, f"not a URL ({error}); give an https URL") from None
    if parts.scheme.lower() not in {"http", "https", "git", "ssh", "git+ssh"}:
        raise InvalidURLError(url, f"unsupported scheme {parts.scheme!r}; use an https URL")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise InvalidURLError(
            url, "no host; give a full URL like https://gitlab.example.org/group/project"
        )
    problem = host_problem(host)
    if problem:
        raise InvalidURLError(url, problem)
    if port in {80, 443}:
        port = None
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    path = _UI_SUFFIX.sub("", path)
    if path.lower().endswith(".git"):
        path = path[: -len(".git")]
    path = path.rstrip("/")
    if not path:
        raise InvalidURLError(url, "no repository path; give the repository's URL, not the forge's")
    netloc = f"{host}:{port}" if port else host
    return f"https://{netloc}{path}"


def canonical_id(url: str) -> str:
    """Return the record id for the repository at `url`: ``host/path`` of its canonical URL, lower-case.

    GitHub and GitLab resolve namespaces case-insensitively, so ids are case-folded; the
    record keeps the forge's own spelling in its `url`.
    """
    return canonical_url(url).removeprefix("https://").lower()


_MAX_LABEL = 63
_MAX_NAME = 253


def host_problem(host: str) -> str | None:
    """Why `host` (lower-case, from `urlsplit`) cannot be a DNS name, or None when it can.

    Empty labels (``a..b``), labels over 63 bytes, names over 253 bytes and names the IDNA codec
    cannot encode are refused here, so they become a clear error instead of a ``UnicodeError``
    from the resolver. IPv6 literals (``urlsplit`` drops their brackets) are left to the caller.
    """
    if ":" in host:
        return None
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
