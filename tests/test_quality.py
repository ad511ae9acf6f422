"""The project's own checks (ruff, mypy) run with the tests, so one command checks everything."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing() -> None:
    """ruff's lint rules pass on the whole tree."""
    result = _run("ruff", "check", "--no-cache", ".")
    assert 0 == result.returncode, result.stdout + result.stderr


def test_mypy_strict_passes() -> None:
    """mypy --strict passes on the packages configured in pyproject.toml."""
    result = _run("mypy", "--no-incremental")
    assert 0 == result.returncode, result.stdout + result.stderr


KIND_BRANCH = re.compile(r"""kind ?== ?["'](gitlab|github|gitea|forgejo)["']""")


def test_nothing_outside_a_kind_folder_branches_on_a_forge_kind() -> None:
    """A forge kind's knowledge lives in `crawler/<kind>/`: no other module compares a kind with
    a literal name (issue 10; a new kind would silently be treated as one of the old ones)."""
    places = [
        *ROOT.joinpath("crawler").glob("*.py"),
        *ROOT.joinpath("crawler", "normalise").rglob("*.py"),
    ]
    for package in ("schemas", "indexer", "api", "cli"):
        places += ROOT.joinpath(package).rglob("*.py")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in places
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if KIND_BRANCH.search(line)
    ]
    assert [] == found
