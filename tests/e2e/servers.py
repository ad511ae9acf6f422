"""Start `codereuse` server processes the way an operator does, and watch them from outside.

Helpers for the tests that run the installed console command in real processes on loopback:
free ports, a process whose output goes to a file (read while it runs), waiting until a URL
answers, and the worker processes uvicorn's supervisor spawned.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

COMMAND = Path(sys.executable).parent / "codereuse"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running ``codereuse`` process; its stdout and stderr go to `log`."""

    process: subprocess.Popen[bytes]
    log: Path
    base: str

    @property
    def output(self) -> str:
        """Everything the process printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """Ctrl-C, then wait for the exit (SIGKILL after 30 s); returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return int(self.process.returncode)

    def workers(self) -> list[int]:
        """Pids of the worker processes uvicorn's supervisor spawned (not its resource tracker)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        found = []
        for child in children:
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue  # exited between the listing and the read
            if b"spawn_main" in command:
                found.append(int(child))
        return found


def start(
    args: list[str], *, env: dict[str, str], cwd: Path, name: str, port: int | None = None
) -> Server:
    """Start ``codereuse ARGS`` (``--port`` appended when `port` is given) with output in cwd/name.log."""
    log = cwd / f"{name}.log"
    port_args = ["--port", str(port)] if port is not None else []
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(COMMAND), *args, *port_args],
            cwd=cwd,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return Server(process, log, f"http://127.0.0.1:{port}" if port else "")


def wait_for(
    check: Callable[[], bool], *, timeout: float, what: str, server: Server | None = None
) -> float:
    """Poll `check` every 0.1 s until true; return the seconds it took, or fail naming `what`."""
    began = time.monotonic()
    while not check():
        if server is not None and server.process.poll() is not None:
            raise AssertionError(f"{what}: the process exited early:\n{server.output}")
        if time.monotonic() - began > timeout:
            detail = f"\n{server.output}" if server is not None else ""
            raise AssertionError(f"{what}: not within {timeout} s{detail}")
        time.sleep(0.1)
    return time.monotonic() - began


def answers(base: str, path: str = "/healthz") -> bool:
    """True when GET base+path answers 200."""
    try:
        return httpx.get(base + path, timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any CODEREUSE_ variable or token, plus `settings`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CODEREUSE_") and key != "GITHUB_TOKEN"
    }
    env.update(settings)
    return env
