"""Which registration covers a repository URL, which rule excludes it, and what would cover it.

Pure functions over registrations: the status check (`api.status_check`) asks them. When several
registrations cover a URL (a GitHub Enterprise at a host root and a GitLab group below it, or a
whole instance and one of its groups), the most specific one wins: the longest base path, then
a single-repository entry over a group or organisation, then the longest group path.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from schemas.forge import ForgeRegistration


def _parts(registration: ForgeRegistration, url: str) -> tuple[str, str] | None:
    """(base path, path relative to it) when `url` is on the registration's host and below it."""
    forge = urlsplit(registration.url)
    target = urlsplit(url)
    if (forge.hostname or "").lower() != (
        target.hostname or ""
    ).lower() or forge.port != target.port:
        return None
    base = forge.path.rstrip("/").lower()
    path = target.path.lower()
    if base and not path.startswith(base + "/"):
        return None
    return base, path[len(base) :].strip("/")


def _under(relative: str, prefix: str) -> bool:
    prefix = prefix.lower().strip("/")
    return bool(prefix) and (relative == prefix or relative.startswith(prefix + "/"))


def specificity(registration: ForgeRegistration, url: str) -> tuple[int, int, int] | None:
    """How closely the registration's scope fits `url` (None: it does not cover it)."""
    parts = _parts(registration, url)
    if parts is None:
        return None
    base, relative = parts
    if relative in {repo.lower().strip("/") for repo in registration.repos}:
        return (len(base), 2, len(relative))
    prefixes = [p for p in (*registration.groups, *registration.orgs) if _under(relative, p)]
    if prefixes:
        return (len(base), 1, max(len(p.strip("/")) for p in prefixes))
    if registration.whole_instance:
        return (len(base), 0, 0)
    return None


def covers(registration: ForgeRegistration, url: str) -> bool:
    """True when `url` (canonical) lies within the registration's host and scope."""
    return specificity(registration, url) is not None


def covering(registrations: Iterable[ForgeRegistration], url: str) -> ForgeRegistration | None:
    """The most specific registration covering `url`, or None."""
    ranked = [
        (rank, registration)
        for registration in registrations
        if (rank := specificity(registration, url)) is not None
    ]
    return max(ranked, key=lambda item: item[0])[1] if ranked else None


def excluding_rule(registration: ForgeRegistration, url: str) -> str | None:
    """The registration's `exclude` entry that leaves `url` out, or None."""
    parts = _parts(registration, url)
    if parts is None:
        return None
    return next((rule for rule in registration.exclude if _under(parts[1], rule)), None)


def owner_path(url: str) -> str:
    """The owner part of a repository URL's path (``group/sub`` of ``group/sub/project``)."""
    path = urlsplit(url).path.strip("/")
    return path.rsplit("/", 1)[0] if "/" in path else path


def suggestion(registrations: Iterable[ForgeRegistration], url: str) -> str:
    """What registration would cover `url`: widen one on the same host, or register the host."""
    target = urlsplit(url)
    owner = owner_path(url)
    host = (target.hostname or "").lower()
    for registration in registrations:
        if _parts(registration, url) is not None:
            scope = ", ".join([*registration.groups, *registration.orgs, *registration.repos])
            return (
                f'the registration "{registration.name}" ({registration.url}) covers only '
                f'{scope}; adding "{owner}" to it covers this repository'
            )
    origin = f"{target.scheme}://{target.netloc}"
    return f'registering {origin} with the group or organisation "{owner}" covers it ({host})'
