"""Issues on forges about broken publiccode.yml files: wiring the store, the kind and the token.

Two ways in, one loop (`crawler.issues.notify_issues`):

* after every crawl (`cli.pipeline.run_pipeline`), for each crawled registration that opted in
  (``forges add --notify-issues``, ``"notify_issues": true`` over the API): issues are opened,
  updated and closed for real; without its write token the run says so and does nothing;
* ``codereuse notify-issues [--forge NAME] [--apply]`` by hand: a dry run unless ``--apply``,
  for any registration (opted in or not), to see what would be done first.

The write token is read from ``CODEREUSE_FORGE_TOKEN_<FORGE>_WRITE`` (as for ``propose``) or the
variable named with ``--token-env``, under the forge token rules (`schemas.token_env`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crawler.issues import IssueResult, IssueTracker, notify_issues
from crawler.kinds import kind_spec
from crawler.proposals import write_token_env
from indexer.store import Store
from schemas.errors import CodereuseError, ConfigurationError
from schemas.forge import ForgeRegistration
from schemas.token_env import token_env_problem


@dataclass
class IssueRun:
    """What one forge's issue run did, or why it did nothing (`problem`)."""

    forge: str
    results: list[IssueResult] = field(default_factory=list)
    problem: str | None = None


def issue_tracker(
    registration: ForgeRegistration,
    *,
    token_env: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> IssueTracker:
    """The kind's issue client for `registration`, with its write token.

    Raises:
        ConfigurationError: the kind cannot write issues, the variable is not allowed, or it
            holds no token (the message names the variable to set).
    """
    spec = kind_spec(registration.kind)
    if spec.issue_tracker is None:
        raise ConfigurationError(f"codereuse cannot write issues on {spec.label} forges")
    variable = token_env or write_token_env(registration.name)
    problem = token_env_problem(variable)
    if problem:
        raise ConfigurationError(problem)
    token = (os.environ if environ is None else environ).get(variable)
    if not token:
        raise ConfigurationError(
            f"{registration.name}: set {variable} to a token that may write issues on "
            f"{registration.url} (or name another variable with --token-env)"
        )
    rest = spec.api_locations(registration.url).rest
    return spec.issue_tracker(registration.url, rest, token)


def issues_for_forge(
    store: Store, registration: ForgeRegistration, tracker: IssueTracker | None
) -> IssueRun:
    """Run the issue loop over the forge's live records (`tracker` None: a dry run)."""
    run = IssueRun(registration.name)
    try:
        run.results = notify_issues(
            store.iter_records(), forge=registration.name, log=store, tracker=tracker
        )
    except CodereuseError as error:
        run.problem = str(error)
    return run


def issues_after_crawl(
    store: Store,
    registrations: Sequence[ForgeRegistration],
    *,
    environ: Mapping[str, str] | None = None,
) -> list[IssueRun]:
    """Open, update and close issues for the crawled registrations that opted in."""
    runs: list[IssueRun] = []
    for registration in registrations:
        if not registration.notify_issues:
            continue
        try:
            tracker = issue_tracker(registration, environ=environ)
        except ConfigurationError as error:
            runs.append(IssueRun(registration.name, problem=str(error)))
            continue
        runs.append(issues_for_forge(store, registration, tracker))
    return runs
