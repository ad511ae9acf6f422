"""The flat shape of a record for tabular exports (CSV, Parquet): one row, fixed columns.

JSON and NDJSON exports carry the whole record; tabular ones carry the columns analysts
compare and pivot on. Lists stay lists here: the CSV writer joins them, Parquet keeps them as
list columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, cast

from indexer.search.documents import document_record
from schemas.facts import root_files
from schemas.maturity import CRITERIA, assess
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
    Column("drafted", "bool", "its publiccode.yml view is drafted by codereuse (inferred)"),
    Column("forge", "string", "registered forge the record was crawled from"),
    Column("organisation", "string", "publishing organisation (as organisation_name)"),
    Column("organisation_uri", "string", "URI of the publishing organisation"),
    Column("organisation_id", "string", "id of the organisation (/organisations/ID)"),
    Column("organisation_name", "string", "name of the organisation; empty for a person"),
    Column("organisation_kind", "string", "public_body, project, company, person or unknown"),
    Column("owner", "string", "forge owner path: host and group/organisation/user"),
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
    # maturity (docs/maturity.md) and the repository facts it rests on
    Column("maturity_level", "int", "summary maturity level 0-3"),
    *(
        Column(f"maturity_{name}", "string", f"criterion {name}: met, partly, not_met, unknown")
        for name in CRITERIA
    ),
    Column("releases_count", "int", "releases on the forge (empty: not read)"),
    Column("latest_release", "string", "tag of the latest release"),
    Column("latest_release_at", "timestamp", "when the latest release was published"),
    Column("last_commit_at", "timestamp", "date of the default branch's head commit"),
    Column("commits_last_year", "int", "default-branch commits in the year before the crawl"),
    Column("open_issues", "int", "open issues on the forge"),
    Column("root_files", "strings", "well-known root files present (README, LICENSE, CI, …)"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)

Cell = str | bool | int | date | datetime | list[str] | None
Document = dict[str, Any]
"""A record in its JSON shape (``Record.model_dump(mode="json")`` or the store's document)."""


def _description(descriptions: Document, wanted: tuple[str, ...]) -> Document | None:
    """Like `Record.description_in`: exact tag, then primary subtag, per wanted language."""
    if not descriptions:
        return None
    lowered = {tag.lower(): text for tag, text in descriptions.items()}
    for language in wanted:
        if language in lowered:
            return cast(Document, lowered[language])
        for tag, text in lowered.items():
            if tag.split("-")[0] == language:
                return cast(Document, text)
    return cast(Document, next(iter(descriptions.values())))


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def document_row(document: Document) -> dict[str, Cell]:
    """The export row of one record given in its JSON shape, keyed by `COLUMN_NAMES`.

    Works on the stored JSON (parsed, no model built), which is what makes full exports fast.
    """
    repository: Document = document["repository"]
    descriptions: Document = document.get("descriptions") or {}
    english = _description(descriptions, ("en", "de"))
    german = _description(descriptions, ("de", "en"))
    organisation: Document = document.get("organisation") or {}
    licence: Document = document.get("licence") or {}
    relations: Document = document.get("relations") or {}
    findings: list[Document] = document.get("findings") or []
    errors = sum(1 for finding in findings if finding.get("type") == "error")
    return {
        "id": document["id"],
        "url": document["url"],
        "name": document["name"],
        "declared": document["declared"],
        "valid": errors == 0,
        "drafted": not document["declared"],  # `Provenance.drafted` (older documents lack it)
        "forge": repository["forge"],
        "organisation": organisation.get("name"),
        "organisation_uri": organisation.get("uri"),
        "organisation_id": organisation.get("id"),
        "organisation_name": organisation.get("name"),
        "organisation_kind": organisation.get("kind"),
        "owner": repository.get("owner"),
        "licence": licence.get("expression") or repository.get("licence"),
        "categories": list(document.get("categories") or []),
        "platforms": list(document.get("platforms") or []),
        "software_type": document.get("software_type"),
        "development_status": document.get("development_status"),
        "maintenance_type": (document.get("maintenance") or {}).get("type"),
        "software_version": document.get("software_version"),
        "release_date": _day(document.get("release_date")),
        "short_description_en": english.get("short") if english else repository.get("description"),
        "short_description_de": german.get("short") if german else repository.get("description"),
        "description_languages": list(descriptions),
        "landing_url": document.get("landing_url"),
        "programming_languages": list(repository.get("languages") or []),
        "stars": repository.get("stars"),
        "forks": repository.get("forks"),
        "archived": bool(repository.get("archived")),
        "is_fork": bool(repository.get("is_fork")),
        "created_at": _moment(repository.get("created_at")),
        "last_activity": _moment(repository.get("last_activity")),
        "used_by": list(document.get("used_by") or []),
        "mirrors": list(relations.get("mirrors") or []),
        "is_based_on": list(relations.get("is_based_on") or []),
        "errors": errors,
        "warnings": len(findings) - errors,
        "fetched_at": _moment(document["provenance"]["fetched_at"]),
        **_maturity_cells(document),
    }


def _maturity_cells(document: Document) -> dict[str, Cell]:
    """The maturity and repository-fact columns of one record in its JSON shape."""
    record = document_record(document)
    assessment = assess(record)
    facts = record.repository.facts
    latest = facts.latest_release if facts else None
    found = root_files(facts.root) if facts else None
    return {
        "maturity_level": assessment.level,
        **{f"maturity_{c.name}": c.level for c in assessment.criteria},
        "releases_count": facts.releases_count if facts else None,
        "latest_release": latest.tag if latest else None,
        "latest_release_at": latest.published_at if latest else None,
        "last_commit_at": facts.last_commit_at if facts else None,
        "commits_last_year": facts.commits_last_year if facts else None,
        "open_issues": facts.open_issues if facts else None,
        "root_files": None
        if found is None
        else [entry.name for entry in found.values() if entry is not None],
    }


def record_row(record: Record) -> dict[str, Cell]:
    """The export row of a record model (same as `document_row` of its JSON)."""
    return document_row(record.model_dump(mode="json"))
