"""Similar software: TF-IDF over the catalogue's words, across organisations, with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from api.similar import SimilarCache, SimilarIndex
from schemas.record import Relations
from tests.api.client import AppClient
from tests.api.conftest import corpus
from tests.api.records import make_record
from tests.web.corpus import readable_real_world


def _catalogue() -> list[Any]:
    def record(path: str, name: str, text: str, organisation: str, **extra: Any) -> Any:
        return make_record(
            f"https://gitlab.opencode.de/{path}",
            name,
            short_de=text,
            organisation=organisation,
            categories=("appointment-scheduling",)
            if "Termin" in text
            else ("document-management",),
            **extra,
        )

    return [
        record("stadt-a/termine", "Bürgertermine", "Terminvergabe für das Bürgeramt", "Stadt A"),
        record("stadt-b/buchung", "Terminbuchung", "Online Terminvergabe im Bürgeramt", "Stadt B"),
        record("stadt-a/kalender", "Terminkalender", "Terminvergabe Bürgeramt intern", "Stadt A"),
        record(
            "land-c/termine-fork",
            "Bürgertermine Fork",
            "Terminvergabe für das Bürgeramt, angepasst",
            "Land C",
            relations=Relations(is_based_on=["https://gitlab.opencode.de/stadt-a/termine"]),
        ),
        record("kreis-d/akte", "E-Akte", "Elektronische Akte für Sachbearbeitung", "Kreis D"),
        record("kreis-e/akte", "Aktenplan", "Elektronische Akte und Aktenplan", "Kreis E"),
    ]


def _index(records: list[Any]) -> SimilarIndex:
    return SimilarIndex.build(record.model_dump_json() for record in records)


def test_similar_records_of_other_organisations_with_shared_words() -> None:
    """The appointment tool of another city comes first, with the words both use."""
    found = _index(_catalogue()).similar("gitlab.opencode.de/stadt-a/termine")
    assert "gitlab.opencode.de/stadt-b/buchung" == found[0].id
    assert {"terminvergabe", "bürgeramt"} <= {word.casefold() for word in found[0].shared}


def test_same_organisation_and_related_records_are_left_out() -> None:
    """Software of the same organisation and declared forks/variants are not "similar"."""
    ids = [item.id for item in _index(_catalogue()).similar("gitlab.opencode.de/stadt-a/termine")]
    assert "gitlab.opencode.de/stadt-a/kalender" not in ids
    assert "gitlab.opencode.de/land-c/termine-fork" not in ids


def test_organisations_of_the_same_name_are_told_apart_by_id() -> None:
    """Two organisations sharing a display name are still other organisations: the exclusion
    goes by organisation id, so the namesake's software is offered."""
    records = _catalogue()
    namesake = records[1].model_copy(
        update={"organisation": records[1].organisation.model_copy(update={"name": "Stadt A"})}
    )
    assert namesake.organisation.id != records[0].organisation.id
    found = _index([records[0], namesake, *records[2:]]).similar(
        "gitlab.opencode.de/stadt-a/termine"
    )
    assert "gitlab.opencode.de/stadt-b/buchung" == found[0].id
    assert "Stadt A" == found[0].organisation


def test_unrelated_records_are_not_similar() -> None:
    """Records sharing no distinctive word are never offered; an unknown id gives nothing."""
    index = _index(_catalogue())
    ids = [item.id for item in index.similar("gitlab.opencode.de/kreis-d/akte")]
    assert ["gitlab.opencode.de/kreis-e/akte"] == ids
    assert [] == index.similar("gitlab.opencode.de/no/such")


def test_cache_builds_in_the_background_and_keeps_the_old_index() -> None:
    """The first call answers None and builds; later calls answer; a new position rebuilds."""
    cache = SimilarCache(rebuild_after=0)
    records = _catalogue()
    documents = lambda: iter(record.model_dump_json() for record in records)  # noqa: E731
    assert cache.get(1, documents) is None
    assert cache.wait(10)
    first = cache.get(1, documents)
    assert first is not None and 6 == len(first)
    records.append(make_record("https://github.com/x/y", "Neu", organisation="X"))
    assert first is cache.get(2, documents)  # still the old one while the new one builds
    assert cache.wait(10)
    assert 7 == len(cache.get(2, documents) or [])
    patient = SimilarCache(rebuild_after=3600)
    patient.get(1, documents)
    assert patient.wait(10)
    assert patient.get(2, documents) is patient.get(3, documents)  # no rebuild within the hour
    assert patient.wait(0)


def test_software_page_shows_similar_software_with_the_reason(
    client: AppClient, app: FastAPI, store: Any
) -> None:
    """Once the index is built, the page lists similar software and what it shares."""
    store.upsert_records(_catalogue())
    client.get("/software/gitlab.opencode.de/stadt-a/termine?lang=de")
    assert app.state.context.similar.wait(10)
    html = client.get("/software/gitlab.opencode.de/stadt-a/termine?lang=de").text
    assert "Ähnliche Software" in html
    assert 'href="/software/gitlab.opencode.de/stadt-b/buchung?lang=de"' in html
    assert "gemeinsam: " in html and "Terminvergabe" in html


@pytest.mark.browser
def test_similar_software_in_chromium(page: Any, base_url: str) -> None:
    """In chromium a real record's page shows similar software of another organisation."""
    _, real = readable_real_world()
    index = _index([*real, *corpus()])
    record_id = next(record.id for record in real if index.similar(record.id))
    for _ in range(50):  # the first view starts the index build; it is ready within seconds
        page.goto(f"{base_url}/software/{record_id}?lang=en")
        if page.locator("#s-similar").count():
            break
        page.wait_for_timeout(200)
    assert page.get_by_role("heading", name="Similar software").is_visible()
    assert page.locator(".similar .reason").first.inner_text().startswith("shares: ")
