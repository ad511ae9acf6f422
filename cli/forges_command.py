"""`codereuse forges ...`: register, list, show, remove, import and export forges.

A thin shell over `crawler.registration` (normalise, SSRF guard, live check),
`crawler.registries` (registry files in and out) and the store.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cli import ui
from cli.pipeline import federate_all
from cli.storage import missing, open_store, where
from crawler.kinds import api_locations, kind_names
from crawler.registration import register as register_forge
from crawler.registries import dump_forges_yaml, load_registry
from schemas.errors import CodereuseError, ForgeExistsError, NotFoundError
from schemas.forge import ForgeRegistration
from schemas.settings import load_settings

if TYPE_CHECKING:
    from indexer.store.store import Store

# The choices of --kind are the registered forge kinds (mypy cannot list members built at run time).
Kind = StrEnum("Kind", {name: name for name in kind_names()})  # type: ignore[misc]

forges_app = typer.Typer(help="Register the forges codereuse crawls.", no_args_is_help=True)


def _store(*, create: bool = False) -> Store:
    """The store; only `add` and `import` create a new catalogue (`cli.storage.open_store`)."""
    return open_store(load_settings().database_url, create=create)


def _fail(error: object, code: int = 1) -> typer.Exit:
    return ui.fail(error, code)


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _scope(registration: ForgeRegistration) -> str:
    parts = [
        *(f"group {g}" for g in registration.groups),
        *(f"org {o}" for o in registration.orgs),
        *(f"repo {r}" for r in registration.repos),
    ]
    if not parts:
        return "whole instance"
    return (
        ", ".join(parts) if len(parts) <= 3 else f"{', '.join(parts[:3])} and {len(parts) - 3} more"
    )


def _describe(registration: ForgeRegistration) -> dict[str, object]:
    locations = api_locations(registration)
    return {
        **registration.model_dump(mode="json"),
        "whole_instance": registration.whole_instance,
        "api": {"rest": locations.rest, "graphql": locations.graphql},
    }


@forges_app.command("add")
def add(
    url: str = typer.Argument(..., help="The forge's URL, e.g. https://gitlab.example.org"),
    kind: Kind = typer.Option(..., "--kind", help=f"The forge kind: {', '.join(kind_names())}."),
    name: str | None = typer.Option(
        None, "--name", help="Short unique name (default: from the host)."
    ),
    group: list[str] = typer.Option(
        [], "--group", help="GitLab group path, with subgroups (repeatable)."
    ),
    org: list[str] = typer.Option([], "--org", help="GitHub organisation login (repeatable)."),
    repo: list[str] = typer.Option([], "--repo", help="Single repository OWNER/NAME (repeatable)."),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="Path left out of the crawl (repeatable)."
    ),
    token_env: str | None = typer.Option(
        None, "--token-env", help="NAME of the environment variable holding the token."
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Allow loopback/private addresses (on-premises forges)."
    ),
    notify_issues: bool = typer.Option(
        False,
        "--notify-issues",
        help="Open an issue when a publiccode.yml breaks, close it when fixed "
        "(token in CODEREUSE_FORGE_TOKEN_<NAME>_WRITE).",
    ),
) -> None:
    """Register a forge after checking it answers as --kind. No --group/--org/--repo: whole instance.

    Example: codereuse forges add https://gitlab.opencode.de --kind gitlab --name opencode
    """
    try:
        registration = register_forge(
            url,
            kind=kind.value,
            name=name,
            groups=group,
            orgs=org,
            repos=repo,
            exclude=exclude,
            token_env=token_env,
            allow_private=allow_private,
        )
        registration = registration.model_copy(update={"notify_issues": notify_issues})
        with _store(create=True) as store:
            store.add_forge(registration)
    except ForgeExistsError as error:
        raise _fail(
            f"{error}; choose another --name or `codereuse forges remove` it first"
        ) from None
    except CodereuseError as error:
        raise _fail(error) from None
    ui.say(
        f"registered {registration.name}: {registration.kind} {registration.url} ({_scope(registration)})"
    )


@forges_app.command("edit")
def edit(
    name: str = typer.Argument(..., help="Registration name."),
    notify_issues: bool | None = typer.Option(
        None,
        "--notify-issues/--no-notify-issues",
        help="Open, update and close issues on repositories whose publiccode.yml is broken.",
    ),
) -> None:
    """Change a registration's options (what is not given stays as it is).

    Example: codereuse forges edit opencode --notify-issues
    """
    try:
        with _store() as store:
            registration = store.get_forge(name)
            if registration is None:
                raise _fail(f"no forge called {name!r}; `codereuse forges list` shows them")
            if notify_issues is not None:
                registration = registration.model_copy(update={"notify_issues": notify_issues})
                store.update_forge(registration)
    except CodereuseError as error:
        raise _fail(error) from None
    issues = "on" if registration.notify_issues else "off"
    ui.say(f"{name}: issues on broken publiccode.yml files {issues}")


@forges_app.command("list")
def list_forges(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the registered forges.

    Example: codereuse forges list --json
    """
    database_url = load_settings().database_url
    try:
        absent = missing(database_url)  # listed as empty, and no new file is left behind
        registrations = []
        if absent is None:
            with _store() as store:
                registrations = store.list_forges()
    except CodereuseError as error:
        raise _fail(error) from None
    if as_json:
        typer.echo(json.dumps([_describe(r) for r in registrations], indent=2))
        return
    if not registrations:
        state = "no catalogue yet" if absent else "none registered"
        ui.say(
            f"no forges registered in {where(database_url)} ({state}); add one with "
            f"`codereuse forges add URL --kind {'|'.join(kind_names())}`"
        )
        return
    width = max(len(r.name) for r in registrations)
    for r in registrations:
        token = f"  token from ${r.token_env}" if r.token_env else ""
        ui.echo(f"{r.name:<{width}}  {r.kind:<6}  {r.url}  ({_scope(r)}){token}")


@forges_app.command("show")
def show(
    name: str = typer.Argument(..., help="Registration name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one registration, its API locations and its latest crawls (interrupted ones too).

    Example: codereuse forges show opencode
    """
    try:
        with _store() as store:
            registration = store.get_forge(name)
            runs = store.crawl_runs(name, limit=3)
    except CodereuseError as error:
        raise _fail(error) from None
    if registration is None:
        raise _fail(f"no forge called {name!r}; `codereuse forges list` shows the registered ones")
    described = _describe(registration)
    # The newest runs: succeeded, partial, failed, running, or interrupted (process killed).
    crawls = [
        {
            "status": run.status,
            "started": run.started_at.isoformat(timespec="seconds"),
            "finished": run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
        }
        for run in runs
    ]
    described["crawls"] = crawls
    if as_json:
        typer.echo(json.dumps(described, indent=2))
        return
    for key, value in described.items():
        if key == "crawls":
            value = "; ".join(f"{c['status']} (started {c['started']})" for c in crawls) or "never"
        elif isinstance(value, list):
            value = ", ".join(value) or "-"
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        ui.echo(f"{key:<15} {value if value not in (None, '') else '-'}")


@forges_app.command("remove")
def remove(name: str = typer.Argument(..., help="Registration name.")) -> None:
    """Unregister a forge; records only it held leave the catalogue.

    Example: codereuse forges remove opencode
    """
    try:
        with _store() as store:
            removed = store.remove_forge(name)
    except NotFoundError:
        raise _fail(
            f"no forge called {name!r}; `codereuse forges list` shows the registered ones"
        ) from None
    except CodereuseError as error:
        raise _fail(error) from None
    ui.say(f"removed {name}; {len(removed)} record(s) left the catalogue")


@forges_app.command("import")
def import_registry(
    file: Path = typer.Argument(..., help="forges.yml, or a public registry file."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would be imported; save nothing."
    ),
) -> None:
    """Import forges from our forges.yml or a public registry (format detected from the contents).

    Known: codereuse forges.yml, code.gouv.fr comptes-organismes-publics.yml and
    top_organizations.yml, the Dutch publishers.json, Developers Italia publishers YAML,
    GitHub's government lists, the Swiss index README and organisations.json, repository
    manifests. Registrations with an existing name are replaced. No live check is made. What
    the file says about the organisation behind each account (names, pso_id, TOOI/ROO,
    ld.admin.ch, country, level) is kept, and the catalogue's organisations are derived again
    from the stored snapshots (no forge is asked).

    Example: codereuse forges import comptes-organismes-publics.yml
    """
    try:
        imported = load_registry(file)
        added = updated = rederived = 0
        if not dry_run:
            with _store(create=True) as store:
                for registration in imported.registrations:
                    if store.get_forge(registration.name) is None:
                        store.add_forge(registration)
                        added += 1
                    else:
                        store.update_forge(registration)
                        updated += 1
                if imported.organisations:
                    store.save_registry_organisations(imported.organisations)
                    if store.count_records():
                        rederived, _ = federate_all(store)
    except CodereuseError as error:
        raise _fail(error) from None
    for note in imported.skipped:
        ui.say(f"skipped {note}")
    scopes = sum(len(r.groups) + len(r.orgs) + len(r.repos) for r in imported.registrations)
    verb = "would import" if dry_run else f"imported ({added} added, {updated} replaced)"
    ui.say(
        f"{file} ({imported.format}): {verb} {_count(len(imported.registrations), 'forge registration')} "
        f"covering {_count(scopes, 'group/org/repository', 'groups/orgs/repositories')}; "
        f"{_count(len(imported.skipped), 'entry', 'entries')} skipped"
    )
    accounts = sum(len(entry.accounts) for entry in imported.organisations)
    if imported.organisations:
        ui.say(
            f"{_count(len(imported.organisations), 'organisation')} "
            f"({_count(accounts, 'account')}) {'would be' if dry_run else 'were'} kept"
            + (f"; {rederived} record(s) derived again" if rederived else "")
            + ("; run `codereuse index` to update the search" if rederived else "")
        )
    if dry_run:
        typer.echo(dump_forges_yaml(imported.registrations), nl=False)


@forges_app.command("export")
def export(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write here instead of stdout."
    ),
) -> None:
    """Write every registration as forges.yml (no tokens: only the names of their variables).

    Example: codereuse forges export -o forges.yml
    """
    try:
        with _store() as store:
            text = dump_forges_yaml(store.list_forges())
    except CodereuseError as error:
        raise _fail(error) from None
    ui.print_or_write(text, output, lambda error: f"{output}: cannot write ({error.strerror})")
    if output is not None:
        ui.say(f"wrote {output}")


def register(app: typer.Typer) -> None:
    """Add `forges` to the codereuse command."""
    app.add_typer(forges_app, name="forges")
