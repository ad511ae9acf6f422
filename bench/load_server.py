"""The server side of `bench/load.py`: ``codereuse serve`` and a crawl, as a user runs them.

`serving` starts ``codereuse serve`` (with ``--workers`` when asked) on a free loopback port and
waits until it answers searches; `crawling` registers a fake GitLab served by another process on
127.0.0.1 and runs ``codereuse crawl --full`` on it in a loop; `ServerWatch` samples the RSS
summed over the server's processes and their CPU time over the measured window.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class ServerWatch:
    """Samples the peak RSS of `root`'s process tree every half second until `stop`, and its
    CPU time between `mark_start` and `mark_end`."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_rss_mb = rss_mb(root)
        self.cpu = 0.0
        self.cpu_by_process: list[float] = []
        self._cpu_start: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            self.peak_rss_mb = max(self.peak_rss_mb, rss_mb(self.root))

    def mark_start(self) -> None:
        self._cpu_start = cpu_seconds(self.root)

    def mark_end(self) -> None:
        end = cpu_seconds(self.root)
        self.cpu_by_process = sorted(
            (seconds - self._cpu_start.get(pid, 0.0) for pid, seconds in end.items()),
            reverse=True,
        )
        self.cpu = sum(self.cpu_by_process)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _environment(folder: Path, database: Path, *, cache: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEREUSE_")}
    env["CODEREUSE_DATABASE_URL"] = f"sqlite:///{database}"
    env["CODEREUSE_CONFIG"] = str(folder / "codereuse.toml")
    if not cache:
        env["CODEREUSE_CACHE_MB"] = "0"
    return env


def _server_processes(root: int) -> list[int]:
    """`root` and all its descendants (uvicorn or gunicorn workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def rss_mb(root: int) -> float:
    """Resident set size summed over `root` and its descendants, in MB."""
    total = 0
    for pid in _server_processes(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(root: int) -> dict[int, float]:
    """User plus system CPU time of `root` and each living descendant, in seconds, by pid."""
    seconds = {}
    for pid in _server_processes(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


@contextmanager
def serving(
    command: Path, folder: Path, database: Path, workers: int, *, cache: bool = True
) -> Iterator[tuple[int, int]]:
    """``codereuse serve`` on a free loopback port; yields (port, pid) once it answers.

    Without `cache`, the server keeps no answers (``CODEREUSE_CACHE_MB=0``)."""
    import httpx

    port = _free_port()
    arguments = [str(command), "serve", "--host", HOST, "--port", str(port)]
    if workers > 1:
        arguments += ["--workers", str(workers)]
    process = subprocess.Popen(
        arguments,
        cwd=folder,
        env=_environment(folder, database, cache=cache),
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "serve.log", "wb"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                answer = httpx.get(f"http://{HOST}:{port}/api/v1/software?q=verwaltung", timeout=30)
                if answer.status_code == 200 and answer.json()["total"]:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command} serve did not start; see {folder / 'serve.log'}")
            time.sleep(0.3)
        yield port, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _fake_forge(repositories: int, ports: Any) -> None:
    """Process body: a fake GitLab on loopback whose every full listing changes every repo.

    It stands in for a remote forge, so it must not take the server's CPU on this machine
    where a real forge would not: its answers are built from repositories held in memory (no
    store, no templates), and it used about 0.4 s of CPU per full listing of 3,000
    repositories (1.2 s over three crawls, measured with `cpu_seconds`), against tens of
    seconds for the crawl that reads them and the server under load.
    """
    import httpx

    from tests.crawler.fakeforge import FakeGitLab, make_repos, publiccode_text
    from tests.fakeserver import serve

    fake = FakeGitLab("placeholder", make_repos(repositories, owners=30))
    listings = [1]

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v4/version":
            return httpx.Response(200, json={"version": "17.5.0", "revision": "bench"})
        if request.url.path == "/api/graphql" and b"InstanceProjects" in request.content:
            variables = json.loads(request.content).get("variables") or {}
            if variables.get("after") is None:  # a new full listing begins
                listings[0] += 1
                fake.touch([repo.id for repo in fake.repos], change_file=False)
                for repo in fake.repos:
                    if repo.publiccode is not None:
                        repo.publiccode = publiccode_text(repo.name, version=listings[0])
        return fake(request)

    with serve(handle) as port:
        fake.host = f"{HOST}:{port}"
        ports.put(port)
        threading.Event().wait()


@contextmanager
def crawling(
    command: Path, folder: Path, database: Path, repositories: int
) -> Iterator[dict[str, int]]:
    """Register a fake GitLab, then run ``codereuse crawl --full`` on it in a loop until exit.

    Yields counters: finished crawls, failed ones, and the commits to `database` seen
    meanwhile (SQLite's ``data_version``, polled every 50 ms: how often the server's kept
    answers met a changed store).
    """
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    forge = context.Process(target=_fake_forge, args=(repositories, ports), daemon=True)
    forge.start()
    env = _environment(folder, database)
    counts = {"crawls": 0, "failed": 0, "commits": 0}
    stop = threading.Event()
    try:
        port = ports.get(timeout=60)
        subprocess.run(
            [
                str(command),
                "forges",
                "add",
                f"http://{HOST}:{port}",
                "--kind",
                "gitlab",
                "--name",
                "loadlab",
                "--allow-private",
            ],
            env=env,
            cwd=folder,
            check=True,
            capture_output=True,
        )

        def loop() -> None:
            while not stop.is_set():
                done = subprocess.run(
                    # --no-federate: federation re-derives every record from stored
                    # snapshots and would tombstone the synthetic catalogue, which has none.
                    [str(command), "--quiet", "crawl", "loadlab", "--full", "--no-federate"],
                    env=env,
                    cwd=folder,
                    capture_output=True,
                    check=False,
                )
                counts["crawls" if done.returncode == 0 else "failed"] += 1

        def watch_commits() -> None:
            probe = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            try:
                last = probe.execute("PRAGMA data_version").fetchone()[0]
                while not stop.wait(0.05):
                    seen = probe.execute("PRAGMA data_version").fetchone()[0]
                    counts["commits"] += seen != last
                    last = seen
            finally:
                probe.close()

        worker = threading.Thread(target=loop, daemon=True)
        worker.start()
        threading.Thread(target=watch_commits, daemon=True).start()
        time.sleep(2)  # let the first crawl begin writing before the load starts
        yield counts
    finally:
        stop.set()
        forge.terminate()
        forge.join()
