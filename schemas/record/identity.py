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
