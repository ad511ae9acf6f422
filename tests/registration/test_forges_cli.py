"""`codereuse forges ...` end to end on a temporary SQLite store (fake forge over respx)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import respx
import yaml
from typer.testing import CliRunner

from cli.app import app


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", f"sqlite:///{tmp_path / 'codereuse.db'}")
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def test_round_trip_add_list_show_export_remove(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A forge added through the CLI is listed, shown, exported and removed; its token never shows."""
    monkeypatch.setenv("LOCAL_TOKEN", "glpat-SeCrEt")
    with respx.mock(assert_all_mocked=True) as forge:
        forge.get("http://127.0.0.1:8080/api/v4/version").respond(json={"version": "17.0.0"})
        forge.get("http://127.0.0.1:8080/api/v4/groups/team").respond(json={"id": 3})
        added = run(
            "forges",
            "add",
            "http://127.0.0.1:8080/explore/groups",
            "--kind",
            "gitlab",
            "--name",
            "local",
            "--group",
            "team",
            "--token-env",
            "LOCAL_TOKEN",
            "--allow-private",
        )
    listed = run("forges", "list")
    shown = json.loads(run("forges", "show", "local", "--json").stdout)
    exported = run("forges", "export", "-o", str(tmp_path / "forges.yml"))
    removed = run("forges", "remove", "local")
    after = run("forges", "list", "--json")
    text = (tmp_path / "forges.yml").read_text(encoding="utf-8")
    assert (
        [0, 0, 0, 0],
        True,
        ("http://127.0.0.1:8080", ["team"], "LOCAL_TOKEN", "http://127.0.0.1:8080/api/v4"),
        [
            {
                "name": "local",
                "kind": "gitlab",
                "url": "http://127.0.0.1:8080",
                "groups": ["team"],
                "token_env": "LOCAL_TOKEN",
                "allow_private": True,
            }
        ],
        [],
        False,
    ) == (
        [added.exit_code, listed.exit_code, exported.exit_code, removed.exit_code],
        "local" in listed.stdout,
        (shown["url"], shown["groups"], shown["token_env"], shown["api"]["rest"]),
        yaml.safe_load(text)["forges"],
        json.loads(after.stdout),
        "SeCrEt" in added.output + listed.output + text + json.dumps(shown),
    )


def test_add_refuses_private_address_without_flag(run) -> None:  # type: ignore[no-untyped-def]
    """Without --allow-private a loopback forge is refused, exit code 1, advice on stderr."""
    result = run("forges", "add", "http://127.0.0.1:8080", "--kind", "gitlab")
    assert (1, True, "[]") == (
        result.exit_code,
        "--allow-private" in result.stderr,
        run("forges", "list", "--json").stdout.strip(),
    )


def test_add_twice_names_the_conflict(run) -> None:  # type: ignore[no-untyped-def]
    """Registering a taken name fails and says how to go on."""
    with respx.mock() as forge:
        forge.get("http://127.0.0.1:8080/api/v4/version").respond(json={"version": "17.0.0"})
        run(
            "forges",
            "add",
            "http://127.0.0.1:8080",
            "--kind",
            "gitlab",
            "--name",
            "a",
            "--allow-private",
        )
        second = run(
            "forges",
            "add",
            "http://127.0.0.1:8080",
            "--kind",
            "gitlab",
            "--name",
            "a",
            "--allow-private",
        )
    assert (1, True) == (second.exit_code, "choose another --name" in second.stderr)


def test_show_and_remove_unknown_forge(run) -> None:  # type: ignore[no-untyped-def]
    """Unknown names give exit code 1 and point to `forges list`."""
    from indexer.store import create_store

    create_store(os.environ["CODEREUSE_DATABASE_URL"]).close()
    shown, removed = run("forges", "show", "nope"), run("forges", "remove", "nope")
    assert (1, 1, True) == (
        shown.exit_code,
        removed.exit_code,
        "forges list" in shown.stderr + removed.stderr,
    )


def test_import_then_reimport_replaces(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Importing forges.yml adds; importing a changed file again replaces by name."""
    path = tmp_path / "forges.yml"
    path.write_text(
        "forges:\n  - name: oc\n    kind: gitlab\n    url: https://gitlab.opencode.de\n",
        encoding="utf-8",
    )
    first = run("forges", "import", str(path))
    path.write_text(
        "forges:\n  - name: oc\n    kind: gitlab\n    url: https://gitlab.opencode.de\n    groups: [open-code]\n",
        encoding="utf-8",
    )
    second = run("forges", "import", str(path))
    listed = json.loads(run("forges", "list", "--json").stdout)
    assert ((0, 0), "1 added", "1 replaced", [("oc", ["open-code"])]) == (
        (first.exit_code, second.exit_code),
        "1 added" if "1 added" in first.stderr else first.stderr,
        "1 replaced" if "1 replaced" in second.stderr else second.stderr,
        [(f["name"], f["groups"]) for f in listed],
    )


def test_import_dry_run_saves_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """--dry-run prints the registrations as forges.yml and leaves the store empty."""
    path = tmp_path / "gov.yml"
    path.write_text("Germany:\n  - it-at-m\n  - digitalservicebund\n", encoding="utf-8")
    result = run("forges", "import", str(path), "--dry-run")
    assert (0, ["it-at-m", "digitalservicebund"], []) == (
        result.exit_code,
        yaml.safe_load(result.stdout)["forges"][0]["orgs"],
        json.loads(run("forges", "list", "--json").stdout),
    )


def test_import_of_unknown_file_fails_clearly(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A file that is no registry gives exit code 1 and names the file."""
    path = tmp_path / "notes.yml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    result = run("forges", "import", str(path))
    assert (1, True) == (result.exit_code, "notes.yml" in result.stderr)


REGISTRIES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "registries"


@pytest.mark.skipif(
    not REGISTRIES.is_dir(), reason=f"the shared registries are not here ({REGISTRIES})"
)
def test_import_real_registry_through_the_cli(run) -> None:  # type: ignore[no-untyped-def]
    """The Dutch publishers file imports through the CLI into two registrations."""
    result = run("forges", "import", str(REGISTRIES / "nl-don-oss-register__publishers.json"))
    names = [f["name"] for f in json.loads(run("forges", "list", "--json").stdout)]
    assert (0, ["nl-github.com", "nl-gitlab.com"]) == (result.exit_code, names)
