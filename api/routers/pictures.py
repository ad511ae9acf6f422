"""``/pictures/KEY``: a logo or screenshot the crawl fetched, served from our own origin.

The API never fetches anything (architecture: ``api`` never crawls); it serves what the crawl
stored (`cli.pictures_step`), so the pages keep ``img-src 'self'``. Raster pictures were
re-encoded by Pillow; SVG logos passed a strict check and are served under a policy that
allows no script, with ``nosniff`` so no browser takes them for anything else.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import ContextDep, PageLanguageDep, StoreDep
from api.pages import error_page

router = APIRouter(include_in_schema=False)
PICTURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
_KEY = re.compile(r"[0-9a-f]{64}")


@router.get("/pictures/{key}")
def picture(
    request: Request, context: ContextDep, store: StoreDep, language: PageLanguageDep, key: str
) -> Response:
    """The stored picture `key` (SHA-256 of its URL); 404 when unknown or refused."""
    found = store.get_picture(key) if _KEY.fullmatch(key) else None
    if found is None or found.data is None or found.media_type is None:
        return error_page(context.templates, request, language, 404, f"no picture {key[:64]}")
    return Response(
        found.data,
        media_type=found.media_type,
        headers={
            "Content-Security-Policy": PICTURE_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "public, max-age=86400",
        },
    )
