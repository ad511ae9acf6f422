"""The stored data of records (`indexing.document_data`), read and parsed once per search."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from indexer.search.embedded.highlight import split_words


class StoredData:
    """Parsed ``search_doc.data`` by rowid, for one search: proximity ranking and the hits read
    the same records (the top of a page usually comes from a bucket ranked by proximity), so
    each is fetched and parsed once, and each of their texts split into words once."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._parsed: dict[int, dict[str, Any]] = {}
        self._split: dict[str, list[str]] = {}

    def split(self, text: str) -> list[str]:
        """`highlight.split_words` of `text`, once per search: proximity and the hits split the
        same names and descriptions."""
        found = self._split.get(text)
        if found is None:
            found = self._split[text] = split_words(text)
        return found

    def get(self, rowids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """rowid → parsed data, for those of `rowids` still indexed."""
        parsed = self._parsed
        missing = [rowid for rowid in rowids if rowid not in parsed]
        if missing:
            marks = ",".join("?" * len(missing))
            for rowid, data in self._connection.execute(
                f"SELECT rowid, data FROM search_doc WHERE rowid IN ({marks})", missing
            ):
                parsed[rowid] = json.loads(data)
        return {rowid: parsed[rowid] for rowid in rowids if rowid in parsed}
