"""Masking secrets: the one function logs and every store write of findings and errors use.

A forge can echo what it was sent (an error body quoting the ``Authorization`` header), an
exception text can hold a URL with credentials: before such text is logged or stored, `redact`
replaces

* every known secret value: the values of environment variables named like secrets (``*TOKEN*``,
  ``*KEY*``, ``*SECRET*``, ``*PASSWORD*``, ``*CREDENTIAL*``) and of any variable a caller names
  (a forge registration's ``token_env``), see `secret_values`;
* token shapes whoever's they are: GitHub ``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_`` and
  ``github_pat_``, GitLab ``glpat-`` and its other ``gl…-`` prefixes, ``Bearer``/``Basic``/
  ``token`` credentials, ``PRIVATE-TOKEN``/``JOB-TOKEN`` headers, ``private_token=``/
  ``access_token=`` query parameters and ``user:password@`` in URLs

with ``***``. Pure apart from reading ``os.environ`` when no secrets are given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

MASK = "***"
MIN_SECRET_LENGTH = 8
"""Shorter values are not masked: they would mask ordinary words and numbers everywhere."""

_TOKEN_SHAPES = re.compile(
    r"gh[pousr]_[A-Za-z0-9]{20,}"
    r"|github_pat_[A-Za-z0-9_]{20,}"
    r"|gl[a-z]{1,7}-[A-Za-z0-9_\-]{20,}"
    r"|(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"
    r"|(?i:(?<=bearer )[A-Za-z0-9._~+/=\-]{8,})"
    r"|(?i:(?<=basic )[A-Za-z0-9+/=]{12,})"
    r"|(?i:(?<=\btoken )(?=[A-Za-z._\-]*\d)[A-Za-z0-9._\-]{16,})"
    r"|(?i:(?<=private-token: )[^\s\"',;]{8,})"
    r"|(?i:(?<=job-token: )[^\s\"',;]{8,})"
    r"|(?i:(?<=[?&]private_token=)[^&\s\"']+)"
    r"|(?i:(?<=[?&]access_token=)[^&\s\"']+)"
)
_SECRET_NAME = re.compile(r"TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)


def secret_values(environ: Mapping[str, str] | None = None, names: Iterable[str] = ()) -> list[str]:
    """Values to mask: variables named like secrets, and those named in `names`; longest first.

    `environ` defaults to ``os.environ``; `names` are further variable names (the ``token_env``
    of registered forges, whatever they are called). Values shorter than `MIN_SECRET_LENGTH`
    are left out.
    """
    variables = os.environ if environ is None else environ
    wanted = set(names)
    values = {
        value.strip()
        for name, value in variables.items()
        if (name in wanted or _SECRET_NAME.search(name)) and len(value.strip()) >= MIN_SECRET_LENGTH
    }
    return sorted(values, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """`text` with every secret value and token shape replaced by ``***``.

    `secrets` are the exact values to mask (None: `secret_values()` of the environment); token
    shapes are masked either way.
    """
    values = secret_values() if secrets is None else secrets
    for secret in sorted(values, key=len, reverse=True):
        if len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, MASK)
    return _TOKEN_SHAPES.sub(MASK, text)
