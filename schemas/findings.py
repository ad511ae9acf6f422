"""Findings: what a check found wrong or doubtful in a piece of input.

A finding is the one shape every check of the project reports in (the publiccode.yml validator,
the crawler's per-forge problems, the registration checks), so the CLI, the API, the web pages
and the store show them alike.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FindingType = Literal["error", "warning"]


class Finding(BaseModel):
    """One error or warning, located by key path and, where known, 1-based line and column.

    `key` is a path like ``description.en.features[2]``; `line` and `column` are ``None`` when the
    finding is not tied to a place in the file (a missing key, a file that is not YAML at all).
    """

    model_config = ConfigDict(frozen=True)

    type: FindingType = Field(description="error: the input is rejected; warning: accepted")
    key: str = Field(description="path of the offending key, like description.en.features[2]")
    line: int | None = Field(default=None, ge=1, description="1-based line, or null")
    column: int | None = Field(default=None, ge=1, description="1-based column, or null")
    message: str = Field(description="what is wrong and what to do about it")
    code: str | None = Field(
        default=None,
        description="stable identifier of the kind of finding, like publiccode.too_large; "
        "the key of its message in every language (null for findings without a catalogue entry)",
    )
    params: dict[str, str | int] = Field(
        default_factory=dict, description="values the message catalogue fills into the message"
    )

    @property
    def is_error(self) -> bool:
        """True for an error, False for a warning."""
        return self.type == "error"


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    """True when any of the findings is an error."""
    return any(finding.type == "error" for finding in findings)
