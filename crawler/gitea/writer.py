"""The httpx client Gitea's and Forgejo's writers (`proposals.py`, `issues.py`) write through.

The token (``Authorization: token …``) goes to the registered forge's ``/api/v1`` only;
redirects are not followed.
"""

from __future__ import annotations

import httpx

from crawler.writers import WRITE_TIMEOUT


def write_client(
    rest_base: str, token: str, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A client of the API at `rest_base` (``…/api/v1``) with `token`; tests hand `transport`."""
    return httpx.Client(
        base_url=rest_base.rstrip("/"),
        headers={"Authorization": f"token {token}", "Accept": "application/json"},
        timeout=WRITE_TIMEOUT,
        follow_redirects=False,
        transport=transport,
    )
