"""A proposal: a merge or pull request codereuse opened to add a drafted publiccode.yml.

The store remembers one per record, so a repository is never asked twice, whatever became of
the first request (``open``, ``merged``, ``closed``). Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

ProposalStatus = Literal["open", "merged", "closed"]
PROPOSAL_STATUSES: tuple[ProposalStatus, ...] = ("open", "merged", "closed")


@dataclass(frozen=True)
class Proposal:
    """One merge/pull request adding a publiccode.yml to one repository."""

    record_id: str
    forge: str
    repository_url: str
    number: int
    """The request's number on its forge (GitLab iid, GitHub/Gitea number)."""
    url: str
    """The request's web page."""
    status: ProposalStatus
    branch: str
    opened_at: datetime
    checked_at: datetime
    """When the status was last read from the forge."""
