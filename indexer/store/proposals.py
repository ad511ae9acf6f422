"""Stored proposals (`schemas.proposal.Proposal`): at most one per record, never deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from indexer.store.models import ProposalRow
from schemas.copying import field_values, from_attributes
from schemas.proposal import Proposal


def save(connection: Connection, proposal: Proposal) -> None:
    """Insert or replace the proposal of `proposal.record_id`."""
    connection.execute(delete(ProposalRow).where(ProposalRow.record_id == proposal.record_id))
    connection.execute(insert(ProposalRow).values(**field_values(proposal)))


def _proposal(row: Any) -> Proposal:
    status = row.status if row.status in ("open", "merged", "closed") else "open"
    return from_attributes(Proposal, row, status=status)


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
