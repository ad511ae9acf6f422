"""The shapes of a maturity assessment: criteria with a level, evidence and a reason code.

An `Assessment` is derived data: `schemas.maturity.assess` computes it from a record alone, so
nothing but the compact form (`Assessment.levels`) is ever stored. The reason *sentence* of a
criterion is not part of the model either: `schemas.maturity.reasons.reason_text` renders it
in German or English from the criterion's `reason` code and its evidence.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Model):
    """What a criterion's level rests on: where it was read, a date, a count, a value.

    Every field is optional; a criterion fills those its reason sentence names.
    """

    source: EvidenceSource | None = Field(
        default=None, description="where the fact was read: commit, activity, release, …"
    )
    path: str | None = Field(default=None, description="a file at the repository root")
    date: datetime | None = Field(default=None, description="a commit, activity or release date")
    days: int | None = Field(default=None, description="days between `date` and the assessment")
    count: int | None = Field(default=None, description="characters, releases, contacts, errors")
    value: str | None = Field(default=None, description="a licence id, a release tag, a type")


class Criterion(_Model):
    """One criterion: its level, the reason code of the sentence explaining it, the evidence."""

    name: CriterionName
    level: Level
    reason: str = Field(description="reason code, e.g. active.commit_recent (see reasons.py)")
    evidence: Evidence = Field(default_factory=Evidence)


class Assessment(_Model):
    """Every criterion of one record at one moment, and the summary level (0–3) they give."""

    level: SummaryLevel = Field(description="summary level 0–3 (rule in docs/maturity.md)")
    assessed_at: datetime = Field(description="the moment the criteria are measured against")
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
