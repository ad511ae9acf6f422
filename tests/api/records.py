"""Hand-built catalogue records for the API and page tests (no parser involved)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from schemas.findings import Finding
from schemas.organisation import name_id
from schemas.record import (
    Contact,
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


def make_record(
    url: str,
    name: str,
    *,
    short_en: str | None = None,
    short_de: str | None = None,
    licence: str = "EUPL-1.2",
    forge: str = "opencode",
    organisation: str | None = "Stadt Musterhausen",
    categories: tuple[str, ...] = ("collaboration-platform",),
    platforms: tuple[str, ...] = ("web",),
    declared: bool = True,
    last_activity: datetime | None = datetime(2026, 10, 1, tzinfo=UTC),
    languages: tuple[str, ...] = ("Python",),
    findings: tuple[Finding, ...] = (),
    archived: bool = False,
    stars: int | None = 3,
    relations: Relations | None = None,
    **extra: Any,
) -> Record:
    """A declared record at `url` with sensible values for everything not given."""
    descriptions: dict[str, Description] = {}
    if short_en is not None:
        descriptions["en"] = Description(
            short=short_en,
            long=f"{name} in long form. {short_en}",
            features=[f"{name} feature one", "Runs in the browser"],
        )
    if short_de is not None:
        descriptions["de"] = Description(
            short=short_de,
            long=f"{name} ausführlich. {short_de}",
            features=[f"{name} Funktion eins", "Läuft im Browser"],
        )
    return Record(
        id=canonical_id(url),
        url=url,
        declared=declared,
        name=name,
        descriptions=descriptions,
        licence=Licence(expression=licence, ids=[licence], valid=True),
        categories=list(categories),
        platforms=list(platforms),
        software_type="standalone/web",
        development_status="stable",
        software_version="1.0.0",
        release_date=date(2026, 9, 1),
        maintenance=Maintenance(
            type="internal", contacts=[Contact(name="Erika Mustermann", email="erika@example.org")]
        ),
        organisation=Organisation(
            id=name_id(organisation),
            name=organisation,
            uri="https://example.org/org",
            kind="public_body",
            source="publiccode",
        )
        if organisation
        else None,
        relations=relations or Relations(),
        repository=Repository(
            forge=forge,
            forge_kind="gitlab",
            forge_id="1",
            url=url,
            stars=stars,
            languages=list(languages),
            licence=licence,
            last_activity=last_activity,
            archived=archived,
        ),
        provenance=Provenance(
            forge=forge,
            fetched_at=FETCHED,
            file_path="publiccode.yml" if declared else None,
            parser_version="test",
            publiccode_version="0.4" if declared else None,
        ),
        findings=list(findings),
        **extra,
    )
