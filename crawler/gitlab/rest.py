"""GitLab REST: group listing URLs and the raw-file fallback.

Listings go through `crawler.listing` (keyset ``pagination=keyset&order_by=id`` is the only way
past the 50,000-row offset cap on ``/projects``; `X-Total` is never relied on, GitLab omits it
above 10,000 rows, gitlab4j-api#305).
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from crawler.http import ForgeClient
from crawler.snapshot import PUBLICCODE_NAMES


def group_projects_url(rest_url: str, group: str) -> str:
    """``/groups/:id/projects`` for a group path (URL-encoded, as the API asks)."""
    return f"{rest_url}/groups/{quote(group, safe='')}/projects"


async def raw_files(
    client: ForgeClient, rest_url: str, project_id: str, ref: str | None
) -> dict[str, tuple[bytes, str | None]]:
    """Fetch both publiccode file names of one project through the raw-file endpoint.

    Returns ``{path: (bytes, blob id)}`` for the names that exist (404 means absent); the blob
    id comes from the ``X-Gitlab-Blob-Id`` header where the forge sends it.
    """

    async def one(name: str) -> tuple[str, bytes, str | None] | None:
        url = f"{rest_url}/projects/{project_id}/repository/files/{quote(name, safe='')}/raw"
        response = await client.request(
            "GET", url, params={"ref": ref or "HEAD"}, raw=True, accept_statuses=(404,)
        )
        if response.status != 200:
            return None
        return name, response.content, response.headers.get("x-gitlab-blob-id")

    found = await asyncio.gather(*(one(name) for name in PUBLICCODE_NAMES))
    return {item[0]: (item[1], item[2]) for item in found if item is not None}
