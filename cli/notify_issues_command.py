"""`codereuse notify-issues`: issues on repositories whose publiccode.yml is broken.

A thin shell over `cli.issues_step` (the store, the kind's issue client, the write token) and
`crawler.issues.notify_issues` (the loop). A dry run is the default and contacts no forge;
registrations that opted in (``forges add --notify-issues``) get the same after every crawl.
"""

from __future__ import annotations

import typer

from cli import ui
from cli.issues_step import issue_tracker, issues_for_forge
from cli.storage import open_store
from schemas.errors import ConfigurationError
from schemas.settings import load_settings


def notify_issues_command(
    forge: list[str] = typer.Option(
        [], "--forge", help="Registered forge (repeatable); default: those that opted in."
    ),
    apply: bool = typer.Option(
        False, "--apply", help="Open, update and close issues (default: only say what would be)."
    ),
    token_env: str | None = ui.write_token_option("that may write issues"),
) -> None:
    """Open one issue per repository whose publiccode.yml is broken, update it, close it when fixed.

    Never for forks or archived repositories, never two open issues for a repository (the store
    remembers each issue and its state). Without --apply nothing is written.
    Example: codereuse notify-issues --forge opencode --apply
    """
    with open_store(load_settings().database_url) as store:
        registrations = store.list_forges()
        if forge:
            known = {registration.name: registration for registration in registrations}
            missing = [name for name in forge if name not in known]
            if missing:
                raise ui.fail(f"no registered forge {missing[0]!r}; see `codereuse forges list`", 2)
            registrations = [known[name] for name in forge]
        else:
            registrations = [r for r in registrations if r.notify_issues]
            if not registrations:
                raise ui.fail(
                    "no forge opted in: name one with --forge, or opt in with "
                    "`codereuse forges edit NAME --notify-issues`",
                    2,
                )
        failed = 0
        for registration in registrations:
            tracker = None
            if apply:
                try:
                    tracker = issue_tracker(registration, token_env=token_env)
                except ConfigurationError as error:
                    raise ui.fail(str(error), 2) from None
            run = issues_for_forge(store, registration, tracker)
            for result in run.results:
                where = f" {result.url}" if result.url else ""
                ui.echo(f"{result.action:<12} {result.repository_url}: {result.detail}{where}")
                failed += result.action == "failed"
            if run.problem:
                ui.echo(f"{registration.name}: stopped: {run.problem}")
                failed += 1
            done = len(run.results)
            ui.say(
                f"{registration.name}: {done} "
                + ("would be done (dry run: add --apply)" if not apply else "done")
            )
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `notify-issues` to the codereuse command."""
    app.command("notify-issues")(notify_issues_command)
