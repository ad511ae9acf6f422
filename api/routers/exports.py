"""``/api/v1/export``: the selected records as CSV, JSON, NDJSON or Parquet, streamed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import chain
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from api.cache import cache_header, change_position
from api.deps import CatalogueQueryDep, ContextDep
from api.export_files import read_parts
from api.exports import EXPORT_FORMATS
from api.exports.csv_rows import kept_for
from api.problems import problem_responses
from api.selection import select_for
from indexer.search.protocol import MAX_PER_PAGE, check_query, check_request

router = APIRouter(prefix="/api/v1", tags=["export"])
ExportFormatName = Literal["csv", "json", "ndjson", "parquet"]


def _started(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks` with the first one already produced, so its store errors still become a problem."""
    first = next(chunks, None)
    return chain([] if first is None else [first], chunks)


@router.get(
    "/export",
    summary="Export the catalogue or a filtered slice of it",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "the records, streamed",
            "content": {
                export.media_type: {
                    "schema": {"type": "array", "items": {"type": "object"}}
                    if export.name == "json"
                    else {"type": "string"}
                }
                for export in EXPORT_FORMATS.values()
            },
        },
        **problem_responses(400, 414, 422, 503),
    },
)
def export(
    context: ContextDep,
    query: CatalogueQueryDep,
    format: ExportFormatName = Query("csv", description="csv, json, ndjson or parquet"),
) -> StreamingResponse:
    """Same filters as the search; streamed in constant memory, whatever the size.

    Without ``q`` every matching record is exported; with ``q`` the ranked hits (up to 10,000).
    Without ``q`` the bytes depend only on the store, so they are kept per change position
    (beside a SQLite store in a file of their own, `api.export_files`; else in the kept
    answers when they fit) and later requests stream the kept bytes.
    """
    store, search, cache = context.store, context.search, context.cache
    # Refuse an unusable query now: once streaming has begun, no problem answer is possible.
    check_query(query.q)
    check_request(query.filters(), (), "relevance", 1, MAX_PER_PAGE, "en")
    # A damaged store is found now, while a 503 problem can still be answered, not after the
    # 200 and half the file (`Store.check_integrity` is a cached quick_check).
    store.check_integrity()
    chosen = EXPORT_FORMATS[format]
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    headers = {
        "Content-Disposition": f'attachment; filename="codereuse-{stamp}.{chosen.extension}"'
    }

    filters = query.filters()

    def produce() -> Iterator[bytes]:
        if chosen.name == "csv" and not query.q and kept_for(filters):
            return context.csv_rows.export(store, filters)  # the same bytes, kept rows reused
        return chosen.write(select_for(chosen, store, search, query))

    if not query.q:
        key = ("export", chosen.name, tuple(query.params()))
        position = change_position(store)
        kept = None if context.exports is None else context.exports.open(key, position, produce)
        if kept is not None:
            file, hit = kept
            cache.count(key, hit)
            return StreamingResponse(
                read_parts(file),
                media_type=chosen.media_type,
                headers={**headers, **cache_header(hit)},
            )
        return StreamingResponse(
            _started(cache.stream(key, position, produce())),
            media_type=chosen.media_type,
            headers=headers,
        )
    return StreamingResponse(_started(produce()), media_type=chosen.media_type, headers=headers)
