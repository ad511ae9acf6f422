"""Log output: JSON lines for machines, and secrets masked whatever the format."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.logs import JsonFormatter, RedactingFilter, redact

# Token-shaped fakes, assembled so no token-looking literal sits in the repository.
FAKE_GITHUB_TOKEN = "ghp" + "_" + "a1b2c3d4e5" * 4
FAKE_GITLAB_TOKEN = "glpat" + "-" + "f6g7h8i9j0" * 2
ROOT = Path(__file__).resolve().parents[2]


def test_redact_masks_token_shapes_and_credentials() -> None:
    """GitHub/GitLab tokens, bearer values and URL credentials are replaced by ***."""
    text = (
        f"{FAKE_GITHUB_TOKEN} {FAKE_GITLAB_TOKEN} "
        "https://user:hunter22@gitlab.example.org/x Authorization: Bearer abc.def.ghi"
    )
    cleaned = redact(text, secrets=[])
    assert "ghp_" not in cleaned
    assert "glpat-" not in cleaned
    assert "hunter22" not in cleaned
    assert "abc.def.ghi" not in cleaned
    assert "gitlab.example.org/x" in cleaned


def test_redact_masks_values_of_secret_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The value of any *_TOKEN variable is masked even when it has no known shape."""
    monkeypatch.setenv("MY_FORGE_TOKEN", "s3cr3t-value-123")
    assert "token=***" == redact("token=s3cr3t-value-123")


def test_json_formatter_writes_one_object_with_extras() -> None:
    """A JSON log line carries level, logger, message and extra fields, secrets masked."""
    record = logging.makeLogRecord(
        {
            "name": "crawler",
            "levelno": 20,
            "levelname": "INFO",
            "msg": "listed %s with %s",
            "args": ("opencode", FAKE_GITLAB_TOKEN),
            "forge": "opencode",
        }
    )
    RedactingFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert "listed opencode with ***" == entry["message"]
    assert "opencode" == entry["forge"]
    assert "info" == entry["level"]


def test_json_log_format_turns_status_lines_into_json(tmp_path: Path) -> None:
    """With --log-format json every line on stderr is a JSON object (cron, containers)."""
    from typer.testing import CliRunner

    from cli.app import app

    result = CliRunner().invoke(
        app,
        ["--log-format", "json", "forges", "list"],
        env={"CODEREUSE_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"},
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, result.stderr
    assert all(isinstance(json.loads(line), dict) for line in lines)


def test_importing_alembic_in_a_worker_logs_no_plugin_setup() -> None:
    """A process that configured our logging and then opens the store (as every server worker
    does at start) shows none of alembic's seven "setup plugin" INFO lines."""
    script = (
        "from cli.logs import configure_logging\n"
        "configure_logging('text')\n"
        "import logging, indexer.store.engine\n"
        "logging.getLogger('codereuse.test').info('worker started')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "worker started" in done.stderr
    assert "setup plugin" not in done.stderr
