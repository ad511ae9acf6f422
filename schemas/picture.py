"""A logo or screenshot as the crawl fetched it: re-encoded bytes, or why it was refused.

Shared by the crawler (which fetches), the store (which keeps) and the pages (which serve),
so the three agree on one shape.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


def picture_key(url: str) -> str:
    """The key of the picture at `url` (SHA-256 hex of the URL): what ``/pictures/KEY`` names."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Picture:
    """A fetched picture (`data`, `media_type`, size) or a refusal (`data` None, `problem`)."""

    url: str
    media_type: str | None
    data: bytes | None
    width: int | None
    height: int | None
    problem: str | None
    fetched_at: datetime

    @property
    def key(self) -> str:
        return picture_key(self.url)
