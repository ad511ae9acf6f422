"""The flat shape of a record for tabular exports (CSV, Parquet): one row, fixed columns.

JSON and NDJSON exports carry the whole record; tabular ones carry the columns analysts
compare and pivot on. Lists stay lists here: the CSV writer joins them, Parquet keeps them as
list columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from schemas.record import Record

ColumnType = Literal["string", "bool", "int", "date", "timestamp", "strings"]


@dataclass(frozen=True)
class Column:
    """One export column: its name, its type, and what it holds."""

    name: str
    type: ColumnType
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("id", "string", "canonical id (host/path)"),
    Column("url", "string", "canonical repository URL"),
    Column("name", "string", "name of the software"),
    Column("declared", "bool", "from a publiccode.yml (true) or inferred from the forge"),
    Column("valid", "bool", "the publiccode.yml has no error"),
    Column("forge", "string", "registered forge the record was crawled from"),
    Column("organisation", "string", "publishing organisation"),
    Column("organisation_uri", "string", "URI of the publishing organisation"),
    Column("licence", "string", "SPDX licence expression"),
    Column("categories", "strings", "publiccode.yml categories"),
    Column("platforms", "strings", "platforms"),
    Column("software_type", "string", "publiccode.yml softwareType"),
    Column("development_status", "string", "publiccode.yml developmentStatus"),
    Column("maintenance_type", "string", "publiccode.yml maintenance.type"),
    Column("software_version", "string", "latest version"),
    Column("release_date", "date", "date of the latest release"),
    Column("short_description_en", "string", "short description in English (or fallback)"),
    Column("short_description_de", "string", "short description in German (or fallback)"),
    Column("description_languages", "strings", "languages with a description"),
    Column("landing_url", "string", "landing page"),
    Column("programming_languages", "strings", "programming languages, main first"),
    Column("stars", "int", "stars on the forge"),
    Column("forks", "int", "forks on the forge"),
    Column("archived", "bool", "the repository is archived"),
    Column("is_fork", "bool", "the repository is a forge fork"),
    Column("created_at", "timestamp", "repository creation"),
    Column("last_activity", "timestamp", "last activity on the repository"),
    Column("used_by", "strings", "administrations using it"),
    Column("mirrors", "strings", "canonical URLs of mirrors"),
    Column("is_based_on", "strings", "canonical URLs this variant is based on"),
    Column("errors", "int", "error findings"),
    Column("warnings", "int", "warning findings"),
    Column("fetched_at", "timestamp", "when the record was crawled"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)

Cell = str | bool | int | date | datetime | list[str] | None


def record_row(record: Record) -> dict[str, Cell]:
    """The export row of `record`, keyed by `COLUMN_NAMES`."""
    english = record.description_in("en", ("de",))
    german = record.description_in("de", ("en",))
    repository = record.repository
    errors = sum(1 for finding in record.findings if finding.type == "error")
    return {
        "id": record.id,
        "url": record.url,
        "name": record.name,
        "declared": record.declared,
        "valid": record.valid,
        "forge": repository.forge,
        "organisation": record.organisation.name if record.organisation else None,
        "organisation_uri": record.organisation.uri if record.organisation else None,
        "licence": record.licence.expression if record.licence else repository.licence,
        "categories": list(record.categories),
        "platforms": list(record.platforms),
        "software_type": record.software_type,
        "development_status": record.development_status,
        "maintenance_type": record.maintenance.type,
        "software_version": record.software_version,
        "release_date": record.release_date,
        "short_description_en": english.short if english else repository.description,
        "short_description_de": german.short if german else repository.description,
        "description_languages": list(record.descriptions),
        "landing_url": record.landing_url,
        "programming_languages": list(repository.languages),
        "stars": repository.stars,
        "forks": repository.forks,
        "archived": repository.archived,
        "is_fork": repository.is_fork,
        "created_at": repository.created_at,
        "last_activity": repository.last_activity,
        "used_by": list(record.used_by),
        "mirrors": list(record.relations.mirrors),
        "is_based_on": list(record.relations.is_based_on),
        "errors": errors,
        "warnings": len(record.findings) - errors,
        "fetched_at": record.provenance.fetched_at,
    }
