"""`ForgeItem`: what codereuse opened on a record's repository, on its forge (pure data).

An issue about a broken publiccode.yml (`schemas.forge_issue.ForgeIssue`) and a merge/pull
request adding a drafted one (`schemas.proposal.Proposal`) both name the forge, the repository,
the record, and the item's number and web page there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ForgeItem:
    """An issue or merge/pull request codereuse opened on one repository."""

    forge: str
    repository_url: str
    record_id: str
    number: int
    """Its number on its forge (GitLab iid, GitHub/Gitea number)."""
    url: str
    """Its web page."""
