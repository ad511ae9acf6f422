"""The python-gitlab client GitLab's writers (`proposals.py`, `issues.py`) write through.

The token goes in ``Authorization: Bearer`` (personal, group or project access tokens with the
``api`` scope work so) to the registered instance only; python-gitlab's own retries are off, so
a write is never repeated on its own.
"""

from __future__ import annotations

import gitlab

from crawler.writers import WRITE_TIMEOUT


def write_client(base_url: str, token: str) -> gitlab.Gitlab:
    """A client of the GitLab instance at `base_url` with `token`."""
    return gitlab.Gitlab(
        base_url.rstrip("/"), oauth_token=token, timeout=WRITE_TIMEOUT, retry_transient_errors=False
    )
