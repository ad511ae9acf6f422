"""Search document → Meilisearch document, and the document key derived from a record id.

Pure functions. What is searchable, faceted and sorted comes from the shared
`indexer.search.documents.search_document` (both backends index the same thing); this module
only lays it out for Meilisearch:

* per-language texts stay nested (``short_description.de``), so `settings` can rank all
  languages of one text alike and declare each language with ``localizedAttributes``;
* facet fields are top-level attributes named as in the protocol, each a list of strings (also
  the single-valued ``forge`` and ``organisation``); ``declared`` and ``archived`` are booleans (Meilisearch filters and counts them as ``"true"``/``"false"``);
  ``organisation`` holds the organisation's *id* (`DOCUMENT_FORMAT` 2), its name for the hit
  card is ``organisation_name``;
* ranking fields that make mirror copies tie except on the preference (`settle_mirrors`);
* the primary key. Meilisearch document ids allow only ASCII ``[A-Za-z0-9_-]`` (≤ 511 bytes) and
  one bad id fails a whole batch, so the canonical id (``host/path``) cannot be the key. The key
  is a readable slug of the id plus 16 hex digits of its SHA-256: deterministic, and two different
  ids collide only if their hashes do (2⁻⁶⁴). The real id stays in the ``id`` field.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from indexer.search.documents import SearchDocument, search_document
from indexer.search.meilisearch.settings import FACET_ATTRIBUTES, PRIMARY_KEY
from schemas.record import Record

DOCUMENT_FORMAT = 2
"""The layout of the documents; an index synced with another (older) layout is rebuilt by the
next sync (`sync.read_position`). 2: ``organisation`` holds ids, ``organisation_name`` names."""
_NOT_KEY_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")
_SLUG_LENGTH = 120


def document_key(record_id: str) -> str:
    """The Meilisearch primary key for a canonical record id (``[A-Za-z0-9_-]``, ≤ 137 chars)."""
    slug = _NOT_KEY_CHARACTERS.sub("_", record_id).strip("_")[:_SLUG_LENGTH] or "record"
    digest = hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:16]
    return f"{slug}-{digest}"


def layout(document: SearchDocument) -> dict[str, Any]:
    """The Meilisearch document for a shared search document (field names: see `settings`)."""
    laid_out: dict[str, Any] = {
        PRIMARY_KEY: document_key(document.id),
        "id": document.id,
        "url": document.url,
        "name": document.name,
        "name_sort": document.name_sort,
        "names": list(document.names),
        "short_description": dict(document.short),
        "features": {language: list(items) for language, items in document.features.items()},
        "tags": list(document.tags),
        "long_description": dict(document.long),
        "licence_expression": document.licence_expression,
        "declared": document.declared,
        "archived": document.facets.get("archived") == ("true",),
        "valid": document.valid,
        "has_findings": document.facets.get("has_findings") == ("true",),
        "stars": document.stars,
        "last_activity": document.last_activity.isoformat() if document.last_activity else None,
        "last_activity_ts": document.last_activity_ts,
        "mirrors": list(document.mirrors),
        "mirror_group": document_key(document.mirror_group),
        "mirror_rank": document.mirror_rank,
        # Ranking fields, shared by the copies of one software (see `settle_mirrors`).
        "activity_rank_ts": document.last_activity_ts,
        "quality_rank": document.quality_rank,
        "mirror_order": 0,
        "reuse_level": document.reuse_level,
        "maturity_level": document.maturity_level,
        "organisation_name": document.organisation,
    }
    # Facets are lists of strings, even single-valued ones (forge, organisation, …).
    for name in FACET_ATTRIBUTES:
        laid_out[name] = list(document.facets.get(name, ()))
    return laid_out


def to_document(record: Record) -> dict[str, Any]:
    """The Meilisearch document for `record`."""
    return layout(search_document(record))


def settle_mirrors(members: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents of one mirror group with their shared ranking fields set.

    The protocol keeps, of the copies that match, the preferred one (declared before inferred,
    active before archived, then by id) and ranks it by *its* last activity. Meilisearch's
    distinct attribute keeps the best-ranked copy instead, so the copies are made to tie on
    everything but the preference: ``activity_rank_ts`` and ``quality_rank`` are the preferred
    copy's for all of them, and ``mirror_order`` (0, 1, …) is each copy's place in the preference order.
    """
    ordered = sorted(
        members, key=lambda document: (document.get("mirror_rank", 0), str(document.get("id")))
    )
    if not ordered:
        return []
    shared = ordered[0].get("last_activity_ts")
    quality = ordered[0].get("quality_rank", 0)
    return [
        {**document, "activity_rank_ts": shared, "quality_rank": quality, "mirror_order": position}
        for position, document in enumerate(ordered)
    ]


def serialised_batches(
    documents: Iterable[Mapping[str, Any]], max_bytes: int, max_documents: int
) -> Iterator[list[bytes]]:
    """Serialised documents grouped so each batch stays under both limits (a lone bigger one goes alone)."""
    batch: list[bytes] = []
    size = 2
    for document in documents:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        # A lone surrogate cannot be sent as UTF-8 and would fail the whole batch: "?" instead.
        encoded = text.encode("utf-8", "replace")
        if batch and (size + len(encoded) + 1 > max_bytes or len(batch) >= max_documents):
            yield batch
            batch, size = [], 2
        batch.append(encoded)
        size += len(encoded) + 1
    if batch:
        yield batch
