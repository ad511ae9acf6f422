"""Tantivy configured as a fair peer for `bench.search --compare-tantivy`.

Tantivy (``pip install tantivy``, the Python binding of the Rust engine; an optional
benchmark dependency: ``pip install -e '.[bench]'``) indexes the same search documents as the
embedded backend and answers the same queries with the same work per query:

- **analysis**: words split on non-alphanumerics, lower-cased and ASCII-folded (as ours);
- **query** ("tuned" for this catalogue): for every query word, a term query per field (name
  boosted ×10, features ×1.5), fuzzy term queries at Meilisearch's typo budget (1 from 5
  letters, 2 from 9) boosted ×4 relative to a plain term of the field (a fuzzy query scores a
  constant, far below BM25), and for the last word while typing a prefix query; plus one clause
  requiring all words (each in any field), boosted ×10, so records holding every word come
  first. Measured on 100,000 records, this is the best of the boosts tried: known-item MRR
  0.980 and typo MRR 0.928 (name ×3, short ×2 and fuzzy ÷4, as before: 0.939 and 0.635; name
  ×1: 0.15);
- **per query**: the exact total, exact counts of the six facets (terms aggregations over fast
  fields, sized beyond every facet's distinct values), the top 20 with highlighted name and
  short description (snippet generator) and mirror copies collapsed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import tantivy

from indexer.search.documents import SearchDocument
from indexer.search.text import max_typos, words

TEXT_FIELDS = {"name": 10.0, "short": 1.0, "features": 1.5, "tags": 1.0, "long": 1.0}
FUZZY_BOOST = 4.0
ALL_WORDS_BOOST = 10.0
ANALYZER = "folded"
FACET_SIZE = 1000


def _analyzer() -> Any:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(64))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


class TantivyPeer:
    """A Tantivy index in a temporary folder, built from search documents."""

    def __init__(self, facets: Sequence[str]) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="codereuse-tantivy-"))
        self._facets = tuple(facets)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("group", stored=True, tokenizer_name="raw")
        for name in TEXT_FIELDS:
            # name and short are stored: the snippet generator highlights them on every hit.
            stored = name in {"name", "short"}
            builder.add_text_field(name, stored=stored, tokenizer_name=ANALYZER)
        for name in self._facets:
            builder.add_text_field(f"f_{name}", fast=True, tokenizer_name="raw")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(self.directory))
        self.index.register_tokenizer(ANALYZER, _analyzer())
        self._searcher: Any = None

    def build(self, documents: Iterable[SearchDocument]) -> None:
        """Index `documents` (one commit) and open a searcher."""
        writer = self.index.writer(heap_size=256 * 2**20)
        for document in documents:
            fields: dict[str, Any] = {
                "id": document.id,
                "group": document.mirror_group,
                "name": " ".join(document.names),
                "short": " ".join(document.short.values()),
                "features": " ".join(" ".join(f) for f in document.features.values()),
                "tags": " ".join(document.tags),
                "long": " ".join(document.long.values()),
            }
            for name in self._facets:
                fields[f"f_{name}"] = list(document.facets.get(name, ()))
            writer.add_document(tantivy.Document.from_dict(fields, self.schema))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self._searcher = self.index.searcher()

    def size(self) -> int:
        """Bytes the index takes on disk."""
        return sum(path.stat().st_size for path in self.directory.rglob("*") if path.is_file())

    def close(self) -> None:
        """Remove the index folder."""
        self._searcher = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def _word(self, word: str, last: bool, typing: bool) -> Any:
        clauses = []
        typos = max_typos(word)
        for field, boost in TEXT_FIELDS.items():
            term = tantivy.Query.term_query(self.schema, field, word)
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(term, boost)))
            if typos:
                fuzzy = tantivy.Query.fuzzy_term_query(self.schema, field, word, distance=typos)
                clauses.append(
                    (tantivy.Occur.Should, tantivy.Query.boost_query(fuzzy, boost * FUZZY_BOOST))
                )
            if last and typing and len(word) >= 2:
                prefix = tantivy.Query.fuzzy_term_query(
                    self.schema, field, word, distance=0, prefix=True
                )
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(prefix, boost / 2)))
        return tantivy.Query.boolean_query(clauses)

    def query(self, text: str) -> Any:
        """The tuned query for `text` (see the module docstring)."""
        found = words(text)[:10]
        typing = bool(found) and not text[-1:].isspace()
        per_word = [self._word(w, i == len(found) - 1, typing) for i, w in enumerate(found)]
        clauses = [(tantivy.Occur.Should, q) for q in per_word]
        if len(per_word) > 1:
            every = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in per_word])
            clauses.append(
                (tantivy.Occur.Should, tantivy.Query.boost_query(every, ALL_WORDS_BOOST))
            )
        return tantivy.Query.boolean_query(clauses)

    def search(self, text: str, per_page: int = 20) -> tuple[list[str], int, dict[str, Any]]:
        """``(ids of the top hits, total, facet counts)``, with highlights and mirrors collapsed."""
        query = self.query(text)
        searcher = self._searcher
        result = searcher.search(query, limit=per_page * 2, count=True)
        aggregations = {
            name: {"terms": {"field": f"f_{name}", "size": FACET_SIZE, "shard_size": FACET_SIZE}}
            for name in self._facets
        }
        facets = searcher.aggregate(query, aggregations) if result.count else {}
        generator_name = tantivy.SnippetGenerator.create(searcher, query, self.schema, "name")
        generator_short = tantivy.SnippetGenerator.create(searcher, query, self.schema, "short")
        ids: list[str] = []
        seen: set[str] = set()
        for _, address in result.hits:
            document = searcher.doc(address)
            group = document.get_first("group")
            if group in seen:
                continue
            seen.add(group)
            generator_name.snippet_from_doc(document).to_html()
            generator_short.snippet_from_doc(document).to_html()
            ids.append(document.get_first("id"))
            if len(ids) >= per_page:
                break
        return ids, int(result.count), facets
