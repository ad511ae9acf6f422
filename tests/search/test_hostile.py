"""Hostile queries: clear errors or plain-text search; never a crash, never an injection."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.search.protocol import MAX_QUERY_LENGTH, SearchBackend
from schemas.errors import InvalidQueryError

SYNTAX = [
    'NEAR("a" "b", 3)',
    "NEAR(",
    '"',
    '"unbalanced',
    "*",
    "term*",
    "^start",
    "AND",
    "OR",
    "NOT",
    "a AND b OR NOT c",
    "name: termin",
    "{name short}: termin",
    "- termin",
    "+termin",
    "(termin",
    "termin)",
    "'; DROP TABLE search_doc; --",
    "1' OR '1'='1",
    '" OR 1=1 --',
    "termin\x00verwaltung",
    "%_%",
    "\\",
    "🙂 termin 🙂",
    "ẞtraße ǅ İstanbul",
    "  ",
    "a" * MAX_QUERY_LENGTH,
]


@pytest.mark.parametrize("query", SYNTAX, ids=range(len(SYNTAX)))
def test_query_syntax_is_searched_as_plain_text(backend: SearchBackend, query: str) -> None:
    """Search-engine operators (FTS5, Lucene), column filters and SQL fragments neither fail nor change the index."""
    before = backend.search("").total
    result = backend.search(query, facets=["forge"])
    assert result.total >= 0
    assert before == backend.search("").total


def test_plain_words_around_syntax_still_match(backend: SearchBackend) -> None:
    """Operators and quotes around real words leave the words searchable."""
    plain = {hit.id for hit in backend.search("whistleblowing").hits}
    assert plain
    for decorated in (
        '"whistleblowing"',
        "whistleblowing*",
        "(whistleblowing)",
        "^whistleblowing:",
    ):
        assert plain == {hit.id for hit in backend.search(decorated).hits}


def test_overlong_query_is_refused_with_the_limit(backend: SearchBackend) -> None:
    """A 10,000-character query raises InvalidQueryError naming the length and the limit."""
    with pytest.raises(InvalidQueryError, match=f"10000 characters.*{MAX_QUERY_LENGTH}"):
        backend.search("x" * 10_000)


def test_unknown_filter_field_and_sort_are_refused(backend: SearchBackend) -> None:
    """Filter fields and sort keys outside the whitelist raise InvalidQueryError naming them."""
    with pytest.raises(InvalidQueryError, match="'rowid'"):
        backend.search("", filters={"rowid": ("1",)})
    with pytest.raises(InvalidQueryError, match="'name; DROP TABLE x'"):
        backend.search("", sort="name; DROP TABLE x")


def test_filter_values_are_data_not_syntax(backend: SearchBackend) -> None:
    """A filter value full of quotes and operators matches nothing instead of everything."""
    value = "x\" OR forge EXISTS OR name = \"' OR '1'='1"
    assert 0 == backend.search("", filters={"forge": (value,)}).total


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(max_size=80))
def test_any_text_is_searchable(backend: SearchBackend, query: str) -> None:
    """Arbitrary text (any Unicode, control characters) always gives a result."""
    result = backend.search(query, facets=["licence"])
    assert len(result.hits) <= result.listed or result.listed == 0
