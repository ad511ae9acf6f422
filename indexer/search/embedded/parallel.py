"""A rebuild's index written by a child process while this one reads the records.

A rebuild's time goes to reading the records from the store (or generating them, in the
benchmark) and turning each into a search document, which this process has to do, and to
everything after: each document's stored JSON and sort keys, the analysis of its texts into
postings (split, fold, stem, group per term), facet bits, vocabulary, and the SQLite inserts.
That second part depends on nothing but the documents, so once a rebuild has `PARALLEL_AFTER`
records, `ParallelRebuild` hands the documents to a child process that runs the same
`IndexWriter` on a build file of its own (a fresh SQLite file beside the index, written without
a journal: it is thrown away on any failure) while this process reads on. At the end this
process attaches the build file and copies its tables in with ``INSERT … SELECT`` (SQLite
copies the rows without decoding them), still inside the rebuild's one transaction, so readers
see the old index until it commits. A small rebuild stays in this process.

The child is a fresh interpreter (safe in a threaded server, unlike a fork); it ends when
asked, or when this side's pipe closes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import subprocess
import sys
import tempfile
import traceback
from multiprocessing.connection import Connection
from typing import Any

from indexer.search.documents import SearchDocument
from indexer.search.embedded.indexing import IndexWriter
from indexer.search.embedded.schema import create_tables
from schemas.errors import SearchError

PARALLEL_AFTER = 5_000
"""From this many records a rebuild writes its index in a child process (starting one costs
about a second)."""
PIPE_BYTES = 1 << 20
BUILD_SCHEMA = "search_build"
"""The name the build file is attached under while its tables are copied."""
COPIED_TABLES = ("search_doc", "search_term", "search_facet", "search_vocab")


class ParallelRebuild:
    """Writes a rebuild's documents into the index tables of `connection` (emptied by the
    caller, inside its transaction): in this process with an `IndexWriter` while there are
    fewer than `after` documents, else through a child process (see the module docstring).

    Call `add` per batch, `finish` once inside the transaction, and `close` after the
    transaction ended (committed or rolled back): it ends the child, detaches and deletes the
    build file.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: str,
        frequent_at: int | None = None,
        *,
        after: int = PARALLEL_AFTER,
    ) -> None:
        self._connection = connection
        self._path = path
        self._frequent_at = frequent_at
        self._after = after
        self._pending: list[list[SearchDocument]] = []
        self._pending_count = 0
        self._writer: IndexWriter | None = None
        self._pipe: Connection | None = None  # to the child
        self._answers: Connection | None = None  # from the child
        self._process: subprocess.Popen[bytes] | None = None
        self._build_file: str | None = None
        self._attached = False

    @property
    def parallel(self) -> bool:
        """Whether a child process writes the index."""
        return self._build_file is not None

    def add(self, batch: list[SearchDocument]) -> None:
        """Index one batch of documents (`IndexWriter.add` semantics: the last of a repeated id
        wins)."""
        if self._pipe is not None:
            self._send(("add", batch))
            return
        self._pending.append(batch)
        self._pending_count += len(batch)
        if self._pending_count >= self._after:
            self._start()
            for pending in self._pending:
                self._send(("add", pending))
            self._pending = []

    def finish(self) -> None:
        """Write everything into the index tables (inside the caller's transaction)."""
        if self._pipe is None:
            writer = IndexWriter(self._connection, self._frequent_at, rebuild=True)
            for batch in self._pending:
                writer.add(batch)
            self._pending = []
            writer.finish()
            return
        self._send(("finish",))
        self._receive()
        self._end_child()
        self._copy()

    def close(self) -> None:
        """End the child (if one runs), detach and delete the build file; call after the
        transaction ended."""
        self._end_child()
        if self._attached:
            with contextlib.suppress(sqlite3.Error):
                self._connection.execute(f"DETACH DATABASE {BUILD_SCHEMA}")
            self._attached = False
        if self._build_file is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self._build_file + suffix)
            self._build_file = None

    def _copy(self) -> None:
        assert self._build_file is not None
        self._connection.execute(f"ATTACH DATABASE ? AS {BUILD_SCHEMA}", (self._build_file,))
        self._attached = True
        for table in COPIED_TABLES:
            # Both tables come from `create_tables` and the target is empty: SQLite's transfer
            # optimisation copies the rows and index entries without decoding them.
            self._connection.execute(
                f"INSERT INTO main.{table} SELECT * FROM {BUILD_SCHEMA}.{table}"
            )
        self._connection.execute(
            "INSERT OR REPLACE INTO main.search_meta(key, value) "
            f"SELECT key, value FROM {BUILD_SCHEMA}.search_meta WHERE key = 'next_rowid'"
        )

    def _start(self) -> None:
        directory, name = os.path.split(self._path)
        if not name or name == ":memory:" or name.startswith("file:"):
            directory, name = "", "index"
        descriptor, self._build_file = tempfile.mkstemp(
            prefix=f"{name}.rebuild-", suffix=".db", dir=directory or None
        )
        os.close(descriptor)
        # A plain child interpreter rather than multiprocessing's spawn, which would import the
        # caller's __main__ again (a script without a main guard would run twice).
        child_reads, we_write = os.pipe()
        we_read, child_writes = os.pipe()
        for pipe_end in (we_write, we_read):
            _widen(pipe_end)
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from indexer.search.embedded.parallel import serve; "
                "serve(int(sys.argv[1]), int(sys.argv[2]))",
                str(child_reads),
                str(child_writes),
            ],
            pass_fds=(child_reads, child_writes),
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
            stdin=subprocess.DEVNULL,
        )
        os.close(child_reads)
        os.close(child_writes)
        self._pipe = Connection(we_write, readable=False)
        self._answers = Connection(we_read, writable=False)
        self._send(("open", self._build_file, self._frequent_at))

    def _end_child(self) -> None:
        if self._pipe is not None:
            with contextlib.suppress(OSError):
                self._pipe.send(("stop",))
            self._pipe.close()
            self._pipe = None
        if self._answers is not None:
            self._answers.close()
            self._answers = None
        if self._process is not None:
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def _send(self, message: tuple[Any, ...]) -> None:
        assert self._pipe is not None
        try:
            self._pipe.send(message)
        except OSError as exc:
            self._end_child()
            raise SearchError(f"the index build process ended early: {exc}") from exc

    def _receive(self) -> None:
        assert self._answers is not None
        try:
            status, payload = self._answers.recv()
        except (EOFError, OSError) as exc:
            self._end_child()
            raise SearchError(f"the index build process ended early: {exc}") from exc
        if status == "error":
            self._end_child()
            raise SearchError(f"the index build process failed: {payload}")


def _widen(descriptor: int) -> None:
    """Give a pipe a 1 MB buffer (Linux; 64 kB by default): one batch of documents then passes
    in a few writes instead of dozens, each of which waited for the child to be scheduled."""
    setter = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setter is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(descriptor, setter, PIPE_BYTES)


def serve(reads: int, writes: int) -> None:
    """The child process (see `ParallelRebuild._start`), on the pipe descriptors it was given."""
    _serve(Connection(reads, writable=False), Connection(writes, readable=False))


def open_build_file(path: str) -> sqlite3.Connection:
    """A connection to a fresh build file with the index tables, inside a transaction: no
    journal and no syncing (the file is deleted on any failure and copied, not used)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA temp_store=MEMORY")
    connection.execute("PRAGMA cache_size=-65536")
    connection.execute("BEGIN")
    create_tables(connection)
    return connection


def _serve(pipe: Connection, answers: Connection) -> None:
    """Write the documents sent into the build file; answer once finished."""
    connection: sqlite3.Connection | None = None
    writer: IndexWriter | None = None
    failure: str | None = None
    try:
        while True:
            try:
                message = pipe.recv()
            except (EOFError, OSError):
                return
            kind = message[0]
            if kind == "stop":
                return
            if failure is not None:
                if kind == "finish":
                    answers.send(("error", failure))
                continue
            try:
                if kind == "open":
                    connection = open_build_file(message[1])
                    writer = IndexWriter(connection, message[2], rebuild=True)
                elif kind == "add":
                    assert writer is not None
                    writer.add(message[1])
                elif kind == "finish":
                    assert writer is not None and connection is not None
                    writer.finish()
                    connection.execute("COMMIT")
                    answers.send(("ok", None))
            except Exception:  # reported to the parent, which raises
                failure = traceback.format_exc(limit=5)
                if kind == "finish":
                    answers.send(("error", failure))
    finally:
        if connection is not None:
            connection.close()
