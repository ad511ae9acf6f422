"""Pure parts of the Meilisearch backend: filter and sort building, document keys and layout,
highlights and response mapping. Filters are parsed back with a parser that follows
Meilisearch's grammar and quoting rules, so escaping is checked, not just string-compared."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.search.meilisearch.documents import document_key, settle_mirrors, to_document
from indexer.search.meilisearch.filters import (
    MAX_VALUE_BYTES,
    MAX_VALUES_PER_FIELD,
    build_filter,
    build_sort,
    number,
    plain_query,
    quote,
)
from indexer.search.meilisearch.results import (
    HIGHLIGHT_POST,
    HIGHLIGHT_PRE,
    facet_counts,
    mark,
    to_result,
)
from indexer.search.meilisearch.settings import SORTS
from indexer.search.protocol import SORT_KEYS, ActivityRange
from schemas.errors import InvalidQueryError, SearchError
from tests.search.meili_corpus import DECIDIM, GEOPORTAL, HOSTILE_VALUES, OPENDESK, utc
from tests.search.meili_fake_filter import parse_filter


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("EUPL-1.2", '"EUPL-1.2"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("C:\\new", '"C:\\\\new"'),
        ("trailing\\", '"trailing\\\\"'),
        ('\\"', '"\\\\\\""'),
        ("OR", '"OR"'),
        ("a\nb", '"a\nb"'),
    ],
)
def test_quote_escapes_backslash_then_quote(value: str, literal: str) -> None:
    """Backslashes are doubled first, then quotes escaped, all inside double quotes."""
    assert literal == quote(value)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_values_parse_back_to_one_condition(value: str) -> None:
    """A hostile value stays one equality condition on the whitelisted attribute."""
    assert ("cmp", "organisation", "=", value) == parse_filter(
        build_filter({"organisation": (value,)}) or ""
    )


@given(
    st.text(
        alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=60
    )
)
def test_any_text_round_trips_through_the_filter_grammar(value: str) -> None:
    """Every value without NUL parses back to itself (property over arbitrary text)."""
    tree = parse_filter(build_filter({"category": (value, "other")}) or "")
    assert ("or", ("cmp", "category", "=", value), ("cmp", "category", "=", "other")) == tree


def test_filter_structure_or_within_fields_and_between() -> None:
    """Values of a field are an OR group, fields are AND-ed in protocol order."""
    since, until = utc(2024, 1, 1), utc(2025, 1, 1)
    expression = build_filter(
        {
            "organisation": ("Land Berlin",),
            "licence": ("MIT", "EUPL-1.2", "MIT"),
            "declared": ("true",),
            "last_activity": ActivityRange(since=since, until=until),
        }
    )
    assert (
        '(licence = "MIT" OR licence = "EUPL-1.2") AND (organisation = "Land Berlin") AND '
        f"(declared = true) AND last_activity_ts >= {int(since.timestamp())} AND "
        f"last_activity_ts < {int(until.timestamp())}"
    ) == expression


def test_empty_filters_give_no_expression() -> None:
    """No filters, empty value lists and open ranges send no filter at all."""
    assert None is build_filter(None)
    assert None is build_filter({"licence": (), "last_activity": ActivityRange()})


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"licence": ("a\x00b",)}, "NUL"),
        ({"licence": ("\ud800",)}, "surrogate"),
        ({"licence": ("x" * (MAX_VALUE_BYTES + 1),)}, "468 bytes"),
        ({"licence": tuple(str(n) for n in range(MAX_VALUES_PER_FIELD + 1))}, "at most 100"),
        ({"archived": ("True",)}, "true or false"),
        ({"last_activity": ("2024",)}, "date range"),
        ({"licence": ActivityRange()}, "list of strings"),
        ({"name": ("x",)}, "unknown filter field"),
    ],
)
def test_unusable_filters_are_refused(filters: dict[str, object], message: str) -> None:
    """Unusable values and fields raise InvalidQueryError naming the problem."""
    with pytest.raises(InvalidQueryError, match=message):
        build_filter(filters)  # type: ignore[arg-type]


def test_multibyte_value_at_the_byte_limit_is_accepted() -> None:
    """The 468-byte limit counts UTF-8 bytes: 234 'ä' pass, 235 do not."""
    assert quote("ä" * 234).startswith('"ä')
    with pytest.raises(InvalidQueryError):
        quote("ä" * 235)


def test_numbers_are_finite_literals() -> None:
    """Integers render plainly; NaN and infinity are refused."""
    assert ("1700000000", "2.5") == (number(1_700_000_000), number(2.5))
    with pytest.raises(InvalidQueryError):
        number(float("nan"))


def test_every_sort_key_has_clauses_on_sortable_attributes() -> None:
    """Each protocol sort maps to Meilisearch clauses; unknown sorts are refused."""
    assert set(SORT_KEYS) == set(SORTS)
    assert [] == build_sort("relevance")
    assert ["stars:desc"] == build_sort("stars")
    assert ["name_sort:desc"] == build_sort("-name")
    with pytest.raises(InvalidQueryError, match="unknown sort"):
        build_sort("stars:desc")


def test_document_keys_are_valid_deterministic_and_distinct() -> None:
    """Keys use only [A-Za-z0-9_-], stay short, repeat for one id, differ for similar ids."""
    similar = [
        "gitlab.com/a/b",
        "gitlab.com/a_b",
        "gitlab_com/a/b",
        "gitlab.com/a.b",
        "GITLAB.com/a/b",
    ]
    keys = [document_key(record_id) for record_id in similar]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,511}", key) for key in keys)
    assert len(similar) == len(set(keys))
    assert keys[0] == document_key("gitlab.com/a/b")
    assert keys[0].startswith("gitlab_com_a_b-")
    assert 137 >= len(document_key("example.org/" + "ü/" * 400))


def test_document_layout() -> None:
    """Texts are nested per language, facets are string lists, booleans stay booleans."""
    document = to_document(DECIDIM)
    assert {
        "pk": document_key(DECIDIM.id),
        "id": DECIDIM.id,
        "name_sort": "decidim",
        "short_description": {
            "en": "Participatory democracy platform",
            "de": "Plattform für Bürgerbeteiligung",
        },
        "licence": ["EUPL-1.2"],
        "category": ["collaboration-platform", "e-participation"],
        "organisation": ["Stadt Köln"],
        "forge": ["opencode"],
        "declared": True,
        "archived": False,
        "last_activity_ts": int(utc(2026, 10, 1).timestamp()),
        "stars": 120,
    } == {
        key: document[key]
        for key in (
            "pk",
            "id",
            "name_sort",
            "short_description",
            "licence",
            "category",
            "organisation",
            "forge",
            "declared",
            "archived",
            "last_activity_ts",
            "stars",
        )
    }
    assert (["EUPL-1.2", "MIT"], True) == (
        to_document(GEOPORTAL)["licence"],
        to_document(GEOPORTAL)["archived"],
    )
    assert False is to_document(OPENDESK)["declared"]


def test_mark_escapes_then_marks() -> None:
    """Markup in text is escaped; sentinels become <mark>; no match gives None."""
    formatted = f'a <b> & {HIGHLIGHT_PRE}"x"{HIGHLIGHT_POST}'
    assert "a &lt;b&gt; &amp; <mark>&quot;x&quot;</mark>" == mark(formatted, 'a <b> & "x"')
    assert None is mark("plain", "plain")
    assert None is mark(f"{HIGHLIGHT_PRE}x{HIGHLIGHT_POST}", f"raw has {HIGHLIGHT_PRE}")


def test_facet_counts_order_and_names() -> None:
    """Counts come back per protocol name, most first then by value, zeros dropped."""
    counts = facet_counts(
        {"licence": {"MIT": 2, "AGPL": 5, "EUPL": 2, "X": 0}}, ["licence", "forge"]
    )
    assert {"licence": {"AGPL": 5, "EUPL": 2, "MIT": 2}, "forge": {}} == counts
    assert ["AGPL", "EUPL", "MIT"] == list(counts["licence"])


def test_responses_without_exact_totals_or_ids_are_errors() -> None:
    """An estimated-total answer or a hit without id is a SearchError, not a wrong page."""
    with pytest.raises(SearchError, match="totalHits"):
        to_result({"hits": [], "estimatedTotalHits": 3}, [], 1, 20, "en")
    with pytest.raises(SearchError, match="rebuild"):
        to_result({"hits": [{"name": "x"}], "totalHits": 1}, [], 1, 20, "en")


@pytest.mark.parametrize(
    ("query", "sent"),
    [
        ('"Bürger beteiligung"', " Bürger beteiligung "),
        ("-Decidim", "Decidim"),
        ("open -source --x e-government", "open source x e-government"),
        ("NEAR(a b) OR *", "NEAR(a b) OR *"),
        ("a\ud800b", "a?b"),
    ],
)
def test_query_syntax_is_neutralised(query: str, sent: str) -> None:
    """Phrase quotes and leading minus signs lose their Meilisearch meaning."""
    assert sent == plain_query(query)


def test_mirror_copies_share_the_preferred_copys_activity() -> None:
    """Copies tie on activity (the preferred copy's) and are ordered declared, active, id."""
    copies = [
        {"id": "b", "mirror_rank": 0, "last_activity_ts": 20},
        {"id": "c", "mirror_rank": 2, "last_activity_ts": 99},
        {"id": "a", "mirror_rank": 1, "last_activity_ts": 10},
    ]
    settled = settle_mirrors(copies)
    assert [("b", 0, 20), ("a", 1, 20), ("c", 2, 20)] == [
        (d["id"], d["mirror_order"], d["activity_rank_ts"]) for d in settled
    ]
    assert [] == settle_mirrors([])
