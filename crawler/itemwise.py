"""Reading a forge's page item by item when one item spoils the batch; only its own repositories.

Everything a forge answers is hostile input: one repository with a `webUrl` of
``javascript:alert(1)``, a port of 99999, ``null`` or a string where an object belongs must not
abort the page, let alone the forge's crawl on every rerun. `read_each` reads a page's items in
one call (the common case costs nothing more) and, only when that raises, item by item, so the
bad items are reported and dropped and the rest of the page goes on. `page_snapshots` also
drops (with a finding) any repository whose URL is not on the forge's own web host and path
(`off_forge`): one forge cannot write another forge's records.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.record import Record, canonical_url

if TYPE_CHECKING:  # the crawl loop imports this module
    from crawler.base import ForgeCrawler, Page

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Output = TypeVar("Output")


def read_each(
    read: Callable[[list[Item]], list[Output]],
    items: Sequence[Item],
    *,
    report: Callable[[Item, Exception], None],
) -> tuple[list[Item], list[Output]]:
    """``read(items)``; when it raises, each item alone, reporting and dropping those that raise.

    Returns the items that were read and everything read from them. Only `Exception` is
    caught: cancellation and Ctrl-C pass through.
    """
    try:
        return list(items), read(list(items))
    except Exception:  # some item is malformed: find which, below
        pass
    kept: list[Item] = []
    outputs: list[Output] = []
    for item in items:
        try:
            outputs.extend(read([item]))
        except Exception as error:
            report(item, error)
            continue
        kept.append(item)
    return kept, outputs


def describe_item(item: Any) -> str:
    """A short name for a raw forge item in a finding: its path, URL or id, else its type."""
    if isinstance(item, dict):
        for key in ("fullPath", "path_with_namespace", "nameWithOwner", "full_name", "webUrl",
                    "web_url", "url", "id", "databaseId"):  # fmt: skip
            value = item.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return f"{key} {str(value)[:120]!r}"
        return "an item without path, URL or id"
    return f"a {type(item).__name__} where an object was expected"


def page_snapshots(crawler: ForgeCrawler, page: Page) -> list[RepositorySnapshot]:
    """The page's snapshots; an item the kind cannot read is dropped with a finding on the forge."""

    def skipped(item: Any, error: Exception) -> None:
        crawler.report(
            page.scope,
            f"skipped {describe_item(item)} of a listing page: the forge's answer is malformed "
            f"({type(error).__name__}: {error}); the rest of the page was saved",
            incomplete=False,
        )

    snapshots = read_each(
        lambda items: crawler.snapshots_from_page(replace(page, items=items)),
        page.items,
        report=skipped,
    )[1]
    kept = []
    for snapshot in snapshots:
        problem = off_forge(crawler.registration, snapshot.url)
        if problem is None:
            kept.append(snapshot)
        else:
            crawler.report(
                page.scope, f"dropped {snapshot.url[:200]!r}: {problem}", incomplete=False
            )
    return kept


def off_forge(registration: ForgeRegistration, url: str) -> str | None:
    """Why `url` is not a repository on the registration's web host and path, or None if it is.

    A forge may only create or update records under its own web host (and path prefix, for a
    GitLab served below a path): a project whose ``webUrl`` names another host would otherwise
    overwrite another forge's record, or create records for hosts nobody registered.
    """
    forge = urlsplit(registration.url)
    target = urlsplit(canonical_url(url))
    forge_port = forge.port if forge.port not in (80, 443) else None
    if ((target.hostname or ""), target.port) != ((forge.hostname or "").lower(), forge_port):
        return (
            f"the forge answered a repository on another host than its own "
            f"({forge.netloc}); a forge may only list its own repositories"
        )
    prefix = forge.path.rstrip("/").lower()
    if prefix and not target.path.lower().startswith(prefix + "/"):
        return f"the repository lies outside the forge's path {prefix}"
    return None


def page_records(
    crawler: ForgeCrawler,
    normaliser: Callable[..., list[Record]],
    scope: str,
    snapshots: list[RepositorySnapshot],
) -> tuple[list[RepositorySnapshot], list[Record]]:
    """Records of the snapshots; one that cannot be normalised is dropped with a finding."""

    def skipped(snapshot: RepositorySnapshot, error: Exception) -> None:
        logger.warning("normalising %s failed", snapshot.url, exc_info=error)
        crawler.report(
            scope,
            f"{snapshot.url}: could not be read ({type(error).__name__}: {error}); "
            "the repository is left out until this is fixed; please report it",
            incomplete=False,
        )

    return read_each(
        lambda batch: normaliser(batch, registration=crawler.registration),
        snapshots,
        report=skipped,
    )
