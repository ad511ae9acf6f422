"""Language behaviour every backend owes: compounds, stemming, umlauts, typos, prefixes, ranking.

Small hand-made catalogues, built per test by the backend under test (`make_backend`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from indexer.search.protocol import SearchBackend
from schemas.record import Record
from tests.search.corpus import make_record

MakeBackend = Callable[[list[Record]], SearchBackend]


def _names(backend: SearchBackend, query: str) -> list[str]:
    return [hit.name for hit in backend.search(query).hits]


@pytest.fixture
def german(make_backend: MakeBackend) -> SearchBackend:
    """A small German catalogue with compounds."""
    return make_backend(
        [
            make_record("a", "Bürgerbeteiligung Online", texts={"de": "Mitreden in der Stadt."}),
            make_record(
                "b", "Mitmachen", texts={"de": "Eine Bürgerbeteiligungsplattform für Kommunen."}
            ),
            make_record("c", "Verwaltungsportal Nord", texts={"de": "Das Portal der Verwaltung."}),
            make_record("d", "Kartendienst", texts={"de": "Karten für Geodaten."}),
            make_record("e", "Haushaltsplan", texts={"de": "Planung des Haushalts 2024."}),
        ]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Beteiligung", {"Bürgerbeteiligung Online", "Mitmachen"}),
        ("beteiligungen", {"Bürgerbeteiligung Online", "Mitmachen"}),
        ("Verwaltungsportale", {"Verwaltungsportal Nord"}),
        ("Buergerbeteiligung", {"Bürgerbeteiligung Online"}),
        ("BÜRGERBETEILIGUNG", {"Bürgerbeteiligung Online"}),
        ("Plattform", {"Mitmachen"}),
    ],
)
def test_german_compounds_stems_and_umlauts(
    german: SearchBackend, query: str, expected: set[str]
) -> None:
    """Compound parts, inflections, ae/oe/ue spellings and case all find the record."""
    assert expected <= set(_names(german, query))


def test_typo_tolerance_follows_word_length(german: SearchBackend) -> None:
    """1 typo from 5 letters, 2 from 9, none below 5 letters."""
    assert "Kartendienst" in _names(german, "Kartendeinst")  # 12 letters, transposition
    assert "Kartendienst" in _names(german, "Kartendinst ")  # 11 letters, one missing
    assert "Kartendienst" in _names(german, "Karten ")
    assert "Kartendienst" in _names(german, "Kraten ")  # 6 letters, one transposition
    assert "Kartendienst" not in _names(german, "Krtn ")  # 4 letters: no typo allowed
    assert "Verwaltungsportal Nord" not in _names(german, "Vrwaltngsprtal ")  # 3 typos


def test_numbers_get_no_typos(german: SearchBackend) -> None:
    """A number matches itself only: "2025" does not find "2024"."""
    assert ["Haushaltsplan"] == _names(german, "2024 ")
    assert [] == _names(german, "2025 ")


def test_last_word_is_a_prefix_while_typing(german: SearchBackend) -> None:
    """The last word matches as a prefix unless the query ends with a space."""
    assert "Verwaltungsportal Nord" in _names(german, "verwal")
    assert [] == _names(german, "verwal ")


def test_ranking_prefers_more_words_then_fewer_typos_then_name(
    make_backend: MakeBackend,
) -> None:
    """Bucket order: matched words, typos, then attribute (name above description)."""
    old = datetime(2019, 1, 1, tzinfo=UTC)
    backend = make_backend(
        [
            make_record("one", "Formular", texts={"en": "A form server."}, last_activity=old),
            make_record("both", "Tool", texts={"en": "Formular server for forms."}),
            make_record("typo", "Formulare", texts={"en": "Fromular and server."}),
            make_record("desc", "Builder", texts={"en": "Formular builder."}),
        ]
    )
    names = _names(backend, "formular server ")
    assert "Tool" == names[0]  # both words, exact
    assert names.index("Formular") < names.index("Builder")  # name beats description
    single = _names(backend, "formular ")
    assert single.index("Formular") < single.index("Tool")  # name beats description


def test_proximity_ranks_adjacent_words_first(make_backend: MakeBackend) -> None:
    """With all words matched exactly in the same attribute, adjacent words rank first."""
    backend = make_backend(
        [
            make_record("far", "Alpha", texts={"en": "open tools for many cities and their data"}),
            make_record("near", "Beta", texts={"en": "the open data portal"}),
        ]
    )
    assert ["Beta", "Alpha"] == _names(backend, "open data ")


def test_recent_activity_breaks_ties(make_backend: MakeBackend) -> None:
    """Records equal on every rule come newest first."""
    backend = make_backend(
        [
            make_record("old", "Kalender", last_activity=datetime(2020, 1, 1, tzinfo=UTC)),
            make_record("new", "Kalender", last_activity=datetime(2025, 1, 1, tzinfo=UTC)),
        ]
    )
    hits = backend.search("kalender").hits
    assert ["github.com/test/new", "github.com/test/old"] == [hit.id for hit in hits]


def test_exact_name_match_ranks_first(make_backend: MakeBackend) -> None:
    """A record whose whole name is the query beats one that only contains it."""
    backend = make_backend(
        [
            make_record("long", "Open Data Portal Suite", stars=900),
            make_record("exact", "Open Data", last_activity=datetime(2018, 1, 1, tzinfo=UTC)),
        ]
    )
    assert "Open Data" == _names(backend, "open data ")[0]
