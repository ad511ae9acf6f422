"""`EmbeddedSearch`: the zero-setup search backend, its index in the store's SQLite file.

Construct it with the store's SQLite URL (or an SQLAlchemy engine, or a file path) and a
*record source*: a callable returning the store's records, which `rebuild` reads (no network).
`sync_from_store` applies the store's change feed since the last change it applied.

Thread-safe: one connection guarded by a lock (searches take milliseconds). Writes run in one
``BEGIN IMMEDIATE`` transaction each and bump the index generation, which other processes'
instances notice on their next search.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from indexer.search.documents import (
    SearchDocument,
    search_document,
    search_document_from_json,
)
from indexer.search.embedded.facets import Selection
from indexer.search.embedded.highlight import learn, snapshot, word_matcher
from indexer.search.embedded.indexing import IndexWriter
from indexer.search.embedded.parallel import ParallelRebuild
from indexer.search.embedded.postings import TermCache
from indexer.search.embedded.query import did_you_mean, expand, name_keys, query_words
from indexer.search.embedded.ranking import Ranker, word_sets
from indexer.search.embedded.results import build_hits, facet_counts, filtered
from indexer.search.embedded.schema import (
    bump_generation,
    create_tables,
    drop_tables,
    get_meta,
    set_meta,
)
from indexer.search.embedded.state import IndexState, Vocabulary
from indexer.search.embedded.stored import StoredData
from indexer.search.embedded.widen import add_synonyms, fuse_neighbours, split_compounds
from indexer.search.protocol import CheckedSearch, FilterValue, SearchRequest, SearchResult
from indexer.search.synonyms import Synonyms, domain_synonyms
from schemas.errors import ConfigurationError, SearchError
from schemas.record import Record

BATCH = 1000
COMPACT_AFTER = 1000
"""Postings left by replaced or deleted records (see `postings`) are compacted by a rebuild
once there are at least this many such records and more than live ones."""
WARM_WORDS = 100_000
"""An index vocabulary up to this many words is analysed for highlights when it is loaded."""
RecordSource = Callable[[], Iterable[Record]]


class ChangeFeed(Protocol):
    """What `sync_from_store` needs from the store."""

    def changes_since(self, seq_or_time: int, limit: int = 1000) -> Iterable[Any]: ...

    def iter_records(self, *, ids: Iterable[str] | None = None) -> Iterator[Record]: ...


def sqlite_path(database: Any) -> str:
    """The SQLite file path of a URL, an SQLAlchemy engine or a path (``:memory:`` allowed).

    Raises:
        ConfigurationError: the database is not SQLite.
    """
    url = getattr(database, "url", database)
    text = (
        url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else str(url)
    )
    if text.startswith("sqlite:"):
        path = text.removeprefix("sqlite:").removeprefix("///").removeprefix("//")
        path = path.split("?", 1)[0]
        return path or ":memory:"
    if "://" in text:
        raise ConfigurationError(
            f"the embedded search lives in a SQLite database, not {text.split('://')[0]}; "
            "beside a PostgreSQL store it keeps its own file (CODEREUSE_SEARCH_PATH)"
        )
    return str(Path(text))


class EmbeddedSearch(CheckedSearch):
    """The embedded search backend (see the module docstring and `protocol.SearchBackend`)."""

    def __init__(
        self,
        database: Any,
        record_source: RecordSource | None = None,
        change_seq: Callable[[], int] | None = None,
        *,
        document_source: Callable[[], Iterable[str]] | None = None,
        frequent_at: int | None = None,
        source: str | None = None,
        synonyms: Synonyms | None = None,
    ) -> None:
        """Open (creating when missing) the index in `database`.

        `record_source` returns the store's live records for `rebuild`; `change_seq` returns
        the store's newest change seq, recorded by `rebuild` so `sync_from_store` goes on
        from there. `document_source`, when given, streams the same records as stored JSON
        (``Store.iter_documents``): `rebuild` reads them without validating each one again,
        several times faster. `frequent_at` overrides from how many records a term's postings are
        stored as a bitmap (`postings.dense_threshold` by default; tests lower it). `source` names the store
        an index in a file of its own is derived from (its URL, password masked): `rebuild`
        records it, and `applied_change` reports it, so an index file left from another store
        is noticed and rebuilt rather than followed. `synonyms` replaces the shipped domain
        synonym groups (`synonyms.domain_synonyms`).
        """
        self._source = source
        self._frequent_at = frequent_at
        self._synonyms = synonyms if synonyms is not None else domain_synonyms()
        self._document_source = document_source
        self._path = sqlite_path(database)
        self._record_source = record_source
        self._change_seq = change_seq
        self._lock = threading.RLock()
        self._connection = sqlite3.connect(
            self._path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute("PRAGMA temp_store=MEMORY")
        self._connection.execute("PRAGMA cache_size=-65536")
        # `version` reads on a connection of its own (opened on first use), so the servers'
        # version check before every kept search does not wait for a search holding `_lock`.
        self._version_connection: sqlite3.Connection | None = None
        self._version_lock = threading.Lock()
        self._state: IndexState | None = None
        self._terms: TermCache | None = None
        self._terms_generation = -1
        with self._write():
            create_tables(self._connection)

    def clear_caches(self) -> None:
        """Drop the in-memory state and term cache; the next search reloads (for benchmarks)."""
        with self._lock:
            self._state = None
            self._terms = None

    @property
    def path(self) -> str:
        """The SQLite file the index lives in (``:memory:`` for an in-memory index)."""
        return self._path

    @property
    def source(self) -> str | None:
        """The store this index is derived from, when it lives in a file of its own."""
        return self._source

    def applied_change(self) -> tuple[str | None, int]:
        """(the store the index was last rebuilt from, or None; the last store change applied)."""
        with self._lock:
            source = get_meta(self._connection, "source")
            seq = int(get_meta(self._connection, "store_seq") or "0")
        return source, seq

    def version(self) -> int:
        """The index generation: every write, from any process, changes it, and two searches
        at one generation with the same arguments give the same answer (so a server may keep
        answers per generation).

        Read on a connection of its own, without waiting for a search or a write of this
        process (they hold `_lock` for milliseconds, and a server checks the version before
        each kept search): a write in progress here is not seen until it commits, as a write
        of another process is not. An index in memory has one connection, read under `_lock`.
        """
        if self._path == ":memory:":
            with self._lock:
                return int(get_meta(self._connection, "generation") or "0")
        with self._version_lock:
            if self._version_connection is None:
                self._version_connection = sqlite3.connect(
                    self._path, check_same_thread=False, isolation_level=None, timeout=30
                )
            return int(get_meta(self._version_connection, "generation") or "0")

    def close(self) -> None:
        """Close the database connections."""
        with self._lock:
            self._connection.close()
        with self._version_lock:
            if self._version_connection is not None:
                self._version_connection.close()
                self._version_connection = None

    # -- writing -----------------------------------------------------------------------------

    def _write(self) -> _Transaction:
        return _Transaction(self._connection, self._lock)

    def upsert(self, records: Iterable[Record]) -> None:
        """Add or replace records by id."""
        with self._write():
            writer = IndexWriter(self._connection, self._frequent_at)
            for batch in _batches(records, BATCH):
                writer.add(search_document(record) for record in batch)
            writer.finish()
            bump_generation(self._connection)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove records by id; unknown ids are ignored."""
        with self._write():
            writer = IndexWriter(self._connection, self._frequent_at)
            writer.delete(ids)
            writer.finish()
            bump_generation(self._connection)

    def rebuild(self) -> None:
        """Rebuild the whole index from the record source (the store), in one transaction.

        Raises:
            ConfigurationError: the backend was built without a record source.
        """
        if self._record_source is None and self._document_source is None:
            raise ConfigurationError("this embedded search has no record source to rebuild from")
        documents: Iterable[SearchDocument]
        if self._document_source is not None:
            documents = map(search_document_from_json, self._document_source())
        else:
            assert self._record_source is not None
            documents = map(search_document, self._record_source())
        builder = ParallelRebuild(self._connection, self._path, self._frequent_at)
        with self._lock:  # held until the build file is detached, after the commit
            try:
                with self._write():
                    generation = int(get_meta(self._connection, "generation") or "0")
                    seq = get_meta(self._connection, "store_seq")
                    if self._change_seq is not None:
                        seq = str(self._change_seq())
                    drop_tables(self._connection)
                    create_tables(self._connection)
                    for batch in _batches(documents, BATCH):
                        builder.add(batch)
                    builder.finish()
                    set_meta(self._connection, "generation", str(generation))
                    if seq is not None:
                        set_meta(self._connection, "store_seq", seq)
                    if self._source is not None:
                        set_meta(self._connection, "source", self._source)
                    bump_generation(self._connection)
            finally:
                builder.close()

    def sync_from_store(self, store: ChangeFeed) -> int:
        """Apply the store's changes since the last applied one; returns how many records changed.

        Pages through ``store.changes_since(seq)``; records changed since then are re-read and
        upserted, those the store no longer returns (deleted) are removed. The last applied
        change sequence is kept in the index, in the same transaction as the changes.
        """
        with self._lock:
            last = int(get_meta(self._connection, "store_seq") or "0")
        newest = last
        changed: dict[str, None] = {}
        while True:
            page = list(store.changes_since(newest))
            if not page:
                break
            for change in page:
                seq, record_id = _change_fields(change)
                changed[record_id] = None
                newest = max(newest, seq)
        if newest == last:
            return 0
        total = 0
        ids = list(changed)
        with self._write():
            writer = IndexWriter(self._connection, self._frequent_at)
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                live = list(store.iter_records(ids=chunk))
                writer.add(search_document(record) for record in live)
                writer.delete(set(chunk) - {record.id for record in live})
                total += len(chunk)
            writer.finish()
            set_meta(self._connection, "store_seq", str(newest))
            bump_generation(self._connection)
        if self._needs_compaction():
            self.rebuild()
        return total

    def dead_rows(self) -> tuple[int, int]:
        """(replaced or deleted records whose postings remain, live records) in the index."""
        with self._lock:
            row = self._connection.execute(
                "SELECT value FROM search_meta WHERE key = 'next_rowid'"
            ).fetchone()
            live = int(self._connection.execute("SELECT count(*) FROM search_doc").fetchone()[0])
        allocated = int(row[0]) - 1 if row else live
        return allocated - live, live

    def _needs_compaction(self) -> bool:
        if self._record_source is None and self._document_source is None:
            return False
        dead, live = self.dead_rows()
        return dead >= COMPACT_AFTER and dead > live

    # -- reading -----------------------------------------------------------------------------

    def _current_state(self) -> IndexState:
        generation = int(get_meta(self._connection, "generation") or "0")
        if self._state is None or self._state.generation != generation:
            self._state = IndexState.load(self._connection, generation)
        return self._state

    def _term_cache(self, state: IndexState) -> TermCache:
        if self._terms is None or self._terms_generation != state.generation:
            self._terms = TermCache(self._connection, max(state.ids, default=0))
            self._terms_generation = state.generation
        return self._terms

    def _vocabulary(self, state: IndexState) -> Vocabulary:
        if state.vocabulary is None:
            state.vocabulary = Vocabulary.load(self._connection)
            if len(state.vocabulary.words) <= WARM_WORDS:
                # Highlights and proximity then find the words of their pages analysed, and
                # the words starting with a prefix in a range of sorted terms.
                learn(state.vocabulary.words)
                snapshot()
        return state.vocabulary

    def run_search(self, request: SearchRequest) -> SearchResult:
        """Search a checked request (see `protocol.CheckedSearch`) in one read transaction."""
        with self._lock:
            try:
                # One read transaction: the generation, the postings and the rows all come
                # from the same snapshot even while another process writes (WAL).
                self._connection.execute("BEGIN")
                try:
                    return self._search(
                        request.query,
                        request.filters,
                        request.facets,
                        request.sort,
                        request.page,
                        request.per_page,
                        request.locale,
                    )
                finally:
                    self._connection.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise SearchError(
                    f"the embedded search index at {self._path} failed: {exc}"
                ) from exc

    def _search(
        self,
        query: str,
        filters: Mapping[str, FilterValue],
        facets: Sequence[str],
        sort: str,
        page: int,
        per_page: int,
        locale: str,
    ) -> SearchResult:
        state = self._current_state()
        stored = StoredData(self._connection)
        allowed = filtered(state, filters)
        folded, typing = query_words(query)
        needed = page * per_page
        matcher = None
        partial = 0
        also: list[str] = []
        if folded and allowed:
            vocabulary = self._vocabulary(state)
            words = [
                expand(word, vocabulary, is_prefix=typing and i == len(folded) - 1)
                for i, word in enumerate(folded)
            ]
            split_compounds(words, vocabulary, typing)
            fuse_neighbours(words, vocabulary)
            also = add_synonyms(words, vocabulary, self._synonyms)
            cache = self._term_cache(state)
            cache.prefetch(
                [(terms, prefix) for word in words for _, terms, prefix in word.groups()]
                + [
                    (part, None)
                    for word in words
                    for alternative in word.alternatives
                    for part in alternative.parts
                ]
            )
            sets = [word_sets(cache, word) for word in words]
            matcher = word_matcher(words)
            matches = state.collapse_mirrors(allowed & sets[0].any)
            every = matches
            for more in sets[1:]:
                every &= more.any
            partial, matches = matches & ~every, every
            name_exact = 0
            for key in name_keys(words):
                for rowid in state.name_key.get(key, ()):
                    name_exact |= 1 << rowid
            if sort == "relevance":
                ranker = Ranker(stored, state, sets, name_exact, matcher)
                ordered = ranker.order(matches | partial, needed)
            else:
                partial = 0  # an explicit sort lists the matches only (see `protocol`)
                ordered = state.top(matches, sort, needed)
        elif folded:
            matches, ordered = 0, []
        else:
            matches = state.collapse_mirrors(allowed)
            if sort == "relevance":  # all tie on text: quality, then recent activity first
                ordered = []
                for bits in state.quality:
                    ordered += state.top(matches & bits, "last_activity", needed - len(ordered))
                    if len(ordered) >= needed:
                        break
            else:
                ordered = state.top(matches, sort, needed)
        counted = Selection(matches or partial, state.size)
        counts = {name: facet_counts(state, name, counted) for name in facets}
        hits = build_hits(
            stored,
            ordered[(page - 1) * per_page : needed],
            state,
            locale,
            matcher,
            partial,
        )
        return SearchResult(
            hits=hits,
            total=matches.bit_count(),
            facets=counts,
            page=page,
            per_page=per_page,
            partial_total=partial.bit_count(),
            also_searched=tuple(also),
            did_you_mean=self._suggest(state, folded, allowed) if folded and not matches else None,
        )

    def _suggest(self, state: IndexState, folded: list[str], allowed: int) -> str | None:
        """A query of index words close to `folded` that matches records, or None."""
        suggestion = did_you_mean(folded, self._vocabulary(state))
        if suggestion is None:
            return None
        words = [expand(word, self._vocabulary(state), is_prefix=False) for word in suggestion]
        cache = self._term_cache(state)
        found = allowed
        for word in words:
            found &= word_sets(cache, word).any
            if not found:
                return None
        return " ".join(suggestion)


def _change_fields(change: Any) -> tuple[int, str]:
    """``(seq, record id)`` of a change-feed entry (``Change(seq, id, …)`` or a tuple)."""
    if hasattr(change, "seq"):
        return int(change.seq), str(change.id)
    seq, record_id = change[0], change[1]
    return int(seq), str(record_id)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error) under the backend's lock."""

    def __init__(self, connection: sqlite3.Connection, lock: threading.RLock) -> None:
        self._connection = connection
        self._lock = lock

    def __enter__(self) -> None:
        self._lock.acquire()
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            self._connection.execute("ROLLBACK" if kind else "COMMIT")
        finally:
            self._lock.release()
