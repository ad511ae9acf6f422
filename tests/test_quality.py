"""The project's own checks (ruff, mypy) run with the tests, so one command checks everything."""

from __future__ import annotations

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
