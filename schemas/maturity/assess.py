"""Record → maturity assessment: one pure function per criterion, and the summary rule.

No I/O and no clock: every date is measured against `now`, the crawl's fetch time of the record
(`Provenance.fetched_at`) unless the caller passes another, so the same record always gives
the same assessment. A fact the crawl did not read gives ``unknown``, never a guess: a record
whose root listing was not read (``facts`` None, or ``facts.root`` None) cannot be said to lack
a CI configuration. The rules are written out for users in ``docs/maturity.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from schemas.facts import FileKind, RepositoryFacts, RootEntry, root_files
from schemas.maturity.approved import approved
from schemas.maturity.model import (
    Assessment,
    Criterion,
    CriterionName,
    Evidence,
    EvidenceSource,
    Level,
    SummaryLevel,
)
from schemas.record import Record

ACTIVE_DAYS = 90
"""A commit within this many days before the crawl: ``active`` is met."""
YEAR_DAYS = 365
"""Within a year: ``active`` partly met, ``released`` met."""
README_MIN_CHARACTERS = 1000
"""A README this long (or longer) counts as documentation."""


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _days(moment: datetime, now: datetime) -> int:
    return max(0, (_utc(now) - _utc(moment)).days)


def _criterion(
    name: CriterionName, level: Level, reason: str, evidence: Evidence | None = None
) -> Criterion:
    return Criterion(
        name=name, level=level, reason=f"{name}.{reason}", evidence=evidence or Evidence()
    )


def _facts(record: Record) -> RepositoryFacts | None:
    return record.repository.facts


def _root(record: Record) -> dict[FileKind, str | None] | None:
    """The names of the well-known root files, or None when the root listing was not read."""
    facts = _facts(record)
    if facts is None or facts.root is None:
        return None
    return _classified(tuple((entry.name, entry.type) for entry in facts.root))


@lru_cache(maxsize=4096)
def _classified(entries: tuple[tuple[str, str], ...]) -> dict[FileKind, str | None]:
    """`root_files` by name, cached: catalogues repeat a few hundred root layouts."""
    found = root_files([RootEntry(name=name, type=kind) for name, kind in entries])  # type: ignore[arg-type]
    return {kind: entry.name if entry else None for kind, entry in (found or {}).items()}


def _empty(record: Record) -> bool:
    facts = _facts(record)
    return bool(facts is not None and facts.empty)


def _activity(record: Record) -> tuple[datetime | None, EvidenceSource]:
    """The moment `active` measures: the last commit, else (unless the repository is empty)
    the forge's last activity."""
    facts = _facts(record)
    moment: datetime | None = facts.last_commit_at if facts else None
    if moment is None and not _empty(record):
        return record.repository.last_activity, "activity"
    return moment, "commit"


def active(record: Record, now: datetime) -> Criterion:
    """The default branch's last commit (else the forge's last activity): ≤ 90 days met,
    ≤ 1 year partly, older not met."""
    moment, source = _activity(record)
    if moment is None and _empty(record):
        return _criterion("active", "not_met", "empty")
    if moment is None:
        return _criterion("active", "unknown", "unknown")
    days = _days(moment, now)
    evidence = Evidence(source=source, date=_utc(moment), days=days)
    if days <= ACTIVE_DAYS:
        return _criterion("active", "met", f"{source}_recent", evidence)
    if days <= YEAR_DAYS:
        return _criterion("active", "partly", f"{source}_year", evidence)
    return _criterion("active", "not_met", f"{source}_old", evidence)


def _release_date(value: date) -> datetime:
    return datetime.combine(value, time.min, tzinfo=UTC)


def _dated_releases(record: Record) -> list[tuple[datetime, EvidenceSource, str | None]]:
    """The dated releases `released` weighs: the forge's latest, the publiccode.yml's."""
    facts = _facts(record)
    dated: list[tuple[datetime, EvidenceSource, str | None]] = []
    latest = facts.latest_release if facts else None
    if latest is not None and latest.published_at is not None:
        dated.append((_utc(latest.published_at), "release", latest.tag))
    if record.declared and record.release_date is not None:
        dated.append((_release_date(record.release_date), "publiccode", record.software_version))
    return dated


def released(record: Record, now: datetime) -> Criterion:
    """A release (forge release, or the publiccode.yml's releaseDate) in the year before the
    crawl: met; only older or undated releases: partly; none: not met."""
    facts = _facts(record)
    dated = _dated_releases(record)
    latest = facts.latest_release if facts else None
    count = facts.releases_count if facts else None
    if dated:
        moment, source, value = max(dated, key=lambda item: item[0])
        days = _days(moment, now)
        evidence = Evidence(source=source, date=moment, days=days, value=value, count=count)
        if days <= YEAR_DAYS:
            return _criterion("released", "met", f"{source}_recent", evidence)
        return _criterion("released", "partly", f"{source}_old", evidence)
    if latest is not None or (count or 0) > 0:
        evidence = Evidence(source="release", value=latest.tag if latest else None, count=count)
        return _criterion("released", "partly", "undated", evidence)
    if _empty(record):
        return _criterion("released", "not_met", "empty")
    if count == 0:
        return _criterion("released", "not_met", "none", Evidence(source="release", count=0))
    return _criterion("released", "unknown", "unknown")


def _all_approved(ids: list[str] | tuple[str, ...]) -> bool:
    return bool(ids) and all(approved(licence) for licence in ids)


def licensed(record: Record, now: datetime) -> Criterion:
    """An OSI- or FSF-approved SPDX licence declared in the publiccode.yml, detected by the
    forge or recognised in the LICENSE file: met; a licence that is not approved, or a LICENSE
    file whose text was not recognised: partly; no licence anywhere: not met."""
    facts = _facts(record)
    root = _root(record)
    file_path = (facts.licence_path if facts else None) or (root.get("licence") if root else None)
    found: list[tuple[EvidenceSource, tuple[str, ...], str, str | None]] = []
    if record.licence is not None and record.licence.valid and record.licence.ids:
        found.append(("publiccode", tuple(record.licence.ids), record.licence.expression, None))
    if record.repository.licence:
        found.append(("forge", (record.repository.licence,), record.repository.licence, None))
    if facts is not None and facts.licence_from_file:
        found.append(("file", (facts.licence_from_file,), facts.licence_from_file, file_path))
    for source, ids, value, path in found:
        if _all_approved(ids):
            return _criterion(
                "licensed", "met", source, Evidence(source=source, value=value, path=path)
            )
    if found:
        source, _, value, path = found[0]
        evidence = Evidence(source=source, value=value, path=path)
        return _criterion("licensed", "partly", "not_approved", evidence)
    if record.licence is not None:  # declared, but not a valid SPDX expression
        evidence = Evidence(source="publiccode", value=record.licence.expression)
        return _criterion("licensed", "partly", "invalid", evidence)
    if file_path is not None:
        return _criterion(
            "licensed", "partly", "unrecognised", Evidence(source="file", path=file_path)
        )
    if root is not None or _empty(record):
        return _criterion("licensed", "not_met", "none")
    return _criterion("licensed", "unknown", "unknown")


def _readme_length(facts: RepositoryFacts) -> int | None:
    if facts.readme_text is not None:
        return len(facts.readme_text)
    return facts.readme_size


def documented(record: Record, now: datetime) -> Criterion:
    """A README of at least 1,000 characters and a CONTRIBUTING file: met; one of them: partly."""
    facts = _facts(record)
    root = _root(record)
    if _empty(record):
        return _criterion("documented", "not_met", "empty")
    if facts is None or root is None:
        return _criterion("documented", "unknown", "unknown")
    readme = root.get("readme")
    contributing = root.get("contributing")
    readme_path = facts.readme_path or readme
    length = _readme_length(facts) if readme_path else None
    evidence = Evidence(
        source="root",
        path=readme_path,
        count=length,
        value=contributing,
    )
    long_enough = None if readme_path and length is None else (length or 0) >= README_MIN_CHARACTERS
    if long_enough is None:
        level: Level = "partly" if contributing else "unknown"
        return _criterion("documented", level, "readme_unmeasured", evidence)
    if long_enough and contributing:
        return _criterion("documented", "met", "both", evidence)
    if long_enough:
        return _criterion("documented", "partly", "readme_only", evidence)
    if contributing:
        return _criterion("documented", "partly", "contributing_only", evidence)
    if readme_path:
        return _criterion("documented", "not_met", "short_readme", evidence)
    return _criterion("documented", "not_met", "none")


def _root_file(record: Record, name: CriterionName, kind: FileKind) -> Criterion:
    if _empty(record):
        return _criterion(name, "not_met", "empty")
    root = _root(record)
    if root is None:
        return _criterion(name, "unknown", "unknown")
    path = root.get(kind)
    if path is None:
        return _criterion(name, "not_met", "none")
    return _criterion(name, "met", "present", Evidence(source="root", path=path))


def tested(record: Record, now: datetime) -> Criterion:
    """A CI configuration at the root (``.gitlab-ci.yml``, ``.github/workflows``, …): met."""
    return _root_file(record, "tested", "ci")


def secure(record: Record, now: datetime) -> Criterion:
    """A SECURITY policy at the root: met."""
    return _root_file(record, "secure", "security")


def described(record: Record, now: datetime) -> Criterion:
    """A valid publiccode.yml: met; one with errors: partly; none: not met."""
    path = record.provenance.file_path
    if not record.declared:
        return _criterion("described", "not_met", "none")
    if record.valid:
        return _criterion("described", "met", "valid", Evidence(source="publiccode", path=path))
    errors = sum(1 for finding in record.findings if finding.type == "error")
    evidence = Evidence(source="publiccode", path=path, count=errors)
    return _criterion("described", "partly", "invalid", evidence)


def maintained(record: Record, now: datetime) -> Criterion:
    """The publiccode.yml's maintenance type is not ``none`` and names contacts (or, for
    ``contract``, contractors): met; a type without anyone named: partly; ``none``: not met;
    no publiccode.yml: unknown (nothing says who maintains it)."""
    if not record.declared:
        return _criterion("maintained", "unknown", "undeclared")
    maintenance = record.maintenance
    kind = maintenance.type
    if kind is None:
        return _criterion("maintained", "not_met", "missing")
    if kind == "none":
        return _criterion(
            "maintained", "not_met", "none", Evidence(source="publiccode", value=kind)
        )
    people = len(maintenance.contacts) + (len(maintenance.contractors) if kind == "contract" else 0)
    evidence = Evidence(source="publiccode", value=kind, count=people)
    if people:
        return _criterion("maintained", "met", "contacts", evidence)
    return _criterion("maintained", "partly", "no_contacts", evidence)


def not_archived(record: Record, now: datetime) -> Criterion:
    """The forge does not mark the repository archived: met."""
    if record.repository.archived:
        return _criterion("not_archived", "not_met", "archived", Evidence(source="forge"))
    return _criterion("not_archived", "met", "active", Evidence(source="forge"))


RULES: tuple[Callable[[Record, datetime], Criterion], ...] = (
    active,
    released,
    licensed,
    documented,
    tested,
    secure,
    described,
    maintained,
    not_archived,
)
"""One function per criterion, in `model.CRITERIA` order."""


def summary_level(criteria: dict[str, Level]) -> SummaryLevel:
    """The summary level 0–3 of criterion levels (``docs/maturity.md``, "The summary level").

    1 basic: licensed met, not archived, documented at least partly.
    2 maintained: 1, and active at least partly (a commit within a year) and tested met.
    3 mature: 2, and active met (90 days), released met, documented met, and at least one of
    secure, described or maintained met. Unknown counts as not met.
    """

    def met(name: str) -> bool:
        return criteria.get(name) == "met"

    def some(name: str) -> bool:
        return criteria.get(name) in {"met", "partly"}

    if not (met("licensed") and met("not_archived") and some("documented")):
        return 0
    if not (some("active") and met("tested")):
        return 1
    if not (
        met("active")
        and met("released")
        and met("documented")
        and any(met(name) for name in ("secure", "described", "maintained"))
    ):
        return 2
    return 3


def missing_for(criteria: dict[str, Level], level: int) -> list[str]:
    """What keeps a record below summary `level` (1–3), as ``criterion:met`` or
    ``criterion:partly`` (the least level needed), or ``any:secure,described,maintained``."""
    needed: dict[str, set[str]] = {
        "licensed": {"met"},
        "not_archived": {"met"},
        "documented": {"met", "partly"},
    }
    if level >= 2:
        needed |= {"active": {"met", "partly"}, "tested": {"met"}}
    if level >= 3:
        needed |= {"active": {"met"}, "released": {"met"}, "documented": {"met"}}
    missing = [
        f"{name}:{'partly' if 'partly' in ok else 'met'}"
        for name, ok in needed.items()
        if criteria.get(name) not in ok
    ]
    optional = ("secure", "described", "maintained")
    if level >= 3 and not any(criteria.get(name) == "met" for name in optional):
        missing.append("any:" + ",".join(optional))
    return missing


def assess(record: Record, now: datetime | None = None) -> Assessment:
    """Every criterion of `record` measured at `now` (default: the record's fetch time)."""
    moment = _utc(now or record.provenance.fetched_at)
    criteria = tuple(rule(record, moment) for rule in RULES)
    level = summary_level({criterion.name: criterion.level for criterion in criteria})
    return Assessment(level=level, assessed_at=moment, criteria=criteria)


def next_change(record: Record, now: datetime | None = None) -> datetime | None:
    """The first moment after `now` (default: the record's fetch time) at which `assess` gives
    `record` other levels with nothing else changed, or None when no criterion depends on time
    any more.

    Only `active` and `released` measure time: a commit or release date crossing 90 days or a
    year. A store keeps this moment beside each record, so a recrawl that finds a repository
    unchanged re-assesses it exactly when a dormant repository stops being ``active``
    (`indexer.store.maturity`), without re-assessing every record.
    """
    moment = _utc(now or record.provenance.fetched_at)
    edges: list[datetime] = []
    activity, _ = _activity(record)
    if activity is not None:
        edges += [_utc(activity) + timedelta(days=days + 1) for days in (ACTIVE_DAYS, YEAR_DAYS)]
    dated = _dated_releases(record)
    if dated:
        edges.append(max(item[0] for item in dated) + timedelta(days=YEAR_DAYS + 1))
    return min((edge for edge in edges if edge > moment), default=None)
