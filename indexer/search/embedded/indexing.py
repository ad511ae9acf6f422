"""Writing the embedded index: full builds, upserts and deletes, inside one SQLite transaction.

Each record becomes one ``search_doc`` row, postings of its analysed terms per attribute
(`analyse_document`, `postings`), bits in the facet bitmaps and words in the vocabulary. A
record that is upserted again gets a new rowid (its old postings stay behind, unseen, until
segments are merged or the index is rebuilt; see `schema`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from indexer.search.documents import UNDETERMINED, SearchDocument
from indexer.search.embedded import bitmaps
from indexer.search.embedded.postings import (
    PostingsBuffer,
    dense_threshold,
    merge_segments,
    next_segment,
)
from indexer.search.embedded.schema import ATTRIBUTES
from indexer.search.text import LANGUAGES, language_of, words

_NAME, _SHORT, _FEATURES, _TAGS, _LONG = range(len(ATTRIBUTES))
# Texts in an unknown language (names, categories, forge descriptions) are stemmed in these.
_NAME_LANGUAGES = LANGUAGES
_TAG_LANGUAGES: tuple[str, ...] = ("en", "de")


TextKey = tuple[int, tuple[str, ...], bool]
"""How a text is analysed: ``(attribute index, stemming languages, whether it is German)``."""


@lru_cache(maxsize=1024)
def _analysis(tag: str) -> tuple[tuple[str, ...], bool]:
    """How a text tagged `tag` is analysed: (stemming languages, whether it is German)."""
    language = language_of(tag)
    if language:
        return (language,), language == "de"
    return (_TAG_LANGUAGES if tag == UNDETERMINED else _NAME_LANGUAGES), False


def document_texts(document: SearchDocument) -> dict[TextKey, list[str]]:
    """Every searchable text of `document`, grouped by how it is analysed (`TextKey`).

    Attributes follow `schema.ATTRIBUTES`; names and topics are stemmed in every language (their
    language is unknown), descriptions in their own; names and topics count as German words
    when the record has a German description.
    """
    found: dict[TextKey, list[str]] = {}
    has_german = any(_analysis(tag)[1] for tag in document.short) or any(
        _analysis(tag)[1] for tag in document.long
    )
    found[(_NAME, _NAME_LANGUAGES, has_german)] = list(document.names)
    for attribute, texts in ((_SHORT, document.short), (_LONG, document.long)):
        for tag, text in texts.items():
            key = (attribute, *_analysis(tag))
            known = found.get(key)
            if known is None:
                found[key] = [text]
            else:
                known.append(text)
    for tag, features in document.features.items():
        key = (_FEATURES, *_analysis(tag))
        known = found.get(key)
        if known is None:
            found[key] = list(features)
        else:
            known.extend(features)
    if document.tags:
        found[(_TAGS, _TAG_LANGUAGES, has_german)] = list(document.tags)
    return found


def document_data(document: SearchDocument) -> str:
    """The JSON a hit is built from (texts shown and highlighted, card fields)."""
    return json.dumps(
        {
            "url": document.url,
            "name": document.name,
            "names": list(document.names),
            "short": dict(document.short),
            "features": {tag: list(values) for tag, values in document.features.items()},
            "licence": document.licence_expression,
            "last_activity": document.last_activity.isoformat() if document.last_activity else None,
            "declared": document.declared,
            "valid": document.valid,
            "forge": document.forge,
            "stars": document.stars,
            "organisation": document.organisation,
            "organisation_id": document.organisation_id,
            "mirrors": list(document.mirrors),
        },
        ensure_ascii=False,
    )


class IndexWriter:
    """Applies documents and deletions to the index tables of one connection's transaction.

    Collects postings, facet bits and vocabulary in memory and writes them in `finish`, so a
    build of 100,000 records touches each facet bitmap and each term's postings once. A writer
    made for a rebuild (`rebuild`) writes postings segment 0; any other writes one new segment
    per `finish` (merging segments when there are many, see `postings`). Terms in at least
    `frequent_at` records of a segment are stored as bitmaps (`postings.dense_threshold` by
    default). A rebuild of many records runs its writer in a child process, on a build file of
    its own (`parallel.ParallelRebuild`).
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        frequent_at: int | None = None,
        *,
        rebuild: bool = False,
    ) -> None:
        self._connection = connection
        self._frequent_at = frequent_at
        self._rebuild = rebuild
        self._added: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._cleared: list[int] = []
        self._postings = PostingsBuffer()
        row = connection.execute(
            "SELECT value FROM search_meta WHERE key = 'next_rowid'"
        ).fetchone()
        self._next_rowid = int(row[0]) if row else 1

    def _rowids_of(self, ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for record_id, rowid in self._connection.execute(
                f"SELECT id, rowid FROM search_doc WHERE id IN ({marks})", chunk
            ):
                found[record_id] = rowid
        return found

    def _remove_rows(self, rowids: list[int]) -> None:
        # Its postings stay (see `schema`); the record row and its facet bits go.
        self._connection.executemany(
            "DELETE FROM search_doc WHERE rowid = ?", [(rowid,) for rowid in rowids]
        )
        self._cleared.extend(rowids)

    def add(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace `documents` (by id; the last of a repeated id wins). Returns the count."""
        batch = list({document.id: document for document in documents}.values())
        if not batch:
            return 0
        existing = self._rowids_of([d.id for d in batch])
        if existing:
            self._remove_rows(list(existing.values()))
        doc_rows = []
        for document in batch:
            rowid = self._next_rowid
            self._next_rowid += 1
            doc_rows.append(
                (
                    rowid,
                    document.id,
                    " ".join(words(document.name)),
                    document.name_sort,
                    document.last_activity_ts,
                    document.stars,
                    document.mirror_group,
                    document.mirror_rank,
                    document.quality_rank,
                    document_data(document),
                )
            )
            self._postings.add(rowid, document_texts(document))
            for field, values in document.facets.items():
                for value in values:
                    self._added[(field, value)].append(rowid)
        self._connection.executemany(
            "INSERT INTO search_doc(rowid, id, name_key, name_sort, last_activity, "
            "stars, mirror_group, mirror_rank, quality, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            doc_rows,
        )
        return len(batch)

    def delete(self, ids: Iterable[str]) -> int:
        """Remove records by id; unknown ids are ignored. Returns how many were removed."""
        found = self._rowids_of(list(dict.fromkeys(ids)))
        if not found:
            return 0
        self._remove_rows(list(found.values()))
        return len(found)

    def finish(self) -> None:
        """Write the postings, facet bitmaps and vocabulary collected so far."""
        cleared = bitmaps.from_rowids(self._cleared) if self._cleared else 0
        dense_at = dense_threshold(self._next_rowid, self._frequent_at)
        vocabulary = self._postings.vocabulary()
        if self._postings.count:
            if self._rebuild:
                self._postings.write(self._connection, "search_term", 0, dense_at)
            else:
                segment = next_segment(self._connection)
                self._postings.write(self._connection, "search_term_added", segment, dense_at)
        if not self._rebuild:
            merge_segments(self._connection, dense_at)
        added = {key: bitmaps.from_rowids(rowids) for key, rowids in self._added.items()}
        keys = set(added)
        stored: dict[tuple[str, str], int] = {}
        if cleared or not keys.isdisjoint(self._stored_keys()):
            for field, value, blob in self._connection.execute(
                "SELECT field, value, bitmap FROM search_facet"
            ):
                stored[(field, value)] = bitmaps.from_blob(blob)
        updates: list[tuple[str, str, bytes]] = []
        removals: list[tuple[str, str]] = []
        for key in keys | {k for k, bits in stored.items() if bits & cleared}:
            bits = (stored.get(key, 0) & ~cleared) | added.get(key, 0)
            if bits:
                updates.append((key[0], key[1], bitmaps.to_blob(bits)))
            else:
                removals.append(key)
        self._connection.executemany(
            "INSERT OR REPLACE INTO search_facet(field, value, bitmap) VALUES (?, ?, ?)", updates
        )
        self._connection.executemany(
            "DELETE FROM search_facet WHERE field = ? AND value = ?", removals
        )
        self._connection.executemany(
            "INSERT INTO search_vocab(term, german) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET german = max(german, excluded.german)",
            sorted(vocabulary.items()),
        )
        self._connection.execute(
            "INSERT INTO search_meta(key, value) VALUES ('next_rowid', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(self._next_rowid),),
        )
        self._added.clear()
        self._cleared.clear()

    def _stored_keys(self) -> set[tuple[str, str]]:
        return {
            (field, value)
            for field, value in self._connection.execute("SELECT field, value FROM search_facet")
        }
