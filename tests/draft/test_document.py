"""draft_publiccode: every value traced, the draft valid for our own validator."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.draft import NO_LICENCE, DraftFacts, LicenceFact, Owner, Release, draft_publiccode
from schemas.draft.licence_text import detect_licence
from schemas.publiccode import parse

NOW = datetime(2026, 11, 1, tzinfo=UTC)
BARE = DraftFacts(name="x", url="https://gitlab.example.org/g/x", forge="lab", now=NOW)
GERMAN_README = """\
# Terminvergabe

Die Terminvergabe ermöglicht Bürgerinnen und Bürgern, online einen Termin beim Bürgeramt zu
buchen. Die Verwaltung plant ihre Schalter und sieht die Auslastung des Tages auf einen Blick.

Das System wurde von der Stadt Musterhausen entwickelt und wird mit anderen Kommunen geteilt.

## Funktionen

- Online-Buchung mit Bestätigung per E-Mail
- Schalterplanung
"""
RICH = replace(
    BARE,
    name="Terminvergabe",
    description="Online-Terminvergabe für Bürgerämter",
    readme=GERMAN_README,
    topics=("appointments", "django"),
    languages=("Python", "HTML"),
    root_names=("Dockerfile", "locale", "manage.py"),
    licence=LicenceFact("EUPL-1.2", "LICENSE"),
    latest_release=Release("v2.3.0", datetime(2026, 9, 1, tzinfo=UTC)),
    last_commit_at=datetime(2026, 10, 20, tzinfo=UTC),
    owner=Owner(name="musterhausen", url="https://gitlab.example.org/musterhausen"),
    homepage="https://termine.example.org",
)


def errors(text: str) -> list[str]:
    return [f"{f.key}: {f.message}" for f in parse(text.encode()).errors]


def test_a_bare_repository_gives_a_valid_draft_with_todos() -> None:
    """Nothing known but a name and a URL: still 0 errors, the gaps marked TODO."""
    draft = draft_publiccode(BARE)
    assert [] == errors(draft.to_yaml())
    assert NO_LICENCE == draft.document["legal"]["license"]
    assert "no licence found" in draft.remarks
    keys = [key for key, _ in draft.todos]
    assert "legal.license" in keys and "softwareType" in keys


def test_name_url_and_descriptions_come_from_their_sources() -> None:
    """name = forge display name, url = repository URL, texts from the forge and README."""
    draft = draft_publiccode(RICH)
    document = draft.document
    assert "Terminvergabe" == document["name"]
    assert "https://gitlab.example.org/g/x" == document["url"]
    assert "de" == draft.language
    german = document["description"]["de"]
    assert "Online-Terminvergabe für Bürgerämter" == german["shortDescription"]
    assert german["longDescription"].startswith("Die Terminvergabe ermöglicht")
    assert 150 <= len(german["longDescription"]) <= 10_000
    assert ["Online-Buchung mit Bestätigung per E-Mail", "Schalterplanung"] == german["features"]
    assert "forge description" == draft.notes["description.de.shortDescription"].source
    assert "README (features section)" == draft.notes["description.de.features"].source
    assert [] == errors(draft.to_yaml())


def test_release_licence_organisation_and_rules() -> None:
    """softwareVersion/releaseDate from the latest release; licence and owner as found."""
    document = draft_publiccode(RICH).document
    assert "2.3.0" == document["softwareVersion"]
    assert "2026-09-01" == document["releaseDate"]
    assert "EUPL-1.2" == document["legal"]["license"]
    assert {"name": "musterhausen", "uri": "https://gitlab.example.org/musterhausen"} == document[
        "organisation"
    ]
    assert "standalone/web" == document["softwareType"]
    assert ["web"] == document["platforms"]
    assert "stable" == document["developmentStatus"]
    assert ["appointment-scheduling"] == document["categories"]
    assert {"localisationReady": True, "availableLanguages": ["de"]} == document["localisation"]
    assert "https://termine.example.org" == document["landingURL"]


def test_yaml_has_a_comment_per_value_and_strings_stay_strings() -> None:
    """'# from: …' above each value, TODO on guesses; versions and dates are quoted strings."""
    text = draft_publiccode(RICH).to_yaml()
    assert "# from: forge display name\nname: Terminvergabe" in text
    assert "  # from: LICENSE (SPDX detected)\n  license: EUPL-1.2" in text
    assert "# TODO: confirm\nsoftwareType: standalone/web" in text
    assert "releaseDate: '2026-09-01'" in text
    assert text.startswith("# publiccode.yml drafted by codereuse from what lab knows")
    data = parse(text.encode()).data
    assert data is not None
    assert "2.3.0" == data["softwareVersion"]


def test_long_readme_and_description_are_clipped_to_the_limits() -> None:
    """A 150+ character forge description is clipped; a huge README stays under 10,000."""
    long_text = "Ein sehr langer Satz über die Software und ihre Aufgaben. " * 400
    draft = draft_publiccode(replace(RICH, description=long_text, readme=long_text))
    german = draft.document["description"]["de"]
    assert len(german["shortDescription"]) <= 150
    assert len(german["longDescription"]) <= 10_000
    assert [] == errors(draft.to_yaml())


def test_licence_text_detection_never_guesses() -> None:
    """An MIT text is MIT; unknown text is None; GNU texts ask 'only' or 'or-later'."""
    mit = (
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
        'software and associated documentation files (the "Software"), to deal in the Software '
        "without restriction, including without limitation the rights to use, copy, modify, "
        "merge, publish, distribute, sublicense, and/or sell copies of the Software, and to "
        "permit persons to whom the Software is furnished to do so, subject to the following "
        "conditions:\n\nThe above copyright notice and this permission notice shall be included "
        "in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "
        '"AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED '
        "TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND "
        "NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY "
        "CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR "
        "OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER "
        "DEALINGS IN THE SOFTWARE."
    )
    detected = detect_licence(mit)
    assert detected is not None and "MIT" == detected.expression
    assert detect_licence("All rights reserved. Do what you like, maybe.") is None
    notice = "Licensed under the EUPL, Version 1.2 or – as soon they will be approved by the\n"
    italian = "LICENZA PUBBLICA DELL'UNIONE EUROPEA v. 1.2\nEUPL © Unione europea 2007, 2016\n"
    for text in (notice, italian):
        found = detect_licence(text)
        assert found is not None and "EUPL-1.2" == found.expression
    assert detect_licence(None) is None
    licence = LicenceFact("GPL-3.0-only", "LICENSE", version_choice_unknown=True)
    draft = draft_publiccode(replace(BARE, licence=licence))
    assert "or-later" in (draft.notes["legal.license"].todo or "")


def test_an_undetectable_language_falls_back_to_english_with_a_todo() -> None:
    """A description too short to tell gives 'en' and says so."""
    draft = draft_publiccode(replace(BARE, description="API v2"))
    assert "en" == draft.language
    assert "language not detected" in draft.remarks
    assert [] == errors(draft.to_yaml())


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=400,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=_TEXT.filter(lambda s: s.strip() != ""),
    description=st.none() | _TEXT,
    readme=st.none() | _TEXT,
    topics=st.lists(_TEXT, max_size=5),
    languages=st.lists(_TEXT, max_size=4),
    tag=st.none() | _TEXT.filter(lambda s: s.strip() != ""),
    homepage=st.none() | _TEXT,
)
def test_any_facts_give_a_valid_draft(
    name: str,
    description: str | None,
    readme: str | None,
    topics: list[str],
    languages: list[str],
    tag: str | None,
    homepage: str | None,
) -> None:
    """Hostile forge values (control characters, huge, odd Unicode) never break validity."""
    facts = replace(
        BARE,
        name=name,
        description=description,
        readme=readme,
        topics=tuple(topics),
        languages=tuple(languages),
        latest_release=Release(tag) if tag else None,
        homepage=homepage,
    )
    text = draft_publiccode(facts).to_yaml()
    assert [] == errors(text), repr(facts) + "\n" + text
