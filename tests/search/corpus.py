"""The fixed search corpus: records built from the real publiccode.yml files in ``../shared``.

Texts, categories, licences, platforms, software types and statuses come from the files. The
forge facts a publiccode.yml does not hold are assigned deterministically from the file's
position, so filters and facets have several values to work with: forge (three forges), stars,
programming languages, last activity (the release date when given), archived (every 11th),
inferred records (every 17th is built as if its repository had no publiccode.yml). Two
records (the two GlobaLeaks copies) are made mirrors of each other. The repository URL is the
one the file was found in (``https://<forge>/<owner>/<repo>``); ids that collide after case
folding (``OPAS``/``opas``) keep the first file.

Files that are not valid YAML are skipped (the corpus is for search, not for the validator).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from schemas.organisation import name_id
from schemas.publiccode import vocabularies
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
    canonical_url,
)

REAL_WORLD = Path(__file__).resolve().parents[3] / "shared" / "data" / "publiccode-real-world"
FORGES = ("github.com", "gitlab.com", "code.example.org")
PROGRAMMING = ("Python", "Java", "JavaScript", "PHP", "Go", "TypeScript")
SOFTWARE_TYPES = set(vocabularies.SOFTWARE_TYPES)
STATUSES = set(vocabularies.DEVELOPMENT_STATUSES)
MAINTENANCE = set(vocabularies.MAINTENANCE_TYPES)
MIRRORED = ("ASLBrindisi__GlobaLeaks", "BrianNjau__globaleaks-whistleblowing-software")
_LICENCE_ID = re.compile(r"[A-Za-z0-9.+-]+")
_OPERATORS = {"AND", "OR", "WITH"}


def _load(path: Path) -> dict[str, Any] | None:
    try:
        from schemas.publiccode import parse  # type: ignore[attr-defined]

        data = parse(path.read_bytes()).data
        if isinstance(data, dict) and data.get("name"):
            return data
    except Exception:  # the validator is optional here; PyYAML reads what it cannot
        pass
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) and data.get("name") and data.get("url") else None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _strings(value: Any) -> list[str]:
    return [str(item) for item in value if item] if isinstance(value, list) else []


def _number(seed: str, modulo: int) -> int:
    return int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % modulo


def _descriptions(data: dict[str, Any]) -> dict[str, Description]:
    found: dict[str, Description] = {}
    for tag, section in (data.get("description") or {}).items():
        if not isinstance(section, dict):
            continue
        found[str(tag)] = Description(
            localised_name=_text(section.get("localisedName")),
            generic_name=_text(section.get("genericName")),
            short=_text(section.get("shortDescription")),
            long=_text(section.get("longDescription")),
            features=_strings(section.get("features")),
        )
    return found


def _licence(expression: str | None) -> Licence | None:
    if not expression:
        return None
    ids = [t for t in _LICENCE_ID.findall(expression) if t.upper() not in _OPERATORS]
    return Licence(expression=expression, ids=ids, valid=True)


def _release(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def record_from(position: int, stem: str, data: dict[str, Any]) -> Record:
    """The catalogue record for the file at `position` (its ``NNN__owner__repo`` stem)."""
    owner_repo = "/".join(stem.split("__")[1:3])
    url = canonical_url(f"https://{FORGES[position % len(FORGES)]}/{owner_repo}")
    forge = FORGES[position % len(FORGES)]
    legal = data.get("legal") or {}
    maintenance = data.get("maintenance") or {}
    organisation = data.get("organisation") or {}
    organisation_name = _text(organisation.get("name")) if isinstance(organisation, dict) else None
    organisation_name = organisation_name or _text(legal.get("repoOwner"))
    organisation_name = organisation_name or _text(legal.get("mainCopyrightOwner"))
    released = _release(data.get("releaseDate"))
    base = datetime(2021, 1, 1, tzinfo=UTC) + timedelta(days=13 * position)
    activity = (
        datetime(released.year, released.month, released.day, tzinfo=UTC) if released else base
    )
    declared = position % 17 != 0
    descriptions = _descriptions(data)
    short_en = next((d.short for d in descriptions.values() if d.short), None)
    software_type = data.get("softwareType")
    status = data.get("developmentStatus")
    maintenance_type = maintenance.get("type") if isinstance(maintenance, dict) else None
    languages = [PROGRAMMING[position % len(PROGRAMMING)]]
    if position % 4 == 0:
        languages.append(PROGRAMMING[(position + 1) % len(PROGRAMMING)])
    return Record(
        id=canonical_id(url),
        url=url,
        declared=declared,
        name=str(data["name"]),
        application_suite=_text(data.get("applicationSuite")) if declared else None,
        descriptions=descriptions if declared else {},
        licence=_licence(_text(legal.get("license"))) if declared else None,
        categories=_strings(data.get("categories")) if declared else [],
        platforms=_strings(data.get("platforms")) if declared else [],
        software_type=software_type if declared and software_type in SOFTWARE_TYPES else None,
        development_status=status if declared and status in STATUSES else None,
        maintenance=Maintenance(
            type=maintenance_type if declared and maintenance_type in MAINTENANCE else None
        ),
        organisation=Organisation(id=name_id(organisation_name), name=organisation_name)
        if organisation_name
        else None,
        repository=Repository(
            forge=forge,
            url=url,
            description=None if declared else short_en,
            stars=_number(stem, 400),
            languages=languages,
            licence=_text(legal.get("license")) if not declared else None,
            last_activity=activity,
            archived=position % 11 == 0,
        ),
        provenance=Provenance(
            forge=forge,
            fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
            file_path="publiccode.yml" if declared else None,
            parser_version="test",
        ),
    )


def load_corpus(directory: Path = REAL_WORLD) -> list[Record]:
    """Every usable file of `directory` as a record, in file order, mirrors linked."""
    records: list[Record] = []
    by_stem: dict[str, Record] = {}
    seen: set[str] = set()
    for position, path in enumerate(sorted(directory.glob("*__publiccode.y*ml")), start=1):
        data = _load(path)
        if data is None:
            continue
        stem = path.name.removesuffix(".yml").removesuffix(".yaml")
        record = record_from(position, stem, data)
        if record.id in seen:
            continue
        seen.add(record.id)
        records.append(record)
        by_stem["__".join(stem.split("__")[1:3])] = record
    first, second = (by_stem.get(name) for name in MIRRORED)
    if first and second:
        first.relations = Relations(mirrors=[second.url])
        second.relations = Relations(mirrors=[first.url])
    return records


def make_record(
    slug: str,
    name: str,
    *,
    texts: dict[str, str] | None = None,
    features: dict[str, list[str]] | None = None,
    long: dict[str, str] | None = None,
    forge: str = "github.com",
    licence: str = "EUPL-1.2",
    categories: tuple[str, ...] = (),
    last_activity: datetime | None = None,
    stars: int = 0,
    mirrors: tuple[str, ...] = (),
    declared: bool = True,
) -> Record:
    """A small hand-made record for behaviour tests: short descriptions per language in `texts`."""
    url = f"https://{forge}/test/{slug}"
    languages = set(texts or {}) | set(features or {}) | set(long or {})
    return Record(
        id=canonical_id(url),
        url=url,
        declared=declared,
        name=name,
        descriptions={
            language: Description(
                short=(texts or {}).get(language),
                features=(features or {}).get(language, []),
                long=(long or {}).get(language),
            )
            for language in sorted(languages)
        },
        licence=_licence(licence),
        categories=list(categories),
        relations=Relations(mirrors=list(mirrors)),
        repository=Repository(
            forge=forge,
            url=url,
            stars=stars,
            last_activity=last_activity or datetime(2024, 1, 1, tzinfo=UTC),
        ),
        provenance=Provenance(
            forge=forge, fetched_at=datetime(2026, 11, 1, tzinfo=UTC), parser_version="test"
        ),
    )
