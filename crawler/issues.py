"""Issues on the forge when a publiccode.yml breaks: open one, keep it current, close it when fixed.

Kind-neutral: a forge kind that can write issues exports an `IssueTrackerFactory` as its spec's
``issue_tracker`` (``crawler/<kind>/issues.py``); `notify_issues` runs the loop over a forge's
records with the store as the memory (`IssueLog`, one row per repository, see
`schemas.forge_issue`). For each declared record (it has a publiccode.yml):

* never for forks or archived repositories (the record says so, and the forge, asked before
  opening, agrees);
* broken (an error finding: invalid, unreadable, too large…) and no open issue: open one; the
  owner closed ours while the file stayed broken (``dismissed``): leave it alone;
* broken with an open issue whose findings changed: update its title and body (if the owner
  closed it meanwhile, it becomes ``dismissed`` instead);
* valid with an open issue: comment and close it; a dismissed one is forgotten (``closed``),
  so the next breakage opens a new issue.

So a repository never has two open issues from codereuse. A dry run contacts no forge and
writes nothing: it says what would be done. The token (write access to issues) goes only to the
registered forge's API by the kind's client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

from crawler.issue_text import broken_findings, findings_digest, fixed_comment, issue_text
from crawler.proposals import repository_path
from schemas.errors import IssueError
from schemas.forge_issue import ForgeIssue, IssueState
from schemas.record import Record

MAX_TITLE = 250


@dataclass(frozen=True)
class IssueRef:
    """An issue on the forge: its number, web page and whether it is open."""

    number: int
    url: str
    open: bool


class IssueTracker(Protocol):
    """One forge's issue client (built by the kind's `IssueTrackerFactory`)."""

    def repository(self, path: str) -> tuple[bool, bool]:
        """(archived, fork) as the forge says now. Raises `IssueError` when refused."""
        ...

    def open(self, path: str, title: str, body: str) -> IssueRef:
        """Open an issue."""
        ...

    def get(self, path: str, number: int) -> IssueRef:
        """The issue as it is now (the owner may have closed it)."""
        ...

    def update(self, path: str, number: int, title: str, body: str) -> IssueRef:
        """Replace the issue's title and body."""
        ...

    def close(self, path: str, number: int, comment: str) -> IssueRef:
        """Comment on the issue, then close it."""
        ...


IssueTrackerFactory = Callable[[str, str, str], IssueTracker]
"""(forge base URL, REST API base, token) → an issue tracker talking only to that forge."""


class IssueLog(Protocol):
    """Where issues are remembered (the store)."""

    def get_forge_issue(self, forge: str, repository_url: str) -> ForgeIssue | None: ...

    def save_forge_issue(self, issue: ForgeIssue) -> None: ...

    def move_forge_issue(self, earlier_url: str, issue: ForgeIssue) -> None: ...


Action = Literal[
    "would-open", "opened", "would-update", "updated", "would-close", "closed",
    "dismissed", "failed",
]  # fmt: skip


@dataclass(frozen=True)
class IssueResult:
    """What was done (or would be) for one repository."""

    record_id: str
    repository_url: str
    action: Action
    detail: str
    url: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _errors(count: int) -> str:
    return "1 error" if count == 1 else f"{count} errors"


def _is_broken(record: Record) -> bool:
    return record.declared and not record.valid


def _saved(
    log: IssueLog, issue: ForgeIssue, state: IssueState, moment: datetime, **changes: object
) -> ForgeIssue:
    closed_at = moment if state != "open" and issue.state == "open" else issue.closed_at
    values = {**issue.__dict__, "state": state, "updated_at": moment, "closed_at": closed_at}
    saved = ForgeIssue(**{**values, **changes})
    log.save_forge_issue(saved)
    return saved


def _known_issue(record: Record, forge: str, log: IssueLog, *, write: bool) -> ForgeIssue | None:
    """The issue remembered for the record's repository, also under an earlier URL (a renamed
    or moved repository keeps its issue, and gets no second one); moved over when `write`."""
    url = record.repository.url
    known = log.get_forge_issue(forge, url)
    if known is not None:
        return known
    for alias in record.relations.aliases:
        earlier = log.get_forge_issue(forge, alias)
        if earlier is not None:
            moved = ForgeIssue(
                **{**earlier.__dict__, "repository_url": url, "record_id": record.id}
            )
            if write:
                log.move_forge_issue(alias, moved)
            return moved
    return None


def _step(
    record: Record,
    forge: str,
    log: IssueLog,
    tracker: IssueTracker | None,
    clock: Callable[[], datetime],
) -> IssueResult | None:
    url = record.repository.url
    path = repository_path(url)
    known = _known_issue(record, forge, log, write=tracker is not None)
    broken = _is_broken(record)

    def result(action: Action, detail: str, link: str | None = None) -> IssueResult:
        return IssueResult(record.id, url, action, detail, link)

    if not broken:
        if known is None or known.state == "closed":
            return None
        if known.state == "dismissed":
            if tracker is not None:
                _saved(log, known, "closed", clock())
            return None
        if tracker is None:
            return result("would-close", f"#{known.number}: the file is valid again", known.url)
        tracker.close(path, known.number, fixed_comment(record))
        _saved(log, known, "closed", clock())
        return result("closed", f"#{known.number}: the file is valid again", known.url)
    findings = broken_findings(record)
    digest = findings_digest(findings)
    errors = sum(1 for finding in findings if finding.is_error)
    title, body = issue_text(record)
    title = title[:MAX_TITLE]
    if known is not None and known.state == "dismissed":
        return None
    if known is not None and known.state == "open":
        if known.digest == digest:
            return None
        if tracker is None:
            return result("would-update", f"#{known.number}: now {_errors(errors)}", known.url)
        if not tracker.get(path, known.number).open:
            _saved(log, known, "dismissed", clock())
            return result("dismissed", f"#{known.number} was closed by the owner", known.url)
        tracker.update(path, known.number, title, body)
        _saved(log, known, "open", clock(), digest=digest)
        return result("updated", f"#{known.number}: now {_errors(errors)}", known.url)
    if tracker is None:
        return result("would-open", f"{title!r} ({len(findings)} findings)")
    archived, fork = tracker.repository(path)
    if archived or fork:
        return None
    opened = tracker.open(path, title, body)
    moment = clock()
    log.save_forge_issue(
        ForgeIssue(
            forge=forge,
            repository_url=url,
            record_id=record.id,
            number=opened.number,
            url=opened.url,
            state="open",
            digest=digest,
            opened_at=moment,
            updated_at=moment,
        )
    )
    return result("opened", f"#{opened.number}: {_errors(errors)}", opened.url)


def notify_issues(
    records: Iterable[Record],
    *,
    forge: str,
    log: IssueLog,
    tracker: IssueTracker | None,
    clock: Callable[[], datetime] = _now,
) -> list[IssueResult]:
    """Open, update and close issues for `forge`'s records (see the module docstring).

    `tracker` None is a dry run: nothing is contacted or written. One repository's failure (an
    HTTP error of the client library) is a ``failed`` result for it and the loop goes on; a
    refused token (`IssueError`) stops the run, since every other write would be refused too.
    """
    results: list[IssueResult] = []
    for record in records:
        if record.repository.forge != forge or not record.declared:
            continue
        if record.repository.is_fork or record.repository.archived:
            continue
        try:
            done = _step(record, forge, log, tracker, clock)
        except IssueError:
            raise
        except Exception as error:  # an HTTP error of the client library: this repository fails
            detail = f"{type(error).__name__}: {error}"
            done = IssueResult(record.id, record.repository.url, "failed", detail)
        if done is not None:
            results.append(done)
    return results
