"""The proposal loop: pacing between requests, and the description's language."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.proposal_text import proposal_text
from crawler.proposals import (
    OpenedRequest,
    ProposalRequest,
    RepositoryState,
    propose,
    write_token_env,
)
from schemas.draft import draft_for_record
from schemas.proposal import Proposal
from tests.api.records import make_record


class MemoryLog:
    def __init__(self) -> None:
        self.rows: dict[str, Proposal] = {}

    def get_proposal(self, record_id: str) -> Proposal | None:
        return self.rows.get(record_id)

    def save_proposal(self, proposal: Proposal) -> None:
        self.rows[proposal.record_id] = proposal


class CountingProposer:
    """Opens every request it is asked for, numbering them."""

    noun = "pull request"

    def __init__(self) -> None:
        self.opened: list[ProposalRequest] = []

    def repository(self, path: str) -> RepositoryState:
        return RepositoryState(
            "main", archived=False, fork=False, empty=False, has_publiccode=False
        )

    def existing(self, path: str, branch: str) -> OpenedRequest | None:
        return None

    def open(self, request: ProposalRequest, default_branch: str) -> OpenedRequest:
        self.opened.append(request)
        return OpenedRequest(len(self.opened), f"https://forge/{request.path}/pull/1", "open")

    def status(self, path: str, number: int) -> OpenedRequest:
        return OpenedRequest(number, "https://forge/x", "open")


def _records(count: int) -> list:  # type: ignore[type-arg]
    return [
        make_record(f"https://github.com/city/app{i}", f"App {i}", declared=False, forge="hub")
        for i in range(count)
    ]


def test_requests_are_paced_and_limited() -> None:
    """`interval` seconds between two opened requests, none after the last; `limit` caps them."""
    pauses: list[float] = []
    proposer = CountingProposer()
    results = propose(
        _records(5),
        log=MemoryLog(),
        proposer=proposer,
        dry_run=False,
        limit=3,
        interval=12.5,
        pause=pauses.append,
        now=lambda: datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert 3 == len(proposer.opened)
    assert [12.5, 12.5] == pauses
    assert ["opened"] * 3 == [result.outcome for result in results]


def test_description_in_german_for_a_german_draft() -> None:
    """A German description gives a German request; anything else English."""
    german = make_record(
        "https://gitlab.example.org/g/x",
        "Terminbuchung",
        declared=False,
        short_de="Online-Terminvergabe für Bürgerämter in Städten und Gemeinden",
    )
    german = german.model_copy(
        update={
            "repository": german.repository.model_copy(
                update={"description": "Online-Terminvergabe für Bürgerämter und Gemeinden"}
            )
        }
    )
    title, body, commit = proposal_text(draft_for_record(german), german, "merge request")
    assert "publiccode.yml hinzufügen (Entwurf, bitte prüfen)" == title
    assert "Dieser Merge-Request" in body and "| Schlüssel | Quelle |" in body
    assert commit.startswith("publiccode.yml hinzufügen")


def test_write_token_variable_is_a_forge_token_name() -> None:
    """The default write token variable follows the forge token prefix."""
    assert "CODEREUSE_FORGE_TOKEN_OPEN_CODE_WRITE" == write_token_env("open-code")
