"""`serve --workers N` and `run --workers N`: how the workers are started and watched."""

from __future__ import annotations

import os
from typing import Any

import pytest

from cli import serve_command


class Exec(Exception):
    """Raised instead of replacing the test process."""


def _no_exec(_path: str, _args: list[str]) -> Any:
    raise Exec


@pytest.fixture(autouse=True)
def restored_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variables the functions under test set are removed again after each test."""
    for name in ("MALLOC_ARENA_MAX", serve_command.WORKER_LOGGING):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


def test_workers_get_two_malloc_arenas(monkeypatch: pytest.MonkeyPatch) -> None:
    """The supervisor (and so every worker it spawns) runs with MALLOC_ARENA_MAX=2."""
    monkeypatch.setattr(os, "execv", _no_exec)
    with pytest.raises(Exec):
        serve_command._become_supervisor("127.0.0.1", 8000, 2)
    assert "2" == os.environ["MALLOC_ARENA_MAX"]


def test_run_workers_get_two_malloc_arenas(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run --workers N` spawns its workers from `serve_http` with MALLOC_ARENA_MAX=2."""
    import uvicorn

    seen: list[str | None] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda *a, **k: seen.append(os.environ.get("MALLOC_ARENA_MAX"))
    )
    serve_command.serve_http(object(), "127.0.0.1", 8000, 2)
    assert ["2"] == seen


def test_an_operators_arena_setting_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """MALLOC_ARENA_MAX set by the operator reaches the workers unchanged."""
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")
    monkeypatch.setattr(os, "execv", _no_exec)
    with pytest.raises(Exec):
        serve_command._become_supervisor("127.0.0.1", 8000, 2)
    assert "8" == os.environ["MALLOC_ARENA_MAX"]


def test_a_slow_starting_worker_is_not_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both supervisors give a worker 30 s, not uvicorn's 5 s, to answer its health check: a
    worker starting on a loaded machine was killed and replaced before it could serve."""
    import uvicorn

    from cli import supervisor

    seen: list[Any] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda *a, **k: seen.append(k["timeout_worker_healthcheck"])
    )
    supervisor.supervise("127.0.0.1", 8000, 2, "warning")
    serve_command.serve_http(object(), "127.0.0.1", 8000, 2)
    assert [30, 30] == seen


def test_no_line_is_logged_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """A single-process `serve`, its workers' supervisor and `run`'s workers write no access
    line per request (uvicorn's own logging set-up turned it on for a single process)."""
    import uvicorn

    from cli import supervisor

    seen: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.append(k["access_log"]))
    monkeypatch.setattr(
        uvicorn.Server, "run", lambda server, *a, **k: seen.append(server.config.access_log)
    )
    supervisor.supervise("127.0.0.1", 8000, 2, "info")
    serve_command.serve_http(object(), "127.0.0.1", 8000, 2)
    serve_command.serve_http(object(), "127.0.0.1", 8000, 1)
    assert [False, False, False] == seen
