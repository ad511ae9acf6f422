"""Stored forge issues (`schemas.forge_issue.ForgeIssue`): one per (forge, repository URL).

`ForgeIssueStoreMethods` is the part of `Store` that reads and writes them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select

from indexer.store.notification_models import ForgeIssueRow
from indexer.store.part import StorePart
from schemas.forge_issue import ISSUE_STATES, ForgeIssue

_FIELDS = tuple(ForgeIssue.__dataclass_fields__)


def _issue(row: Any) -> ForgeIssue:
    values = {name: getattr(row, name) for name in _FIELDS}
    if values["state"] not in ISSUE_STATES:
        values["state"] = "open"
    return ForgeIssue(**values)


class ForgeIssueStoreMethods(StorePart):
    """The forge-issue part of `indexer.store.Store` (a mixin: `Store` supplies the rest)."""

    def save_forge_issue(self, issue: ForgeIssue) -> None:
        """Insert or replace the issue of (`issue.forge`, `issue.repository_url`)."""
        with self._transaction(write=True) as connection:
            connection.execute(
                delete(ForgeIssueRow).where(
                    ForgeIssueRow.forge == issue.forge,
                    ForgeIssueRow.repository_url == issue.repository_url,
                )
            )
            connection.execute(
                insert(ForgeIssueRow).values(**{name: getattr(issue, name) for name in _FIELDS})
            )

    def move_forge_issue(self, earlier_url: str, issue: ForgeIssue) -> None:
        """Keep `issue` under its (new) repository URL and forget the row of `earlier_url`
        (the repository was renamed or moved): one row per issue, never two."""
        with self._transaction(write=True) as connection:
            connection.execute(
                delete(ForgeIssueRow).where(
                    ForgeIssueRow.forge == issue.forge,
                    ForgeIssueRow.repository_url.in_([earlier_url, issue.repository_url]),
                )
            )
            connection.execute(
                insert(ForgeIssueRow).values(**{name: getattr(issue, name) for name in _FIELDS})
            )

    def get_forge_issue(self, forge: str, repository_url: str) -> ForgeIssue | None:
        """The issue remembered for a repository of `forge`, or None."""
        with self._transaction(write=False) as connection:
            row = connection.execute(
                select(ForgeIssueRow).where(
                    ForgeIssueRow.forge == forge, ForgeIssueRow.repository_url == repository_url
                )
            ).one_or_none()
            return None if row is None else _issue(row)

    def list_forge_issues(self, forge: str | None = None) -> list[ForgeIssue]:
        """Every remembered issue (of one forge), by repository URL."""
        with self._transaction(write=False) as connection:
            query = select(ForgeIssueRow).order_by(
                ForgeIssueRow.forge, ForgeIssueRow.repository_url
            )
            if forge is not None:
                query = query.where(ForgeIssueRow.forge == forge)
            return [_issue(row) for row in connection.execute(query)]
