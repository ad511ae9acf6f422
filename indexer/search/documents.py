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
  organisation *id* (`organisation_facet`: two organisations of one name stay apart; pages show
  the name), forge, programming languages, declared, archived; the maturity level and flags
  (`maturity_values`);
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
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast

from schemas.errors import InvalidURLError
from schemas.facts import RepositoryFacts
from schemas.maturity import assess
from schemas.record import Record, canonical_id

REUSE_THRESHOLDS: tuple[int, ...] = (1, 2, 3, 5, 10, 20, 50, 100)
"""Reuse levels (kept equal to `protocol.REUSE_THRESHOLDS`; documents may not import protocol)."""

QUALITY_RANKS = 12
"""How many values `SearchDocument.quality_rank` takes (0 … 11)."""

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
    organisation_id: str | None = None
    """The id of `organisation` (its facet value, see `organisation_facet`)."""
    reuse_level: int = 0
    """The highest of `REUSE_THRESHOLDS` the other organisations using the record reach, or 0."""
    maturity_level: int = 0
    """The summary maturity level 0–3 (`schemas.maturity`)."""

    @property
    def quality_rank(self) -> int:
        """Ties in text relevance go to lower ranks (0 … `QUALITY_RANKS` - 1): declared and valid
        before inferred or invalid, then with a description before without, then by maturity
        (level 3 first), so mature declared records come before inferred, empty ones."""
        return (
            (0 if self.declared and self.valid else 8)
            + (0 if self.short else 4)
            + (3 - min(max(self.maturity_level, 0), 3))
        )

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


MATURITY_FLAGS: dict[str, str] = {
    "has_release": "released",
    "has_ci": "tested",
    "has_security_policy": "secure",
}
"""Maturity facet → the criterion it reads: ``true`` when met (for ``has_release``: any
release, met or partly), ``false`` when not met, no value when unknown."""


def maturity_values(record: Record) -> tuple[int, dict[str, tuple[str, ...]]]:
    """The summary maturity level of `record` and its maturity facet values.

    ``maturity`` is the level as text (``"0"`` … ``"3"``); ``active_within`` holds ``"90d"``
    and ``"1y"`` for a commit within 90 days, ``"1y"`` alone within a year (cumulative, like
    the reuse levels), nothing otherwise.
    """
    assessment = assess(record)
    values: dict[str, tuple[str, ...]] = {"maturity": (str(assessment.level),)}
    for name, criterion in MATURITY_FLAGS.items():
        level = assessment.criterion(criterion).level  # type: ignore[arg-type]
        if level == "unknown":
            values[name] = ()
        elif name == "has_release":
            values[name] = ("true" if level in {"met", "partly"} else "false",)
        else:
            values[name] = ("true" if level == "met" else "false",)
    active = assessment.criterion("active").level
    values["active_within"] = {"met": ("90d", "1y"), "partly": ("1y",)}.get(active, ())
    return assessment.level, values


def organisation_facet(record: Record) -> str | None:
    """The ``organisation`` facet value of `record`: its resolved organisation's id, never its
    name (two organisations may share one); None for a person (a user namespace is not an
    organisation) or a record without an organisation id."""
    organisation = record.organisation
    if organisation is None or organisation.kind == "person":
        return None
    return organisation.id or None


def facet_values(record: Record) -> dict[str, tuple[str, ...]]:
    """The value(s) of every keyword facet field for `record` (empty tuple when it has none)."""

    def one(value: str | None) -> tuple[str, ...]:
        return (value,) if value else ()

    organisation = organisation_facet(record)
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
        **maturity_values(record)[1],
        # Publisher views (issue 13).
        "valid": ("true" if record.valid else "false",),
        "has_findings": ("true" if record.findings else "false",),
        "finding": _unique([finding.code for finding in record.findings if finding.code]),
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
    facets = facet_values(record)
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
        facets=facets,
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
        maturity_level=int(facets["maturity"][0]),
        organisation_id=organisation_facet(record),
    )


class _View(dict):  # type: ignore[type-arg]
    """A JSON object read with attribute access (missing keys read as None)."""

    __getattr__ = dict.get


def _prepared(data: Any) -> Record:
    """`data` (a stored record's JSON read into `_View` objects) with the values `Record`
    computes or types filled in, read like a `Record` by `search_document` and `assess`."""
    repository = data.repository
    if isinstance(repository.last_activity, str):
        repository["last_activity"] = datetime.fromisoformat(repository.last_activity)
    if isinstance(repository.facts, dict):
        repository["facts"] = RepositoryFacts.model_validate(dict(repository.facts))
    provenance = data.provenance
    if isinstance(provenance.fetched_at, str):
        provenance["fetched_at"] = datetime.fromisoformat(provenance.fetched_at)
    if isinstance(data.release_date, str):
        data["release_date"] = date.fromisoformat(data.release_date)
    data["forge"] = repository.forge
    data["mirrors"] = list(data.relations.mirrors)
    data["valid"] = not any(finding.type == "error" for finding in data.findings or ())
    return cast(Record, data)


def search_document_from_json(text: str) -> SearchDocument:
    """`search_document` of a record stored as JSON (``Record.model_dump_json``), without pydantic.

    For bulk rebuilds: validating 100,000 records costs about 15 s, reading them this way a
    fraction of it. The JSON must come from a `Record` (the store's own documents); the result
    equals ``search_document(Record.model_validate_json(text))``.
    """
    return search_document(_prepared(json.loads(text, object_hook=_View)))


def _view(value: Any) -> Any:
    if isinstance(value, dict):
        return _View({key: _view(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_view(item) for item in value]
    return value


def document_record(document: Mapping[str, Any]) -> Record:
    """A record in its stored JSON shape (parsed to dicts), readable like a `Record` by
    `search_document` and `schemas.maturity.assess` without building the model; `document`
    itself is not changed."""
    return _prepared(_view(document))


def document_maturity_values(document: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """`maturity_values` of a record in its stored JSON shape, already parsed to dicts."""
    return maturity_values(document_record(document))[1]
