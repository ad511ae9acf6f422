"""Fetching the README, LICENSE and manifest texts of a page of repositories, batch by batch.

A kind packs the files its root listings named into batches (`crawler.facts.file_batches`) and
hands each to `fetch_batches` with the function that asks the forge for one batch. A batch the
forge refuses as too complex, or that times out, is split in two and asked again, down to one
repository; anything else is a finding on the forge (the scope stays complete: the listing was
read whole, only some texts are missing, and the records say the files exist but were not read).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from crawler.facts import Wanted
from schemas.errors import ForgeResponseError, GraphQLQueryError, TransientForgeError

if TYPE_CHECKING:
    from crawler.base import ForgeCrawler

Batch = list[tuple[str, list[Wanted]]]
Files = dict[str, dict[str, list[Any]]]
"""Repository key → path → ``[text, size]`` as the forge answered."""
FetchBatch = Callable[[Batch], Awaitable[Files]]


async def fetch_batches(
    crawler: ForgeCrawler, scope: str, batches: Sequence[Batch], fetch: FetchBatch
) -> Files:
    """The files of every batch (see the module docstring); never raises a forge error."""
    found: Files = {}
    pending = [list(batch) for batch in batches]
    while pending:
        batch = pending.pop(0)
        try:
            found.update(await fetch(batch))
        except (GraphQLQueryError, TransientForgeError) as error:
            shrink = getattr(error, "complexity", False) or getattr(error, "timeout", False)
            if shrink and len(batch) > 1:
                half = len(batch) // 2
                pending[:0] = [batch[:half], batch[half:]]
                continue
            crawler.report(scope, _message(batch, error), incomplete=False)
        except ForgeResponseError as error:
            crawler.report(scope, _message(batch, error), incomplete=False)
    return found


def _message(batch: Batch, error: BaseException) -> str:
    return (
        f"README, LICENSE and manifest texts of {len(batch)} repositories not read ({error}); "
        "their records show the files without their texts until they change"
    )
