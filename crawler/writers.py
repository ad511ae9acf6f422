"""What the forge kinds' writers (proposers, issue trackers) share: the refused-token error.

Each kind's ``proposals.py`` and ``issues.py`` write through a client that talks to the
registered API base only; when the forge answers 401 or 403, the writer raises its error
(`ProposalError`, `IssueError`) saying which forge refused and what the token needs.
"""

from __future__ import annotations

from typing import TypeVar

from schemas.errors import CodereuseError

WRITE_TIMEOUT = 30.0
"""Seconds a writer's request may take."""

E = TypeVar("E", bound=CodereuseError)


def token_refused(error: type[E], base: str, status: int | None, needs: str) -> E | None:
    """`error` saying `base` refused the token and that it `needs` …; None unless 401/403."""
    if status not in (401, 403):
        return None
    return error(f"{base} refused the token ({status}): it needs {needs}")
