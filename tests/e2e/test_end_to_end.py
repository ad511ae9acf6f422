"""The whole job through the installed `codereuse` command, against fake forges on loopback.

A fake GitLab and a fake GitHub Enterprise Server answer as real HTTP servers on 127.0.0.1
(built from the crawler's test fakes); every step runs the console command in a subprocess, as
a user or cron would: register both forges, crawl, search, export CSV, `run` in the background
with HTTP requests to the search page and the API, then an incremental recrawl after the fakes
changed a few repositories, and `show` of a changed record.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.fakes import EnterpriseServer, GitLabInstance
from tests.fakeserver import serve

COMMAND = Path(sys.executable).parent / "codereuse"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not COMMAND.exists(), reason=f"the console command is not installed at {COMMAND}"
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CODEREUSE_") and key != "GITHUB_TOKEN"
    }
    env.update(
        {
            "CODEREUSE_DATABASE_URL": f"sqlite:///{tmp_path / 'codereuse.db'}",
            "CODEREUSE_CONFIG": str(tmp_path / "codereuse.toml"),
            "E2E_GHES_TOKEN": "e2e-token-not-secret-0001",
            "COLUMNS": "200",
        }
    )
    yield tmp_path, env


def _codereuse(
    workdir: tuple[Path, dict[str, str]], *args: str, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    folder, env = workdir
    result = subprocess.run(
        [str(COMMAND), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if ok:
        assert 0 == result.returncode, (
            f"codereuse {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def test_register_crawl_search_export_serve_recrawl_show(
    workdir: tuple[Path, dict[str, str]],
) -> None:
    """From nothing to a served catalogue and an incremental recrawl, all through the command."""
    gitlab, ghes = GitLabInstance(), EnterpriseServer()
    with serve(gitlab) as gitlab_port, serve(ghes) as ghes_port:
        gitlab.fake.host = f"127.0.0.1:{gitlab_port}"
        ghes.fake.host = f"127.0.0.1:{ghes_port}"
        _codereuse(
            workdir,
            "forges",
            "add",
            f"http://127.0.0.1:{gitlab_port}",
            "--kind",
            "gitlab",
            "--name",
            "lab",
            "--allow-private",
        )
        _codereuse(
            workdir,
            "forges",
            "add",
            f"http://127.0.0.1:{ghes_port}/",
            "--kind",
            "github",
            "--name",
            "ghes",
            "--token-env",
            "E2E_GHES_TOKEN",
            "--allow-private",
        )
        listed = _codereuse(workdir, "forges", "list").stdout
        assert "lab" in listed and "ghes" in listed

        first = _codereuse(workdir, "crawl")
        assert "e2e-token-not-secret" not in first.stdout + first.stderr
        assert "lab: full crawl succeeded" in first.stdout

        found = json.loads(_codereuse(workdir, "search", "project-13", "--json").stdout)
        assert found["total"] >= 1
        assert "project-13" == found["hits"][0]["name"]

        target = workdir[0] / "catalogue.csv"
        _codereuse(workdir, "export", "--format", "csv", "-o", str(target))
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        assert 100 == len(rows)
        assert {"lab", "ghes"} == {row["forge"] for row in rows}

        port = _free_port()
        server = subprocess.Popen(
            [str(COMMAND), "--quiet", "run", "--port", str(port)],
            cwd=workdir[0],
            env=workdir[1],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            page, api = _get_when_up(
                f"http://127.0.0.1:{port}",
                "/?q=project-13&lang=en",
                "/api/v1/software?q=project-13",
            )
        finally:
            server.send_signal(signal.SIGINT)
            _out, err = server.communicate(timeout=60)
        assert 200 == page.status_code and "project-13" in page.text, err
        assert "project-13" == api.json()["hits"][0]["name"]
        assert 0 == server.returncode, err

        # make_repos: project-N belongs to org{(N-1) % 3} and has a publiccode.yml when N % 10 < 3.
        lab = f"127.0.0.1:{gitlab_port}"
        untouched_before = _show(workdir, f"{lab}/org0/project-22")
        gitlab.fake.touch([21])
        second = _codereuse(workdir, "crawl")
        assert "lab: incremental crawl succeeded" in second.stdout

        changed = _show(workdir, f"{lab}/org2/project-21")
        untouched_after = _show(workdir, f"{lab}/org0/project-22")
        assert "1.2.0" == changed["software_version"]
        assert changed["last_changed"] > untouched_before["last_changed"]
        assert untouched_before["last_changed"] == untouched_after["last_changed"]


def _show(workdir: tuple[Path, dict[str, str]], record_id: str) -> dict[str, object]:
    return dict(json.loads(_codereuse(workdir, "show", record_id, "--json").stdout))


def _get_when_up(base: str, *paths: str) -> list[httpx.Response]:
    deadline = time.monotonic() + 60
    while True:
        try:
            return [httpx.get(base + path, timeout=10) for path in paths]
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
