"""Proposing drafted publiccode.yml files to repository owners, as merge or pull requests.

Kind-neutral: a forge kind that can open requests exports a `ProposerFactory` as its spec's
``proposer`` (``crawler/<kind>/proposals.py``); `propose` runs the loop. For each inferred
record it checks, in order: the store has no proposal for it yet (never twice, whatever became
of the first: open, merged, closed); the record is no fork and not archived; the forge, asked
now, says the repository is not a fork, not archived, not empty and still has no
publiccode.yml; no request from our branch exists already (a store that lost its rows still
never asks twice). Only then it creates the branch ``codereuse/publiccode`` from the default
branch, commits the draft and opens the request, pausing `interval` seconds between two
requests (politeness, and the forges' secondary rate limits on content creation).

A dry run (the default) contacts no forge: it says what would be proposed. The token (write
access) is sent only to the registered forge's API host by the kind's client.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal, Protocol

from crawler.proposal_text import proposal_text
from schemas.draft import draft_for_record
from schemas.errors import ProposalError
from schemas.proposal import Proposal, ProposalStatus
from schemas.record import Record
from schemas.token_env import FORGE_TOKEN_PREFIX

BRANCH = "codereuse/publiccode"
FILE_PATH = "publiccode.yml"
DEFAULT_INTERVAL = 30.0
"""Seconds between two opened requests."""


@dataclass(frozen=True)
class RepositoryState:
    """What the forge says now about a repository a proposal would go to."""

    default_branch: str | None
    archived: bool
    fork: bool
    empty: bool
    has_publiccode: bool


@dataclass(frozen=True)
class OpenedRequest:
    """A merge/pull request on the forge: its number, web page and state."""

    number: int
    url: str
    status: ProposalStatus


@dataclass(frozen=True)
class ProposalRequest:
    """What to propose to one repository."""

    path: str
    """The repository's path on its forge (owner/name, group/sub/name)."""
    title: str
    body: str
    content: str
    commit_message: str
    branch: str = BRANCH
    file_path: str = FILE_PATH


class ForgeProposer(Protocol):
    """One forge's write client for proposals (built by the kind's `ProposerFactory`)."""

    noun: str
    """What the forge calls a request: ``merge request`` or ``pull request``."""

    def repository(self, path: str) -> RepositoryState:
        """The repository's state now. Raises `ProposalError` when the token is refused."""
        ...

    def existing(self, path: str, branch: str) -> OpenedRequest | None:
        """A request from `branch` in any state, or None."""
        ...

    def open(self, request: ProposalRequest, default_branch: str) -> OpenedRequest:
        """Create the branch (if missing), commit the file on it and open the request."""
        ...

    def status(self, path: str, number: int) -> OpenedRequest:
        """The request's current state."""
        ...


ProposerFactory = Callable[[str, str, str], ForgeProposer]
"""(forge base URL, REST API base, token) → a proposer talking only to that forge."""


class ProposalLog(Protocol):
    """Where proposals are remembered (the store)."""

    def get_proposal(self, record_id: str) -> Proposal | None: ...

    def save_proposal(self, proposal: Proposal) -> None: ...


Outcome = Literal["would-open", "opened", "found", "known", "skipped", "failed"]


@dataclass(frozen=True)
class ProposalResult:
    """What happened to one record."""

    record_id: str
    outcome: Outcome
    detail: str
    url: str | None = None
    todos: int = 0
    language: str = "en"


def write_token_env(forge: str) -> str:
    """The default variable of a forge's write token: ``CODEREUSE_FORGE_TOKEN_<NAME>_WRITE``."""
    return f"{FORGE_TOKEN_PREFIX}{re.sub(r'[^A-Z0-9]', '_', forge.upper())}_WRITE"


def repository_path(url: str) -> str:
    """``owner/name`` (``group/sub/name``) of a repository URL."""
    return url.split("://", 1)[-1].split("/", 1)[-1].strip("/").removesuffix(".git")


def request_for(record: Record, noun: str) -> tuple[ProposalRequest, int, str]:
    """The request proposing `record`'s draft, its number of TODOs and its language."""
    draft = draft_for_record(record)
    title, body, commit = proposal_text(draft, record, noun)
    request = ProposalRequest(
        path=repository_path(record.repository.url or record.url),
        title=title,
        body=body,
        content=draft.to_yaml(),
        commit_message=commit,
    )
    return request, len(draft.todos), "de" if draft.language == "de" else "en"


def _ineligible(record: Record) -> str | None:
    if record.declared:
        return "it has a publiccode.yml"
    if record.repository.is_fork or record.relations.fork_of:
        return "it is a fork"
    if record.repository.archived:
        return "it is archived"
    return None


def _live_ineligible(state: RepositoryState) -> str | None:
    if state.fork:
        return "the forge says it is a fork"
    if state.archived:
        return "the forge says it is archived"
    if state.empty or not state.default_branch:
        return "the repository is empty"
    if state.has_publiccode:
        return "it has a publiccode.yml now"
    return None


def propose(
    records: Iterable[Record],
    *,
    log: ProposalLog,
    proposer: ForgeProposer | None,
    noun: str = "merge request",
    dry_run: bool = True,
    limit: int = 10,
    interval: float = DEFAULT_INTERVAL,
    pause: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[ProposalResult]:
    """Propose drafts for `records` (see the module docstring); at most `limit` opened.

    `proposer` may be None only for a dry run. A refused token stops the run
    (`ProposalError`); any other failure is reported for its record and the run goes on.
    """
    if proposer is None and not dry_run:
        raise ValueError("a proposer is needed unless dry_run")
    results: list[ProposalResult] = []
    opened = 0
    for record in records:
        if opened >= limit:
            break
        known = log.get_proposal(record.id)
        if known is not None:
            results.append(_refreshed(known, log, proposer, dry_run, now))
            continue
        reason = _ineligible(record)
        if reason:
            results.append(ProposalResult(record.id, "skipped", reason))
            continue
        request, todos, language = request_for(record, proposer.noun if proposer else noun)
        if dry_run or proposer is None:
            results.append(
                ProposalResult(
                    record.id, "would-open", request.title, todos=todos, language=language
                )
            )
            opened += 1
            continue
        result = _open_one(record, request, proposer, log, now)
        results.append(
            ProposalResult(
                result.record_id, result.outcome, result.detail, result.url, todos, language
            )
        )
        if result.outcome == "opened":
            opened += 1
            if opened < limit:
                pause(interval)
    return results


def _refreshed(
    known: Proposal,
    log: ProposalLog,
    proposer: ForgeProposer | None,
    dry_run: bool,
    now: Callable[[], datetime],
) -> ProposalResult:
    """A record proposed before: never again; its state read anew while it is open."""
    status = known.status
    if known.status == "open" and proposer is not None and not dry_run:
        try:
            current = proposer.status(repository_path(known.repository_url), known.number)
        except ProposalError:
            raise
        except Exception as error:  # the forge is down: the known state stands
            return ProposalResult(
                known.record_id, "known", f"{known.status} (not rechecked: {error})", known.url
            )
        status = current.status
        log.save_proposal(_with_status(known, status, now()))
    return ProposalResult(known.record_id, "known", f"proposed before, {status}", known.url)


def _with_status(known: Proposal, status: ProposalStatus, checked: datetime) -> Proposal:
    return replace(known, status=status, checked_at=checked)


def _open_one(
    record: Record,
    request: ProposalRequest,
    proposer: ForgeProposer,
    log: ProposalLog,
    now: Callable[[], datetime],
) -> ProposalResult:
    try:
        state = proposer.repository(request.path)
        reason = _live_ineligible(state)
        if reason:
            return ProposalResult(record.id, "skipped", reason)
        existing = proposer.existing(request.path, request.branch)
        outcome: Outcome = "found" if existing else "opened"
        made = existing or proposer.open(request, state.default_branch or "main")
    except ProposalError:
        raise
    except Exception as error:  # one repository's failure never stops the run
        return ProposalResult(record.id, "failed", f"{type(error).__name__}: {error}")
    moment = now()
    log.save_proposal(
        Proposal(
            record_id=record.id,
            forge=record.repository.forge,
            repository_url=record.repository.url or record.url,
            number=made.number,
            url=made.url,
            status=made.status,
            branch=request.branch,
            opened_at=moment,
            checked_at=moment,
        )
    )
    detail = (
        f"{proposer.noun} opened"
        if outcome == "opened"
        else f"a {proposer.noun} from our branch exists ({made.status})"
    )
    return ProposalResult(record.id, outcome, detail, made.url)
