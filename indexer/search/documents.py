"""Catalogue record → search document: what a search backend indexes, filters, sorts and shows.

Pure (no I/O), shared by every backend so they agree on what is searchable and how facets read:

- **searchable texts**, grouped by attribute rank (name and localised names > short
  description > features > categories, generic names, topics and organisation > long
  description), per language tag where the record has one; a record without descriptions
  (inferred from forge metadata) is searched on the forge's repository description; the README
  text the record keeps (`Record.repository.facts`) is searched in the lowest attribute, as a
  long description of undetermined language, so a word only in the README finds the record,
  ranked below every name or description hit;
- **facet values** per field of `protocol.KEYWORD_FIELDS`, always as tuples of strings
  (booleans as ``"true"``/``"false"``): licence ids (the forge-detected licence when the record
  declares none), categories, platforms, software type, development status, maintenance type,
  organisation name, forge, programming languages, declared, archived;
- **sort keys**: last activity as epoch seconds, stars, `name_sort` (case-folded name);
- **mirror collapsing**: `mirror_group` is the smallest canonical id among the record and the
  mirrors it lists (mirror links are symmetric in the store, so every copy computes the same
  key); `mirror_rank` orders the copies of one group (lower is preferred: declared before
  inferred, active before archived), the id breaking ties.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from schemas.errors import InvalidURLError
from schemas.record import Record, canonical_id

REUSE_THRESHOLDS: tuple[int, ...] = (1, 2, 3, 5, 10, 20, 50, 100)
"""Reuse levels (kept equal to `protocol.REUSE_THRESHOLDS`; documents may not import protocol)."""

T = TypeVar("T")
UNDETERMINED = "und"  # language tag of texts whose language is unknown (forge descriptions)


@dataclass(frozen=True)
class SearchDocument:
    """One record as a search backend sees it (see the module docstring)."""

    id: str
    url: str
    name: str
    name_sort: str
    names: tuple[str, ...]
    short: Mapping[str, str]
    features: Mapping[str, tuple[str, ...]]
    tags: tuple[str, ...]
    long: Mapping[str, str]
    facets: Mapping[str, tuple[str, ...]]
    last_activity: datetime | None
    last_activity_ts: int | None
    stars: int | None
    mirror_group: str
    mirror_rank: int
    licence_expression: str | None
    declared: bool
    valid: bool
    forge: str
    organisation: str | None
    mirrors: tuple[str, ...] = field(default=())
    reuse_level: int = 0
    """The highest of `REUSE_THRESHOLDS` the other organisations using the record reach, or 0."""

    @property
    def quality_rank(self) -> int:
        """Ties in text relevance go to lower ranks: 0 declared and valid with a description,
        1 declared and valid without one, 2 inferred or invalid with one, 3 neither."""
        return (0 if self.declared and self.valid else 2) + (0 if self.short else 1)

    def short_in(self, locale: str) -> str | None:
        """The short description for `locale`, else English, else any; None when there is none."""
        return pick_language(self.short, locale)

    def features_in(self, locale: str) -> tuple[str, ...]:
        """The features for `locale`, else English, else any."""
        return pick_language(self.features, locale) or ()


def pick_language(texts: Mapping[str, T], locale: str) -> T | None:
    """The value for `locale`'s primary subtag, else ``en``, else the first; None when empty."""
    if not texts:
        return None
    wanted = locale.split("-")[0].lower()
    for tag in (wanted, "en"):
        if tag in texts:
            return texts[tag]
    return next(iter(texts.values()))


def timestamp(moment: datetime) -> int:
    """Epoch seconds of `moment`; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def mirror_group(record: Record) -> str:
    """The smallest canonical id among the record and its listed mirrors (unparsable URLs skipped)."""
    ids = {record.id}
    for url in record.relations.mirrors:
        try:
            ids.add(canonical_id(url))
        except InvalidURLError:
            continue
    return min(ids)


def licence_ids(record: Record) -> tuple[str, ...]:
    """SPDX ids of the declared licence, else the forge-detected licence, else none."""
    if record.licence and record.licence.ids:
        return tuple(record.licence.ids)
    if record.repository.licence:
        return (record.repository.licence,)
    return ()


def reuse_level(record: Record) -> int:
    """The highest reuse threshold the record reaches (0: no other organisation uses it)."""
    reuse = getattr(record, "reuse", None)
    organisations = getattr(reuse, "used_by_organisations", 0) or 0
    return max((t for t in REUSE_THRESHOLDS if organisations >= t), default=0)


def facet_values(record: Record) -> dict[str, tuple[str, ...]]:
    """The value(s) of every keyword facet field for `record` (empty tuple when it has none)."""

    def one(value: str | None) -> tuple[str, ...]:
        return (value,) if value else ()

    organisation = record.organisation.name if record.organisation else None
    return {
        "licence": _unique(licence_ids(record)),
        "category": _unique(record.categories),
        "platform": _unique(record.platforms),
        "software_type": one(record.software_type),
        "development_status": one(record.development_status),
        "maintenance_type": one(record.maintenance.type),
        "organisation": one(organisation),
        "forge": one(record.forge),
        "language": _unique(record.repository.languages),
        "declared": ("true" if record.declared else "false",),
        "archived": ("true" if record.repository.archived else "false",),
        "reused_by_organisations": tuple(
            f"{t}+" for t in REUSE_THRESHOLDS if t <= reuse_level(record)
        ),
    }


def readme_text(record: Record) -> str | None:
    """The README text the record keeps, or None (no facts read, no README)."""
    facts = getattr(record.repository, "facts", None)
    text = getattr(facts, "readme_text", None) if facts is not None else None
    return text if isinstance(text, str) and text.strip() else None


def _unique(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _language(tag: str) -> str:
    return tag.split("-")[0].lower()


def search_document(record: Record) -> SearchDocument:
    """The search document of `record` (see the module docstring for what goes where)."""
    names: list[str] = [record.name]
    generic: list[str] = []
    short: dict[str, str] = {}
    features: dict[str, tuple[str, ...]] = {}
    long: dict[str, str] = {}
    for tag, description in record.descriptions.items():
        language = _language(tag)
        if description.localised_name and description.localised_name not in names:
            names.append(description.localised_name)
        if description.generic_name and description.generic_name not in generic:
            generic.append(description.generic_name)
        if description.short and language not in short:
            short[language] = description.short
        if description.features and language not in features:
            features[language] = tuple(description.features)
        if description.long and language not in long:
            long[language] = description.long
    if not short and record.repository.description:
        short[UNDETERMINED] = record.repository.description
    readme = readme_text(record)
    if readme:
        long[UNDETERMINED] = f"{long[UNDETERMINED]}\n\n{readme}" if UNDETERMINED in long else readme
    if record.application_suite and record.application_suite not in names:
        names.append(record.application_suite)
    organisation = record.organisation.name if record.organisation else None
    tags = _unique([*record.categories, *generic, *record.repository.topics, organisation or ""])
    last_activity = record.repository.last_activity
    rank = (0 if record.declared else 2) + (1 if record.repository.archived else 0)
    return SearchDocument(
        id=record.id,
        url=record.url,
        name=record.name,
        name_sort=record.name.casefold(),
        names=tuple(names),
        short=short,
        features=features,
        tags=tags,
        long=long,
        facets=facet_values(record),
        last_activity=last_activity,
        last_activity_ts=timestamp(last_activity) if last_activity else None,
        stars=record.repository.stars,
        mirror_group=mirror_group(record),
        mirror_rank=rank,
        licence_expression=record.licence.expression if record.licence else None,
        declared=record.declared,
        valid=record.valid,
        forge=record.forge,
        organisation=organisation,
        mirrors=tuple(record.mirrors),
        reuse_level=reuse_level(record),
    )


class _View(dict):  # type: ignore[type-arg]
    """A JSON object read with attribute access (missing keys read as None)."""

    __getattr__ = dict.get


def search_document_from_json(text: str) -> SearchDocument:
    """`search_document` of a record stored as JSON (``Record.model_dump_json``), without pydantic.

    For bulk rebuilds: validating 100,000 records costs about 15 s, reading them this way a
    fraction of it. The JSON must come from a `Record` (the store's own documents); the result
    equals ``search_document(Record.model_validate_json(text))``.
    """
    data: Any = json.loads(text, object_hook=_View)
    repository = data.repository
    if isinstance(repository.last_activity, str):
        repository["last_activity"] = datetime.fromisoformat(repository.last_activity)
    data["forge"] = repository.forge
    data["mirrors"] = list(data.relations.mirrors)
    data["valid"] = not any(finding.type == "error" for finding in data.findings or ())
    return search_document(cast(Record, data))
