"""A rebuild's postings analysed in a child process while this one reads the records.

A rebuild's time goes to reading the records from the store (or generating them, in the
benchmark), turning each into a search document, and analysing the texts into postings (split,
fold, stem, group per term). The analysis depends on nothing but the texts, so once a rebuild
has `PARALLEL_AFTER` records, `ParallelPostings` hands the texts to a child process that
analyses them while this process reads on, and streams the ``search_term`` rows back to be
inserted; a small rebuild stays in this process. The child is a fresh interpreter (safe in a
threaded server, unlike a fork) and holds no database connection: the index is still written by the one
connection, in one transaction. It ends when asked, or when this side's pipe closes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from indexer.search.embedded.postings import PostingsBuffer, joined_texts
from schemas.errors import SearchError

TextKey = tuple[int, tuple[str, ...], bool]

PARALLEL_AFTER = 5_000
"""From this many records a rebuild analyses its texts in a child process (starting one costs
about a second)."""
_SEND_EVERY = 1_000  # records' texts per message to the child
_ROWS_PER_MESSAGE = 20_000  # search_term rows per message back
PIPE_BYTES = 1 << 20


class ParallelPostings:
    """`PostingsBuffer`'s interface (`add`, `count`, `vocabulary`, `write`), moved to a child
    process once `after` records have been added."""

    def __init__(self, after: int = PARALLEL_AFTER) -> None:
        self._after = after
        self._pending: list[tuple[int, dict[TextKey, str]]] = []
        self._local: PostingsBuffer | None = None
        self._pipe: Connection | None = None  # to the child
        self._answers: Connection | None = None  # from the child
        self._process: subprocess.Popen[bytes] | None = None
        self.count = 0

    def add(self, rowid: int, texts: Mapping[TextKey, list[str]]) -> None:
        """Note the words of record `rowid`'s texts (see `PostingsBuffer.add`)."""
        self.count += 1
        self._pending.append((rowid, joined_texts(texts)))
        if self._pipe is None:
            if len(self._pending) >= self._after:
                self._start()
                self._flush()
        elif len(self._pending) >= _SEND_EVERY:
            self._flush()

    def vocabulary(self) -> dict[str, int]:
        """Folded word → 1 when it occurs in German text, else 0 (`PostingsBuffer.vocabulary`)."""
        if self._pipe is None:
            return self._in_process().vocabulary()
        self._flush()
        found: dict[str, int] = self._ask(("vocabulary",))
        return found

    def write(
        self, connection: sqlite3.Connection, table: str, segment: int, dense_at: int
    ) -> None:
        """Insert the postings into `table` as `segment` (`PostingsBuffer.write`), then end the
        child process."""
        if self._pipe is None:
            self._in_process().write(connection, table, segment, dense_at)
            self.count = 0
            return
        self._flush()
        self._send(("rows", segment, dense_at))
        statement = (
            f"INSERT OR REPLACE INTO {table}(term, attribute, segment, dense, rowids) "
            "VALUES (?, ?, ?, ?, ?)"
        )
        while rows := self._receive():
            connection.executemany(statement, rows)
        self.close()
        self.count = 0

    def close(self) -> None:
        """End the child process (if one runs)."""
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

    def _in_process(self) -> PostingsBuffer:
        if self._local is None:
            self._local = PostingsBuffer()
        for rowid, texts in self._pending:
            self._local.add_joined(rowid, texts)
        self._pending = []
        return self._local

    def _start(self) -> None:
        # A plain child interpreter rather than multiprocessing's spawn, which would import the
        # caller's __main__ again (a script without a main guard would run twice).
        child_reads, we_write = os.pipe()
        we_read, child_writes = os.pipe()
        for descriptor in (we_write, we_read):
            _widen(descriptor)
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

    def _flush(self) -> None:
        for start in range(0, len(self._pending), _SEND_EVERY):
            self._send(("add", self._pending[start : start + _SEND_EVERY]))
        self._pending = []

    def _send(self, message: tuple[Any, ...]) -> None:
        assert self._pipe is not None
        try:
            self._pipe.send(message)
        except OSError as exc:
            self.close()
            raise SearchError(f"the postings process ended early: {exc}") from exc

    def _receive(self) -> Any:
        assert self._answers is not None
        try:
            status, payload = self._answers.recv()
        except (EOFError, OSError) as exc:
            self.close()
            raise SearchError(f"the postings process ended early: {exc}") from exc
        if status == "error":
            self.close()
            raise SearchError(f"the postings process failed: {payload}")
        return payload

    def _ask(self, message: tuple[Any, ...]) -> Any:
        self._send(message)
        return self._receive()


def _widen(descriptor: int) -> None:
    """Give a pipe a 1 MB buffer (Linux; 64 kB by default): one message of texts then passes in
    a few writes instead of dozens, each of which waited for the child to be scheduled."""
    setter = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setter is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(descriptor, setter, PIPE_BYTES)


def serve(reads: int, writes: int) -> None:
    """The child process (see `ParallelPostings._start`), on the pipe descriptors it was given."""
    _serve(Connection(reads, writable=False), Connection(writes, readable=False))


def _serve(pipe: Connection, answers: Connection) -> None:
    """Analyse the texts sent, answer the vocabulary and stream the rows."""
    buffer = PostingsBuffer()
    failure: str | None = None
    while True:
        try:
            message = pipe.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "stop":
            return
        try:
            if failure is not None:
                if kind != "add":
                    answers.send(("error", failure))
                continue
            if kind == "add":
                for rowid, texts in message[1]:
                    buffer.add_joined(rowid, texts)
            elif kind == "vocabulary":
                answers.send(("ok", buffer.vocabulary()))
            elif kind == "rows":
                rows = []
                for row in buffer.rows(message[1], message[2]):
                    rows.append(row)
                    if len(rows) >= _ROWS_PER_MESSAGE:
                        answers.send(("ok", rows))
                        rows = []
                if rows:
                    answers.send(("ok", rows))
                answers.send(("ok", None))
        except Exception:  # reported to the parent, which raises
            failure = traceback.format_exc(limit=5)
            if kind != "add":
                answers.send(("error", failure))
