"""Writing the embedded index: full builds, upserts and deletes, inside one SQLite transaction.

Each record becomes one ``search_doc`` row, one row per FTS5 attribute table holding its analysed
terms (`analyse_document`), bits in the facet bitmaps and words in the vocabulary. A record that
is upserted again gets a new rowid (its old terms stay in the contentless FTS5 tables, unseen,
until the next rebuild; see `schema`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.search.documents import UNDETERMINED, SearchDocument
from indexer.search.embedded import bitmaps
from indexer.search.embedded.postings import PostingUpdates
from indexer.search.embedded.schema import ATTRIBUTES
from indexer.search.text import LANGUAGES, analyse_raw, folded_words, language_of, words

# Texts in an unknown language (names, categories, forge descriptions) are stemmed in these.
_NAME_LANGUAGES = LANGUAGES
_TAG_LANGUAGES: tuple[str, ...] = ("en", "de")


@dataclass(frozen=True)
class AnalysedDocument:
    """A document ready to write: terms per attribute, its folded words, those from German text."""

    terms: dict[str, str]
    term_sets: dict[str, set[str]]
    words: set[str]
    german_words: set[str]


def _languages(tag: str) -> tuple[str, ...]:
    language = language_of(tag)
    if language:
        return (language,)
    return _TAG_LANGUAGES if tag == UNDETERMINED else _NAME_LANGUAGES


def analyse_document(document: SearchDocument) -> AnalysedDocument:
    """Analyse every searchable text of `document` (see `indexer.search.text`)."""
    per_attribute: dict[str, set[str]] = {attribute: set() for attribute in ATTRIBUTES}
    all_raw: set[str] = set()
    german_raw: set[str] = set()

    def add(attribute: str, text: str, languages: tuple[str, ...], is_german: bool) -> None:
        terms, raw = analyse_raw(text, languages)
        per_attribute[attribute].update(terms)
        all_raw.update(raw)
        if is_german:
            german_raw.update(raw)

    has_german = any(language_of(tag) == "de" for tag in (*document.short, *document.long))
    for name in document.names:
        add("name", name, _NAME_LANGUAGES, has_german)
    for tag, text in document.short.items():
        add("short", text, _languages(tag), language_of(tag) == "de")
    for tag, features in document.features.items():
        add("features", "\n".join(features), _languages(tag), language_of(tag) == "de")
    add("tags", "\n".join(document.tags), _TAG_LANGUAGES, has_german)
    for tag, text in document.long.items():
        add("long", text, _languages(tag), language_of(tag) == "de")
    terms = {attribute: " ".join(found) for attribute, found in per_attribute.items()}
    return AnalysedDocument(
        terms=terms,
        term_sets=per_attribute,
        words=folded_words(all_raw),
        german_words=folded_words(german_raw),
    )


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
            "mirrors": list(document.mirrors),
        },
        ensure_ascii=False,
    )


class IndexWriter:
    """Applies documents and deletions to the index tables of one connection's transaction.

    Collects facet bits and vocabulary in memory and writes them in `finish`, so a build of
    100,000 records touches each facet bitmap once.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._added: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._cleared: list[int] = []
        self._postings = PostingUpdates(connection)
        self._words: set[str] = set()
        self._german: set[str] = set()
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
        # The contentless FTS5 rows stay (see `schema`); the record row and its bits go.
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
        fts_rows: dict[str, list[tuple[int, str]]] = {attribute: [] for attribute in ATTRIBUTES}
        for document in batch:
            rowid = self._next_rowid
            self._next_rowid += 1
            analysed = analyse_document(document)
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
            self._postings.add(rowid, analysed.term_sets)
            for attribute, terms in analysed.terms.items():
                if terms:
                    fts_rows[attribute].append((rowid, terms))
            for field, values in document.facets.items():
                for value in values:
                    self._added[(field, value)].append(rowid)
            self._words.update(analysed.words)
            self._german.update(analysed.german_words)
        self._connection.executemany(
            "INSERT INTO search_doc(rowid, id, name_key, name_sort, last_activity, "
            "stars, mirror_group, mirror_rank, quality, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            doc_rows,
        )
        for attribute, rows in fts_rows.items():
            self._connection.executemany(
                f"INSERT INTO search_fts_{attribute}(rowid, terms) VALUES (?, ?)", rows
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
        """Write the facet bitmaps and the vocabulary collected so far."""
        cleared = bitmaps.from_rowids(self._cleared) if self._cleared else 0
        self._postings.finish(cleared)
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
            [(word, int(word in self._german)) for word in self._words],
        )
        self._connection.execute(
            "INSERT INTO search_meta(key, value) VALUES ('next_rowid', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(self._next_rowid),),
        )
        self._added.clear()
        self._cleared.clear()
        self._words.clear()
        self._german.clear()

    def _stored_keys(self) -> set[tuple[str, str]]:
        return {
            (field, value)
            for field, value in self._connection.execute("SELECT field, value FROM search_facet")
        }
