"""A proposal: a merge or pull request codereuse opened to add a drafted publiccode.yml.

The store remembers one per record, so a repository is never asked twice, whatever became of
the first request (``open``, ``merged``, ``closed``). Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from schemas.forge_item import ForgeItem

ProposalStatus = Literal["open", "merged", "closed"]
PROPOSAL_STATUSES: tuple[ProposalStatus, ...] = get_args(ProposalStatus)


@dataclass(frozen=True)
class Proposal(ForgeItem):
    """One merge/pull request adding a publiccode.yml to one repository."""

    status: ProposalStatus
    branch: str
    opened_at: datetime
    checked_at: datetime
    """When the status was last read from the forge."""
