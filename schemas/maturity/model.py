"""The shapes of a maturity assessment: criteria with a level, evidence and a reason code.

An `Assessment` is derived data: `schemas.maturity.assess` computes it from a record alone, so
nothing but the compact form (`Assessment.levels`) is ever stored. The reason *sentence* of a
criterion is not part of the model either: `schemas.maturity.reasons.reason_text` renders it
in German or English from the criterion's `reason` code and its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

Level = Literal["met", "partly", "not_met", "unknown"]
LEVELS: tuple[Level, ...] = get_args(Level)

CriterionName = Literal[
    "active",
    "released",
    "licensed",
    "documented",
    "tested",
    "secure",
    "described",
    "maintained",
    "not_archived",
]
CRITERIA: tuple[CriterionName, ...] = get_args(CriterionName)

EvidenceSource = Literal["commit", "activity", "release", "publiccode", "forge", "file", "root"]

SummaryLevel = Literal[0, 1, 2, 3]
SUMMARY_LEVELS: tuple[SummaryLevel, ...] = (0, 1, 2, 3)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a criterion's level rests on: where it was read (`source`: commit, activity,
    release, publiccode, forge, file, root), a root file (`path`), a date and the `days`
    between it and the assessment, a `count` (characters, releases, contacts, errors) and a
    `value` (a licence id, a release tag, a maintenance type).

    Every field is optional; a criterion fills those its reason sentence names. Plain frozen
    dataclasses (not pydantic models): a crawl assesses every record it writes, and these are
    built from values this package computed, so there is nothing to validate.
    """

    source: EvidenceSource | None = None
    path: str | None = None
    date: datetime | None = None
    days: int | None = None
    count: int | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion: its level, the reason code of the sentence explaining it (e.g.
    ``active.commit_recent``, rendered by `reasons.reason_text`), the evidence."""

    name: CriterionName
    level: Level
    reason: str
    evidence: Evidence = field(default_factory=Evidence)


@dataclass(frozen=True, slots=True)
class Assessment:
    """Every criterion of one record at one moment (`assessed_at`, the moment the criteria are
    measured against), and the summary `level` 0–3 they give (rule in docs/maturity.md)."""

    level: SummaryLevel
    assessed_at: datetime
    criteria: tuple[Criterion, ...]

    def criterion(self, name: CriterionName) -> Criterion:
        """The criterion called `name` (every assessment holds all of `CRITERIA`)."""
        for criterion in self.criteria:
            if criterion.name == name:
                return criterion
        raise KeyError(name)

    def levels(self) -> dict[str, str]:
        """The compact form kept in the history: criterion name → level."""
        return {criterion.name: criterion.level for criterion in self.criteria}
