"""The crawl's last step: fetch the logos and screenshots records name that are not stored yet.

Wires `crawler.pictures` (fetching, checking, re-encoding behind the SSRF guard) to the store
(`Store.save_picture`), since neither package may know the other. Each URL is fetched once:
a refusal is stored too, with its reason, so a broken logo is not retried on every crawl.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpcore
import httpx

from crawler.addresses import Resolver
from crawler.pictures import PictureKind, fetch_pictures, picture_client
from indexer.store import Store
from schemas.picture import Picture

MAX_PER_RUN = 500
"""Pictures fetched per crawl at most (the rest follow on the next crawls)."""
MAX_SCREENSHOTS = 5


def wanted_pictures(store: Store) -> Iterator[tuple[str, PictureKind]]:
    """(URL, kind) of every https logo and first screenshots of the live records, once each."""
    seen: set[str] = set()
    for text in store.iter_documents():
        document = json.loads(text)
        urls: list[tuple[str, PictureKind]] = []
        if document.get("logo"):
            urls.append((document["logo"], "logo"))
        for description in (document.get("descriptions") or {}).values():
            urls += [(url, "screenshot") for url in description.get("screenshots", [])]
        for url, kind in urls[: 1 + MAX_SCREENSHOTS]:
            if isinstance(url, str) and url.startswith("https://") and url not in seen:
                seen.add(url)
                yield url, kind


def fetch_new_pictures(
    store: Store,
    *,
    user_agent: str,
    limit: int = MAX_PER_RUN,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver | None = None,
    network_backend: httpcore.AsyncNetworkBackend | None = None,
) -> tuple[int, int]:
    """Fetch up to `limit` pictures not stored yet; returns (kept, refused)."""
    wanted = list(wanted_pictures(store))
    known = store.known_pictures(url for url, _ in wanted)
    missing = [(url, kind) for url, kind in wanted if url not in known][:limit]
    if not missing:
        return 0, 0

    async def run() -> list[Picture]:
        async with picture_client(
            user_agent=user_agent,
            resolver=resolver,
            transport=transport,
            network_backend=network_backend,
        ) as client:
            return await fetch_pictures(client, missing)

    pictures = asyncio.run(run())
    for picture in pictures:
        store.save_picture(picture)
    kept = sum(1 for picture in pictures if picture.data is not None)
    return kept, len(pictures) - kept
