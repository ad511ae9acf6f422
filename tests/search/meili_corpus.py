"""A small hand-built catalogue for the Meilisearch backend tests (no parser involved)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.record import (
    Description,
    Licence,
    Maintenance,
    Organisation,
    Provenance,
    Record,
    Relations,
    Repository,
    canonical_id,
)

FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int) -> datetime:
    """Midnight UTC of a day."""
    return datetime(year, month, day, tzinfo=UTC)


def make_record(
    url: str,
    name: str,
    *,
    short_en: str | None = None,
    short_de: str | None = None,
    licence: tuple[str, ...] = ("EUPL-1.2",),
    organisation: str | None = "Stadt Musterhausen",
    categories: tuple[str, ...] = ("collaboration-platform",),
    declared: bool = True,
    archived: bool = False,
    last_activity: datetime | None = None,
    stars: int | None = None,
    forge: str = "opencode",
    languages: tuple[str, ...] = ("Python",),
    mirrors: tuple[str, ...] = (),
) -> Record:
    """A record at `url` with sensible values for everything not given."""
    descriptions: dict[str, Description] = {}
    if short_en is not None:
        descriptions["en"] = Description(short=short_en, features=[f"{name} in English"])
    if short_de is not None:
        descriptions["de"] = Description(short=short_de, features=[f"{name} auf Deutsch"])
    return Record(
        id=canonical_id(url),
        url=url,
        declared=declared,
        name=name,
        descriptions=descriptions,
        licence=Licence(expression=" OR ".join(licence), ids=list(licence), valid=True)
        if licence
        else None,
        categories=list(categories),
        platforms=["web"],
        software_type="standalone/web",
        development_status="stable",
        maintenance=Maintenance(type="internal"),
        # the id is the name here, so filters and hostile values read as in the fixtures
        organisation=Organisation(id=organisation, name=organisation) if organisation else None,
        relations=Relations(mirrors=list(mirrors)),
        repository=Repository(
            forge=forge,
            url=url,
            stars=stars,
            languages=list(languages),
            last_activity=last_activity,
            archived=archived,
        ),
        provenance=Provenance(forge=forge, fetched_at=FETCHED, parser_version="test"),
    )


DECIDIM = make_record(
    "https://gitlab.opencode.de/koeln/decidim",
    "Decidim",
    short_en="Participatory democracy platform",
    short_de="Plattform für Bürgerbeteiligung",
    organisation="Stadt Köln",
    categories=("collaboration-platform", "e-participation"),
    last_activity=utc(2026, 10, 1),
    stars=120,
    languages=("Ruby",),
)
TERMINE = make_record(
    "https://gitlab.opencode.de/berlin/termine",
    "Terminvereinbarung",
    short_de="Online-Terminvereinbarung für Bürgerämter",
    licence=("MIT",),
    organisation="Land Berlin",
    categories=("scheduling",),
    last_activity=utc(2025, 3, 15),
    stars=5,
)
OPENDESK = make_record(
    "https://github.com/zendis/opendesk",
    "OpenDesk",
    short_en="Sovereign office and collaboration suite",
    licence=("AGPL-3.0-or-later",),
    organisation="ZenDiS",
    categories=("office", "collaboration-platform"),
    declared=False,
    last_activity=utc(2026, 6, 30),
    stars=300,
    forge="github",
    languages=("TypeScript",),
)
GEOPORTAL = make_record(
    "https://gitlab.opencode.de/berlin/geoportal",
    "Geoportal",
    short_en="Maps and geodata for citizens",
    licence=("EUPL-1.2", "MIT"),
    organisation="Land Berlin",
    categories=("geographic-information-systems",),
    archived=True,
    last_activity=utc(2024, 1, 1),
)
CORPUS: tuple[Record, ...] = (DECIDIM, TERMINE, OPENDESK, GEOPORTAL)

# Organisation names that would break out of a naively quoted filter value.
HOSTILE_VALUES: tuple[str, ...] = (
    'x" OR organisation EXISTS OR name = "',
    'It\'s "quoted"',
    "C:\\new\\table",
    "ends with a backslash\\",
    '\\"',
    "AND",
    "OR",
    "NOT",
    "TO",
    "1 TO 9",
    "organisation IN [a, b]",
    "line one\nline two",
    "tab\there",
    "(parenthesised)",
    "Ämter & Behörden <script>",
)
