"""Pure text analysis: folding, transliteration, stemming, typo rules, compound parts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.search.text import (
    WORD_PATTERN,
    compound_parts_match,
    contracted,
    fold,
    index_terms,
    max_typos,
    raw_words,
    typo_distance,
    words,
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Bürger", "burger"),
        ("Straße", "strasse"),
        ("qualità", "qualita"),
        ("Œuvre", "oeuvre"),
        ("Łódź", "lodz"),
        ("ÆRØ", "aero"),
        ("façade", "facade"),
    ],
)
def test_fold_removes_case_and_diacritics(word: str, expected: str) -> None:
    """Folding case-folds and strips diacritics, spelling out ß, æ, œ, ø, ł."""
    assert expected == fold(word)


def test_german_transliterations_contract() -> None:
    """ae/oe/ue after a letter contract to a/o/u; words without them have no contracted form."""
    assert "burgerburo" == contracted("buergerbuero")
    assert "behorden" == contracted("behoerden")
    assert contracted("plattform") is None


def test_index_terms_hold_word_stem_and_contraction() -> None:
    """A word is indexed as itself, contracted, and stemmed in the given languages."""
    terms = index_terms("buergerbeteiligungen", ("de",))
    assert {"buergerbeteiligungen", "burgerbeteiligungen", "burgerbeteil"} <= set(terms)


def test_words_split_on_punctuation_and_underscore() -> None:
    """Words are runs of letters and digits; punctuation and ``_`` separate them."""
    assert ["open", "source", "losung", "v2", "api", "docs"] == words(
        "Open-Source-Lösung v2 (api_docs)"
    )


@given(st.text(max_size=60))
def test_fast_split_agrees_with_the_word_pattern(text: str) -> None:
    """The whitespace-and-strip fast path finds exactly the words of the regular expression."""
    assert set(WORD_PATTERN.findall(text.casefold())) == raw_words(text)


@pytest.mark.parametrize(
    ("word", "expected"), [("rat", 0), ("karte", 1), ("plattform", 2), ("eupl12", 0), ("2024", 0)]
)
def test_typo_allowance_by_length_and_digits(word: str, expected: int) -> None:
    """0 typos below 5 letters, 1 from 5, 2 from 9, none when the word holds a digit."""
    assert expected == max_typos(word)


def test_first_letter_typo_costs_two() -> None:
    """Edits inside the word cost 1 each; an edit on the first letter costs 2."""
    assert 1 == typo_distance("platform", "plattform", 2)
    assert 2 == typo_distance("klatform", "platform", 2)
    assert typo_distance("klatform", "platform", 1) is None
    assert 1 == typo_distance("vewraltung", "verwaltung", 2)
    assert typo_distance("abcdefgh", "zyxwvuts", 2) is None


@pytest.mark.parametrize(
    ("part", "word", "expected"),
    [
        ("beteiligung", "burgerbeteiligung", True),
        ("beteiligung", "burgerbeteiligungsplattform", True),
        ("beteilig", "beteiligungsverfahren", True),
        ("portal", "verwaltungsportal", True),
        ("table", "stable", False),
        ("amt", "bauamt", False),
        ("beteiligung", "beteiligung", False),
    ],
)
def test_compound_parts(part: str, word: str, expected: bool) -> None:
    """A part of at least 5 letters matches as a compound element, not as any substring."""
    assert expected == compound_parts_match(part, word)


def test_truncated_head_is_not_a_compound_part() -> None:
    """A part that is not a word of its own does not match at the start of a compound."""
    assert not compound_parts_match("verwal", "verwaltungsportal", as_head=False)
    assert compound_parts_match("portal", "verwaltungsportal", as_head=False)
