"""Which environment variables a forge registration may name as its token (``token_env``).

A registration never holds a token; it names the variable the crawl reads it from. That name is
an instruction to send the variable's value to the forge as a bearer token, so it is checked:

- codereuse's own settings (every ``CODEREUSE_*`` variable but those starting with
  ``CODEREUSE_FORGE_TOKEN_``) and the PostgreSQL password variable are never allowed, wherever the
  registration comes from (CLI, registry file, API) and again at crawl time;
- over the API (a registrant, not the operator) only the names the operator allowed in
  ``CODEREUSE_ALLOWED_TOKEN_ENV`` (exact names, or prefixes ending in ``*``) are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FORGE_TOKEN_PREFIX = "CODEREUSE_FORGE_TOKEN_"
DEFAULT_ALLOWED_TOKEN_ENV = ("GITHUB_TOKEN", "GITLAB_TOKEN", f"{FORGE_TOKEN_PREFIX}*")
# Secrets of codereuse itself that live outside the CODEREUSE_ prefix (libpq reads PGPASSWORD).
_OWN_SECRETS = frozenset({"PGPASSWORD"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HOW_TO_ALLOW = (
    "the server's operator can allow more with CODEREUSE_ALLOWED_TOKEN_ENV "
    '(a JSON list of names or PREFIX*, e.g. ["GITHUB_TOKEN", "LAND_*"])'
)


def is_own_setting(name: str) -> bool:
    """True when `name` is one of codereuse's own settings or secrets (never a forge token).

    Environment names are compared case-insensitively, as the settings read them.
    """
    upper = name.upper()
    if upper in _OWN_SECRETS:
        return True
    return upper.startswith("CODEREUSE_") and not upper.startswith(FORGE_TOKEN_PREFIX)


def is_allowed(name: str, allowed: Sequence[str]) -> bool:
    """True when `name` matches an entry of `allowed` (an exact name or a ``PREFIX*``)."""
    for entry in allowed:
        if entry.endswith("*") and name.startswith(entry[:-1]):
            return True
        if name == entry:
            return True
    return False


def token_env_problem(name: str, *, allowed: Sequence[str] | None = None) -> str | None:
    """Why `name` may not be a registration's token variable, or None when it may.

    `allowed` is the operator's list for registrations over the API; None (the CLI, registry
    files, the crawl) only refuses malformed names and codereuse's own settings.
    """
    if not _NAME.fullmatch(name):
        # Not repeated: what was pasted here may be the token itself.
        return (
            "token_env is not the NAME of an environment variable (like GITLAB_TOKEN); "
            "give the variable's name, never the token itself"
        )
    if is_own_setting(name):
        return (
            f"token_env {name} names one of codereuse's own settings, which is never sent to a "
            f"forge; put the forge's token in a variable of its own, e.g. {FORGE_TOKEN_PREFIX}"
            "LAND"
        )
    if allowed is not None and not is_allowed(name, allowed):
        shown = ", ".join(allowed) if allowed else "none"
        return (
            f"token_env {name} is not among the variables this server lets registrations name "
            f"({shown}); {_HOW_TO_ALLOW}"
        )
    return None
