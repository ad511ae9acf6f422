"""Stored proposals (`schemas.proposal.Proposal`): at most one per record, never deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from indexer.store.models import ProposalRow
from schemas.proposal import Proposal


def save(connection: Connection, proposal: Proposal) -> None:
    """Insert or replace the proposal of `proposal.record_id`."""
    connection.execute(delete(ProposalRow).where(ProposalRow.record_id == proposal.record_id))
    connection.execute(
        insert(ProposalRow).values(
            record_id=proposal.record_id,
            forge=proposal.forge,
            repository_url=proposal.repository_url,
            number=proposal.number,
            url=proposal.url,
            status=proposal.status,
            branch=proposal.branch,
            opened_at=proposal.opened_at,
            checked_at=proposal.checked_at,
        )
    )


def _proposal(row: Any) -> Proposal:
    status = row.status if row.status in ("open", "merged", "closed") else "open"
    return Proposal(
        record_id=row.record_id,
        forge=row.forge,
        repository_url=row.repository_url,
        number=row.number,
        url=row.url,
        status=status,  # type: ignore[arg-type]
        branch=row.branch,
        opened_at=row.opened_at,
        checked_at=row.checked_at,
    )


def get(connection: Connection, record_id: str) -> Proposal | None:
    """The proposal made for `record_id`, or None."""
    row = connection.execute(
        select(ProposalRow).where(ProposalRow.record_id == record_id)
    ).one_or_none()
    return None if row is None else _proposal(row)


def listing(connection: Connection, forge: str | None = None) -> list[Proposal]:
    """Every proposal (of one forge), oldest first."""
    query = select(ProposalRow).order_by(ProposalRow.opened_at, ProposalRow.record_id)
    if forge is not None:
        query = query.where(ProposalRow.forge == forge)
    return [_proposal(row) for row in connection.execute(query)]
