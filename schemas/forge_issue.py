"""An issue codereuse opened on a repository whose publiccode.yml is broken (pure data).

The store keeps one per repository and forge (`indexer.store.forge_issues`), so a repository
never has two open issues from codereuse: ``open`` while the file stays broken (updated when its
findings change), ``closed`` once codereuse closed it because the file was fixed (a later
breakage opens a new one), ``dismissed`` when the owner closed it while the file was still
broken (codereuse then leaves the repository alone until the file is fixed once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from schemas.forge_item import ForgeItem

IssueState = Literal["open", "closed", "dismissed"]
ISSUE_STATES: tuple[IssueState, ...] = get_args(IssueState)


@dataclass(frozen=True)
class ForgeIssue(ForgeItem):
    """One issue on one repository, as last written or read."""

    state: IssueState
    digest: str
    """Of the findings the issue lists (an update is due when they change)."""
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
