"""Highlights: words decided in bulk as one word at a time, and text escaped like `html.escape`."""

from __future__ import annotations

import threading
from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.embedded.highlight import (
    _FORMS,
    WordMatcher,
    highlight,
    learn,
    snapshot,
    split_words,
)
from indexer.search.embedded.query import WordQuery
from indexer.search.text import LANGUAGES, fold, index_terms

TEXTS = [
    "Bürgerbeteiligung & Termine <online> buchen: \"Verwaltung\" 'portal'",
    "Verwaltungsportal für Bürger, Beteiligungen & Terminbuchung",
    "<script>alert('x')</script> verwaltung&amp;portal",
    "Portale, Portal; PORTAL — verwalten, verwaltete Termin-Buchung",
]


def _queries() -> list[WordQuery]:
    """Two query words, the last a prefix being typed, with typo and derived terms."""
    first = WordQuery(word="burger", exact={"burger"}, derived={"burg"})
    first.typos = {1: {"burgen"}}
    second = WordQuery(word="ver", exact={"ver"}, prefix="ver")
    return [first, second]


def _decision(word: str, queries: list[WordQuery]) -> int | None:
    """Which query word `word` matches, decided on its own: a shared index term, else a term
    starting with a query word's prefix; the first query word wins."""
    folded = fold(word)
    terms = set(index_terms(folded, LANGUAGES)) | {folded}
    for index, query in enumerate(queries):
        if terms & query.all_terms() or (
            query.prefix and any(term.startswith(query.prefix) for term in terms)
        ):
            return index
    return None


def _marked(text: str, queries: list[WordQuery]) -> str | None:
    parts = split_words(text)
    found = [_decision(word, queries) for word in parts[1::2]]
    if all(index is None for index in found):
        return None
    pieces = [escape(part) for part in parts]
    for position, index in enumerate(found):
        if index is not None:
            pieces[2 * position + 1] = f"<mark>{pieces[2 * position + 1]}</mark>"
    return "".join(pieces)


def test_page_words_decided_in_bulk_as_one_at_a_time() -> None:
    """A matcher prepared with every word of a page decides each as it would on its own, and
    the highlighted text is the escaped text with the matching words marked."""
    queries = _queries()
    bulk = WordMatcher(queries)
    bulk.prepare({word for text in TEXTS for word in split_words(text)[1::2]})
    for text in TEXTS:
        for word in split_words(text)[1::2]:
            assert _decision(word, queries) == bulk[word], word
        assert _marked(text, queries) == highlight(text, bulk)
        assert _marked(text, queries) == highlight(text, WordMatcher(queries))


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_escaped_and_marked_as_html_escape_would(text: str) -> None:
    """Whatever the text, the highlight is `html.escape` of each piece, matches marked."""
    queries = _queries()
    assert _marked(text, queries) == highlight(text, WordMatcher(queries))


def test_words_analysed_after_the_snapshot_are_decided_like_those_before() -> None:
    """Words in the sorted-terms snapshot (prefix found by range) and words analysed after it
    (decided by their own terms) match the same query words as each decided on its own."""
    before = ["Verwaltungen", "Bürgern", "Burgen", "Vertrag", "Portal", "vergaben"]
    after = ["Verwalterin", "Bürgerportal", "verbunden", "Burgenland", "Akte"]
    learn({fold(word) for word in before})
    snapshot(renew=True)
    learn({fold(word) for word in after})
    assert not {fold(word) for word in after} <= snapshot().words
    queries = _queries()
    matcher = WordMatcher(queries)
    matcher.prepare(before + after)
    assert [_decision(word, queries) for word in before + after] == [
        matcher[word] for word in before + after
    ]
    assert [1, 0, 0, 1, None, 1] == [matcher[word] for word in before]


def test_snapshots_taken_while_other_threads_learn_words() -> None:
    """Backends of one process share the analysed words: snapshots taken while other threads
    analyse new words never fail, and hold only words that were analysed."""
    batches = [[f"wort{thread}x{number}" for number in range(3000)] for thread in range(3)]
    errors: list[BaseException] = []

    def learn_all(words: list[str]) -> None:
        try:
            for start in range(0, len(words), 50):
                learn(words[start : start + 50])
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=learn_all, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    taken = [snapshot(renew=True) for _ in range(20)]
    for thread in threads:
        thread.join()
    assert [] == errors
    every = {word for batch in batches for word in batch}
    assert all(every & taken_one.words <= set(_FORMS) for taken_one in taken)
