"""Exports without words kept as files beside a SQLite store, one per request and change position.

An export without ``q`` is a pure function of the store at its change position, and the same
few (the whole catalogue, a slice per popular filter value) are asked for again and again. Kept
in the answers file (`api.answers`) they took most of its budget (the 3,000-record NDJSON is
16 MB), evicted the searches kept beside them, and were written again by every worker that
missed one at the same moment. `ExportFiles` keeps each in a file of its own in a folder beside
the store (``codereuse.db-exports/``): the first request at a change position writes it while the
others asking for the same export wait for that file (a lock file per export, shared by the
worker processes), and every later request streams it from the file in parts of `PART_BYTES`,
without encoding a record.

While a crawl writes, the change position moves with every page it saves: a file of an older
position is still sent for `refresh` seconds after it was last known current (its modification
time: when it was written, or last opened at its own position), so a burst of commits costs one
export per interval (`api.cache.Refresh`, ``CODEREUSE_EXPORT_REFRESH_INTERVAL``).

A file is named by its export and change position; writing one removes the same export's
files of older positions, and the folder is trimmed to its byte budget, least recently used
first. An open file stays readable when another worker removes it, so a trim never cuts a
response short. Any error of the folder (a full disk, no permission) makes the export be
streamed as it is computed, as without the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Hashable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import URL

from indexer.store.engine import sqlite_store_file

logger = logging.getLogger(__name__)
SUFFIX = "-exports"
"""The folder's name is the store file's with this suffix (``codereuse.db-exports``)."""
PART_BYTES = 1024 * 1024
"""Bytes read from a kept export per part of the streamed response."""


def exports_path(database: Path) -> Path:
    """The folder where the exports of the store in SQLite file `database` are kept."""
    return database.with_name(database.name + SUFFIX)


def export_files(
    database_url: str | URL, max_bytes: int, refresh: float = 0.0
) -> ExportFiles | None:
    """The kept exports beside the SQLite store `database_url`, or None: for a store in memory
    or in PostgreSQL, with a budget of 0, or when the folder cannot be made. `refresh`: seconds
    an export of an older change position is still sent (`ExportFiles`)."""
    database = sqlite_store_file(database_url)
    if max_bytes <= 0 or database is None or os.name != "posix":
        return None  # the lock between worker processes is a POSIX file lock (flock)
    folder = exports_path(database)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        logger.warning("exports not kept: %s cannot be made (%s)", folder, error)
        return None
    return ExportFiles(folder, max_bytes, refresh)


def forget_exports(database_url: str | URL) -> None:
    """Remove the exports kept beside the SQLite store `database_url` (at server start: they
    are named by change position, which a store restored from a backup may repeat)."""
    database = sqlite_store_file(database_url)
    if database is not None:
        shutil.rmtree(exports_path(database), ignore_errors=True)


def _name(key: Hashable) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


class ExportFiles:
    """Export bytes by (key, change position), one file each in `folder`, within `max_bytes`;
    a file of another position is sent while it was known current less than `refresh` seconds
    ago."""

    def __init__(self, folder: Path, max_bytes: int, refresh: float = 0.0) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.refresh = refresh

    def open(
        self, key: Hashable, position: int, produce: Callable[[], Iterable[bytes]]
    ) -> tuple[BinaryIO, bool] | None:
        """The export `key` at change `position`, opened for reading, and whether it was kept
        already; written from `produce()` first when not. None when the folder failed: the
        caller then streams `produce()` itself.

        Errors `produce` raises (a damaged store) pass through and keep nothing.
        """
        name = _name(key)
        path = self.folder / f"{name}-{position}"
        try:
            found = _open_existing(path) or self._open_recent(name)
            if found is not None:
                return found, True
            with _locked(self.folder / f"{name}.lock"):
                # written by another worker while we waited
                found = _open_existing(path) or self._open_recent(name)
                if found is not None:
                    return found, True
                self._write(path, _produced(produce()), time.time())
                self._forget_older(name, path)
                opened = path.open("rb")
            self._trim(keep=path)
            return opened, False
        except _ProduceFailed as failed:
            raise failed.error from None
        except OSError as error:
            logger.warning("export not kept in %s: %s", self.folder, error)
            return None

    def _open_recent(self, name: str) -> BinaryIO | None:
        """The export `name` of another change position, opened, when it was known current
        less than `refresh` seconds ago (its modification time); None otherwise."""
        if self.refresh <= 0:
            return None
        prefix, now = f"{name}-", time.time()
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if not entry.name.startswith(prefix):
                    continue
                with contextlib.suppress(OSError):
                    if now - entry.stat().st_mtime < self.refresh:
                        return open(entry.path, "rb")
        return None

    def _write(self, path: Path, chunks: Iterable[bytes], started: float) -> None:
        """Write `chunks` to `path` (whole or not at all), dated `started`: when the export
        began to read the store, so its age counts from there."""
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".writing-")
        try:
            with os.fdopen(handle, "wb") as file:
                for chunk in chunks:
                    file.write(chunk)
            os.utime(temporary, (started, started))
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _forget_older(self, name: str, path: Path) -> None:
        for other in self.folder.glob(f"{name}-*"):
            if other != path:
                with contextlib.suppress(OSError):
                    other.unlink()

    def _trim(self, keep: Path) -> None:
        """Remove the least recently used files until the folder holds `max_bytes` at most."""
        files = []
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".lock") or entry.name.startswith(".writing-"):
                continue
            with contextlib.suppress(OSError):
                stat = entry.stat()
                files.append((stat.st_atime, stat.st_size, Path(entry.path)))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files, key=lambda item: item[0]):
            if total <= self.max_bytes:
                break
            if path == keep:
                continue
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size


class _ProduceFailed(Exception):
    """An error of the export's own chunks (the store), told apart from the folder's."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _produced(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """`chunks`, their errors wrapped in `_ProduceFailed` (they pass through, not logged)."""
    iterator = iter(chunks)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            raise _ProduceFailed(error) from error
        yield chunk


def _open_existing(path: Path) -> BinaryIO | None:
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return None
    with contextlib.suppress(OSError):
        os.utime(file.fileno())  # used now: the trim removes the least recently used first
    return file


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on the file `path` held by this thread until the block ends (other
    threads and worker processes asking for the same export wait)."""
    import fcntl  # POSIX only: `export_files` keeps no exports elsewhere

    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


async def read_parts(file: BinaryIO) -> AsyncIterator[bytes]:
    """The bytes of `file` in parts of `PART_BYTES`, closing it at the end (or when the
    response is abandoned).

    Read on the event loop, not in the thread pool: the file was just written or used (it is
    in the page cache), so a part is a memory copy of well under a millisecond, while handing
    each part to a pool thread and back cost more than the copy and queued the parts of a
    16 MB export behind the routes waiting for a thread.
    """
    try:
        while part := file.read(PART_BYTES):
            yield part
    finally:
        file.close()
