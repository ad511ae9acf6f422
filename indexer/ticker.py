"""`Ticker`: a function called every few seconds in a daemon thread until stopped.

The index follower (`indexer.sync.IndexFollower`) and the scheduler lease's heartbeat
(`cli.scheduler_lease.SchedulerLease`) run on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Ticker:
    """Calls `tick` every `seconds` (first after `seconds`) in a daemon thread named `name`,
    from `start` until `stop`; `stop` waits for a tick in flight to end."""

    def __init__(self, tick: Callable[[], object], seconds: float, name: str) -> None:
        self._tick = tick
        self._seconds = seconds
        self._name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start ticking in a daemon thread."""
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop ticking; returns once a tick in flight has ended."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._seconds):
            self._tick()
