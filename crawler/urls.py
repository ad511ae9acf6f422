"""Forge URLs as people write them → the canonical base URL and the scope they name.

Kind-neutral: what differs between kinds (UI routes, public hosts, whether a forge is served
from its host's root, how a path names owners and repositories) comes from the kind's spec.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.kinds import KINDS, kind_spec
from schemas.errors import InvalidURLError
from schemas.record.identity import host_problem


def redact_url(url: str) -> str:
    """`url` without user name, password, query and fragment: safe to show in messages."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path}" if parts.scheme else netloc + parts.path


def split_forge_url(url: str) -> tuple[str, str, str]:
    """(scheme, netloc, path) of a forge URL, normalised; raises InvalidURLError."""
    text = url.strip()
    if not text:
        raise InvalidURLError(
            url, "empty URL; give the forge's address, e.g. https://gitlab.example.org"
        )
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
    except ValueError as error:  # an unclosed IPv6 bracket ("Invalid IPv6 URL")
        without_credentials = re.sub(r"//[^/@]*@", "//", text)
        raise InvalidURLError(
            without_credentials, f"not a URL ({error}); give one like https://gitlab.example.org"
        ) from None
    scheme = parts.scheme.lower()
    shown = redact_url(text)
    if scheme not in {"http", "https"}:
        raise InvalidURLError(shown, f"unsupported scheme {scheme!r}; use an https URL")
    try:
        port = parts.port
    except ValueError:
        raise InvalidURLError(shown, "the port is not a number between 0 and 65535") from None
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise InvalidURLError(shown, "no host; give a URL like https://gitlab.example.org")
    problem = host_problem(host)
    if problem:
        raise InvalidURLError(shown, problem)
    if (scheme, port) in {("http", 80), ("https", 443)}:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc = f"{netloc}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    if path.lower().endswith(".git"):
        path = path[: -len(".git")].rstrip("/")
    return scheme, netloc, path


def normalise_forge_url(url: str, *, kind: str | None = None) -> str:
    """The canonical base URL of the forge `url` points into.

    Lower-case scheme and host, no credentials, default port, query, fragment, ``.git`` or trailing
    slash, and no forge UI route (GitLab ``/explore/groups``, ``/dashboard/...``, ``/-/...``;
    GitHub ``/orgs/X``, ...: the `kind`'s routes, or every kind's when no kind is given). A public
    instance (github.com, www.github.com, gitlab.com) is its canonical https URL; a kind served
    from its host's root never has a path (GitHub Enterprise Server), while a GitLab path that is
    not a UI route is kept, since GitLab may be installed under a relative URL root
    (``https://example.org/gitlab``). ``http`` is kept when given (on-premises forges).

    Raises:
        InvalidURLError: no host, a scheme other than http(s), or a bad port.
        RegistrationError: `kind` is not a registered kind.
    """
    scheme, netloc, path = split_forge_url(url)
    for spec in KINDS.values():
        if netloc in spec.public_hosts:
            return spec.public_hosts[netloc]
    chosen = kind_spec(kind) if kind is not None else None
    if chosen is not None and chosen.root_only:
        return f"{scheme}://{netloc}"
    routes = [chosen.ui_routes] if chosen is not None else [s.ui_routes for s in KINDS.values()]
    previous = None
    while previous != path:
        previous = path
        for route in routes:
            path = route.sub("", path)
        path = path.rstrip("/")
        if path.lower().endswith(".git"):
            path = path[: -len(".git")].rstrip("/")
    return f"{scheme}://{netloc}{path}"


def scope_from_url(url: str, *, kind: str) -> tuple[str, list[str], list[str]]:
    """(forge URL, owners, repos) read from a URL that points inside a forge.

    ``https://github.com/orgs/X`` and ``https://github.com/X`` name organisation X,
    ``https://github.com/X/Y`` repository X/Y; on gitlab.com a path names a group (a project path
    cannot be told from a subgroup path without asking, so it is taken as a group). On other GitLab
    instances the path is kept as part of the forge URL (relative URL root).
    """
    _scheme, netloc, path = split_forge_url(url)
    base = normalise_forge_url(url, kind=kind)
    owners, repos = kind_spec(kind).scope_from_path(netloc, path)
    return base, owners, repos
