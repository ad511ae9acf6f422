"""Record → search document (pure): facet values, texts by attribute, mirror groups."""

from __future__ import annotations

from indexer.search.documents import (
    UNDETERMINED,
    facet_values,
    mirror_group,
    pick_language,
    search_document,
)
from schemas.record import Licence, Record, Relations
from tests.search.corpus import make_record


def test_facet_values_read_the_record() -> None:
    """Every keyword facet gets a tuple of strings; booleans read "true"/"false"."""
    record = make_record("x", "Tool", categories=("gis", "gis", "maps"), licence="EUPL-1.2 OR MIT")
    values = facet_values(record)
    assert ("EUPL-1.2", "MIT") == values["licence"]
    assert ("gis", "maps") == values["category"]
    assert ("github.com",) == values["forge"]
    assert ("true",) == values["declared"]
    assert ("false",) == values["archived"]
    assert () == values["software_type"]


def test_forge_licence_stands_in_for_a_missing_declared_one() -> None:
    """Without a declared licence, the licence the forge detected is the facet value."""
    record = make_record("x", "Tool")
    record.licence = Licence(expression="", ids=[], valid=False)
    record.repository.licence = "Apache-2.0"
    assert ("Apache-2.0",) == facet_values(record)["licence"]


def test_mirror_group_is_shared_by_both_copies() -> None:
    """Two records listing each other as mirrors compute the same group key."""
    first = make_record("a", "Tool", forge="gitlab.com")
    second = make_record("b", "Tool", forge="github.com")
    first.relations = Relations(mirrors=[second.url])
    second.relations = Relations(mirrors=[first.url, "not a url"])
    assert mirror_group(first) == mirror_group(second) == min(first.id, second.id)


def test_texts_go_to_their_attribute_and_language() -> None:
    """Names, short descriptions, features, tags and long texts are kept apart, per language."""
    record = make_record(
        "x",
        "Tool",
        texts={"de-CH": "Kurz", "en": "Short"},
        features={"en": ["Fast"]},
        long={"de": "Lang"},
        categories=("gis",),
    )
    document = search_document(record)
    assert ("Tool",) == document.names
    assert {"de": "Kurz", "en": "Short"} == dict(document.short)
    assert {"en": ("Fast",)} == dict(document.features)
    assert {"de": "Lang"} == dict(document.long)
    assert "gis" in document.tags
    assert "Kurz" == document.short_in("de")
    assert "Short" == document.short_in("fr")


def test_inferred_record_is_searched_on_its_forge_description() -> None:
    """A record without descriptions uses the repository description, language unknown."""
    record = make_record("x", "Tool", declared=False)
    record.repository.description = "Maps for towns"
    assert {UNDETERMINED: "Maps for towns"} == dict(search_document(record).short)


def test_pick_language_falls_back_to_english_then_first() -> None:
    """The locale's primary subtag first, then English, then whatever there is."""
    assert "en" == pick_language({"de": "de", "en": "en"}, "fr-FR")
    assert "it" == pick_language({"it": "it"}, "de")
    assert pick_language({}, "de") is None


def test_json_reading_equals_the_model_path(corpus: list[Record]) -> None:
    """Reading a stored record's JSON gives the same search document as validating it."""
    from indexer.search.documents import search_document_from_json

    for record in corpus:
        assert search_document(record) == search_document_from_json(record.model_dump_json())


def test_readme_text_is_searched_in_the_lowest_attribute() -> None:
    """The README the record keeps goes to the long texts (undetermined language), after any
    long description of that tag; JSON-read documents agree."""
    from indexer.search.documents import search_document_from_json
    from schemas.facts import RepositoryFacts

    record = make_record("x", "Tool")
    record.repository.facts = RepositoryFacts(readme_text="# Tool\n\nGeodaten für Gemeinden.")
    document = search_document(record)
    assert "Geodaten für Gemeinden" in document.long[UNDETERMINED]
    assert document == search_document_from_json(record.model_dump_json())
    record.repository.facts = RepositoryFacts(readme_text="   ")
    assert UNDETERMINED not in search_document(record).long
