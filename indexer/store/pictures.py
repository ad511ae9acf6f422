"""Stored pictures: logos and screenshots the crawl fetched and re-encoded, or refused."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select

from indexer.store.models import PictureRow
from schemas.picture import Picture, picture_key

__all__ = ["Picture", "get", "known", "picture_key", "save", "summaries"]


def save(connection: Connection, picture: Picture) -> None:
    """Insert or replace the picture of `picture.url`."""
    key = picture.key
    connection.execute(delete(PictureRow).where(PictureRow.key == key))
    connection.execute(insert(PictureRow).values(key=key, **dataclasses.asdict(picture)))


def get(connection: Connection, key: str) -> Picture | None:
    """The picture stored under `key`, or None."""
    row = connection.execute(select(PictureRow).where(PictureRow.key == key)).one_or_none()
    if row is None:
        return None
    return Picture(
        row.url, row.media_type, row.data, row.width, row.height, row.problem, row.fetched_at
    )


def known(connection: Connection, urls: Iterable[str]) -> set[str]:
    """Those of `urls` that have a stored picture (fetched or refused)."""
    keys = {picture_key(url): url for url in urls}
    found: set[str] = set()
    chunk = list(keys)
    for start in range(0, len(chunk), 500):
        rows = connection.execute(
            select(PictureRow.key).where(PictureRow.key.in_(chunk[start : start + 500]))
        )
        found.update(keys[key] for (key,) in rows)
    return found


def summaries(connection: Connection, keys: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Width and height of each of `keys` that is a usable picture (not refused)."""
    rows = connection.execute(
        select(PictureRow.key, PictureRow.width, PictureRow.height).where(
            PictureRow.key.in_(list(keys)), PictureRow.data.is_not(None)
        )
    )
    return {key: (int(width or 0), int(height or 0)) for key, width, height in rows}
