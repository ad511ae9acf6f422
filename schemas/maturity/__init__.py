"""Maturity assessment, explainable: criteria with evidence and a reason, and a summary level.

`assess(record, now)` is a pure function of a catalogue record (its repository facts, licence,
publiccode.yml validity and maintenance, archived flag) and the moment to measure against (the
crawl's fetch time by default). Each criterion has a level (``met``, ``partly``, ``not_met``,
``unknown``), the evidence it rests on and a reason code whose sentence
`reasons.reason_text` renders in German or English. The summary level 0–3 follows the written
rule of `assess.summary_level` (also in ``docs/maturity.md``); it is never a weighted score.
"""

from schemas.maturity.assess import (
    ACTIVE_DAYS,
    README_MIN_CHARACTERS,
    YEAR_DAYS,
    assess,
    missing_for,
    next_change,
    summary_level,
)
from schemas.maturity.model import (
    CRITERIA,
    LEVELS,
    SUMMARY_LEVELS,
    Assessment,
    Criterion,
    CriterionName,
    Evidence,
    Level,
    SummaryLevel,
)
from schemas.maturity.reasons import (
    LANGUAGES,
    level_name,
    reason_text,
    reasons,
    summary_rule,
)

__all__ = [
    "ACTIVE_DAYS",
    "CRITERIA",
    "LANGUAGES",
    "LEVELS",
    "README_MIN_CHARACTERS",
    "SUMMARY_LEVELS",
    "YEAR_DAYS",
    "Assessment",
    "Criterion",
    "CriterionName",
    "Evidence",
    "Level",
    "SummaryLevel",
    "assess",
    "level_name",
    "missing_for",
    "next_change",
    "reason_text",
    "reasons",
    "summary_level",
    "summary_rule",
]
