"""The postings buffer: what it writes equals the analysis of each record's words on its own."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.documents import search_document
from indexer.search.embedded.indexing import TextKey, document_texts
from indexer.search.embedded.postings import PostingsBuffer, _decode
from indexer.search.text import fold, index_terms_many, raw_words
from tests.search.corpus import make_record

HOSTILE = [
    "e-Akte, eAkte und „elektronische Akte“: Bürger—Amt (Straße) ÆRØ … ¡hola! 2024-01",
    "https://x.example/a_b?c=d&e=f v1.2.3 <b>Termin</b> 'buchen' \"zitiert\"",
    "İstanbul ǅemal ΣΊΣΥΦΟΣ straße STRASSE ﬁle ①② x\u00a0y\u2003z a\u001cb a\u0085b",
    "   ",
    "",
    "akte, akte; akte. AKTE Akte—akte",
]


def _reference(
    texts: list[dict[TextKey, list[str]]],
) -> tuple[dict[tuple[str, int], set[int]], dict[str, int]]:
    """Postings and vocabulary as the analysis of each record's words on its own gives them."""
    postings: dict[tuple[str, int], set[int]] = defaultdict(set)
    vocabulary: dict[str, int] = {}
    for rowid, grouped in enumerate(texts, start=1):
        for (attribute, languages, german), found in grouped.items():
            words = sorted({fold(word) for text in found for word in raw_words(text)})
            for word, terms in zip(words, index_terms_many(words, languages), strict=True):
                vocabulary[word] = vocabulary.get(word, 0) | int(german)
                for term in terms:
                    postings[(term, attribute)].add(rowid)
    return dict(postings), vocabulary


def _written(
    texts: list[dict[TextKey, list[str]]], dense_at: int
) -> tuple[dict[tuple[str, int], set[int]], dict[str, int]]:
    buffer = PostingsBuffer()
    for rowid, grouped in enumerate(texts, start=1):
        buffer.add(rowid, grouped)
    vocabulary = buffer.vocabulary()
    postings: dict[tuple[str, int], set[int]] = {}
    for term, attribute, _, dense, blob in buffer.rows(0, dense_at):
        rowids = _decode(dense, blob)
        assert bool(np.all(np.diff(rowids) > 0)), f"{term}: rowids not ascending and distinct"
        postings[(term, attribute)] = set(rowids.tolist())
    return postings, vocabulary


def test_postings_equal_each_records_own_analysis() -> None:
    """Records with punctuation, markup, URLs, Unicode spaces and case variants of one word get
    the postings and vocabulary that analysing each record's words on its own gives."""
    records = [
        make_record(
            f"r{i}",
            f"Werkzeug {i} {HOSTILE[i % len(HOSTILE)][:20]}",
            texts={"de": HOSTILE[i % len(HOSTILE)], "en": f"Tool {i}, e-file"},
            features={"de": [HOSTILE[(i + 1) % len(HOSTILE)], f"Straße {i}"]},
            long={"de": " ".join(HOSTILE) * (i % 3)},
        )
        for i in range(40)
    ]
    texts = [document_texts(search_document(record)) for record in records]
    for dense_at in (2, 64):
        assert _reference(texts) == _written(texts, dense_at)


def test_postings_settled_in_many_chunks_equal_each_records_own_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A buffer that settles every few pairs (as a rebuild does every `CHUNK_PAIRS`) writes the
    same postings and vocabulary, rowids ascending across chunks."""
    from indexer.search.embedded import postings

    monkeypatch.setattr(postings, "CHUNK_PAIRS", 7)
    records = [
        make_record(
            f"r{i}",
            f"Werkzeug {i}",
            texts={"de": HOSTILE[i % len(HOSTILE)], "en": f"Tool {i}, e-file"},
            features={"de": [HOSTILE[(i + 2) % len(HOSTILE)]]},
        )
        for i in range(30)
    ]
    texts = [document_texts(search_document(record)) for record in records]
    for dense_at in (2, 64):
        assert _reference(texts) == _written(texts, dense_at)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=40), min_size=1, max_size=3), min_size=1, max_size=8))
def test_postings_of_any_text_equal_each_records_own_analysis(texts: list[list[str]]) -> None:
    """Whatever the texts, the buffer's postings equal the per-record analysis."""
    grouped: list[dict[TextKey, list[str]]] = [
        {(1, ("de",), True): found, (4, ("en", "de"), False): found[::-1]} for found in texts
    ]
    assert _reference(grouped) == _written(grouped, 3)
