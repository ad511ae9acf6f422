"""One scheduler per store: `run` crawls only while it holds the store's ``scheduler`` lease.

The lease is a row in the store (see `indexer.store.leases` for why a row and not a PostgreSQL
advisory lock). A heartbeat thread renews it every `RENEW_SECONDS`; a `run` that does not hold
it serves pages and the API only, says so once, and takes over within a minute of the holder
stopping (at once when the holder stops cleanly, since it releases the lease).
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import Any

from indexer.ticker import Ticker
from schemas.errors import CodereuseError

LEASE = "scheduler"
LEASE_SECONDS = 60.0
"""How long a lease lasts without renewal: how long a killed holder blocks its successor."""
RENEW_SECONDS = 15.0


def holder_name() -> str:
    """This process as a lease holder: host, pid and a random suffix (pids repeat in containers)."""
    return f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:8]})"


class SchedulerLease:
    """Holds (or waits for) the store's scheduler lease from a heartbeat thread.

    `held` tells the scheduler whether it may crawl now; `say` receives one line whenever this
    process starts or stops being the scheduler, or first finds another process holding it.
    """

    def __init__(
        self,
        store: Any,
        say: Callable[[str], None],
        *,
        seconds: float = LEASE_SECONDS,
        renew_every: float = RENEW_SECONDS,
    ) -> None:
        self._store = store
        self._say = say
        self._seconds = seconds
        self.holder = holder_name()
        self._held = threading.Event()
        self._heartbeat = Ticker(self.renew, renew_every, "codereuse-lease")
        self._other: str | None = None

    def held(self) -> bool:
        """True while this process holds the lease."""
        return self._held.is_set()

    def renew(self) -> bool:
        """Take or renew the lease once; returns whether this process holds it now."""
        try:
            lease = self._store.acquire_lease(LEASE, self.holder, seconds=self._seconds)
        except CodereuseError as error:
            # Without the store nobody can crawl into it; keep what we have until expiry.
            self._say(f"scheduler lease not renewed: {error}")
            return self.held()
        mine = bool(lease.holder == self.holder)
        if mine and not self.held():
            self._say("this process runs the scheduler and the crawls")
        elif not mine and (self.held() or self._other != lease.holder):
            self._say(
                f"{lease.holder} runs the scheduler and the crawls on this store; this process "
                "serves only and takes over if it stops"
            )
        self._other = None if mine else lease.holder
        if mine:
            self._held.set()
        else:
            self._held.clear()
        return mine

    def start(self) -> None:
        """Try once now, then keep renewing (or waiting) in a daemon thread."""
        self.renew()
        self._heartbeat.start()

    def stop(self) -> None:
        """Stop the heartbeat and release the lease if held, so a successor need not wait."""
        self._heartbeat.stop()
        if self.held():
            self._held.clear()
            try:
                self._store.release_lease(LEASE, self.holder)
            except CodereuseError as error:
                self._say(f"scheduler lease not released (it expires by itself): {error}")
