"""`codereuse propose`: open merge/pull requests adding drafted publiccode.yml files (opt-in).

A thin shell over `crawler.proposals.propose`: records from the store (one repository, or every
inferred record of one forge), the forge kind's proposer, the store as the memory of what was
proposed. A dry run is the default and contacts no forge.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import typer

from cli import ui
from cli.catalogue_command import _by_url, _catalogue
from crawler.kinds import kind_spec
from crawler.proposals import DEFAULT_INTERVAL, ProposalResult, propose, write_token_env
from schemas.errors import CodereuseError, ProposalError
from schemas.record import Record
from schemas.token_env import token_env_problem

_VERBS = {
    "would-open": "would open",
    "opened": "opened",
    "found": "found",
    "known": "known",
    "skipped": "skipped",
    "failed": "failed",
}


def _records(store: Any, forge: str) -> Iterator[Record]:
    for record in store.iter_records():
        if record.repository.forge == forge and not record.declared:
            yield record


def _line(result: ProposalResult, noun: str) -> str:
    verb = _VERBS[result.outcome]
    if result.outcome == "would-open":
        return (
            f"{verb:<11} {result.record_id}: {noun} on branch codereuse/publiccode, "
            f"{result.todos} values marked TODO, description in {result.language}"
        )
    where = f" {result.url}" if result.url else ""
    return f"{verb:<11} {result.record_id}: {result.detail}{where}"


def propose_command(
    url: str | None = typer.Argument(
        None, metavar="[URL|ID]", help="One repository (URL or record id)."
    ),
    forge: str | None = typer.Option(
        None, "--forge", help="Every inferred record of this registered forge."
    ),
    limit: int = typer.Option(10, "--limit", min=1, help="Open at most N requests."),
    dry_run: bool = typer.Option(
        True, "--dry-run/--open", help="Say what would be proposed (default), or open requests."
    ),
    token_env: str | None = ui.write_token_option("with write access"),
    interval: float = typer.Option(
        DEFAULT_INTERVAL, "--interval", min=0, help="Seconds to wait between two requests."
    ),
) -> None:
    """Propose a drafted publiccode.yml to repositories without one, as a merge/pull request.

    Opt-in: nothing is opened without --open. Never twice for a repository (the store
    remembers every request and its state), never for forks, archived or empty repositories.
    Example: codereuse propose --forge opencode --limit 5 --open
    """
    if (url is None) == (forge is None):
        raise ui.fail("name one repository (URL or id) or --forge NAME", 2)
    with _catalogue(with_search=False) as (store, _search):
        if url is not None:
            found = store.get_record(url.lower()) or _by_url(store, url)
            if found is None:
                raise ui.fail(f"no record {url!r}; search with `codereuse search WORDS`", 1)
            forge = found.repository.forge
            records: Any = [found]
        assert forge is not None
        registration = store.get_forge(forge)
        if registration is None:
            raise ui.fail(f"no registered forge {forge!r}; see `codereuse forges list`", 1)
        if url is None:
            records = _records(store, forge)
        spec = kind_spec(registration.kind)
        if spec.proposer is None:
            raise ui.fail(f"codereuse cannot open requests on {spec.label} forges yet", 1)
        proposer = None
        if not dry_run:
            variable = token_env or write_token_env(registration.name)
            problem = token_env_problem(variable)
            if problem:
                raise ui.fail(problem, 2)
            token = os.environ.get(variable)
            if not token:
                raise ui.fail(
                    f"set {variable} to a token with write access to {registration.url} "
                    "(or name another variable with --token-env)",
                    2,
                )
            rest = spec.api_locations(registration.url).rest
            proposer = spec.proposer(registration.url, rest, token)
        noun = spec.proposal_noun
        try:
            results = propose(
                records,
                log=store,
                proposer=proposer,
                noun=proposer.noun if proposer else noun,
                dry_run=dry_run,
                limit=limit,
                interval=interval,
            )
        except (ProposalError, CodereuseError) as error:
            raise ui.fail(str(error), 1) from None
    for result in results:
        ui.echo(_line(result, proposer.noun if proposer else noun))
    opened = sum(result.outcome in ("opened", "would-open") for result in results)
    failed = sum(result.outcome == "failed" for result in results)
    ui.say(
        f"{opened} {'would be proposed (dry run: add --open)' if dry_run else 'proposed'}"
        f", {failed} failed"
    )
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `propose` to the codereuse command."""
    app.command("propose")(propose_command)
