"""Freed heap memory handed back now and then (`api.memory`)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from fastapi import FastAPI

from api import memory
from api.memory import HeapTrimmer, malloc_trim


def test_the_trimmer_trims_until_stopped() -> None:
    """`HeapTrimmer` calls its trim function every interval and no more after `stop`."""
    calls = threading.Semaphore(0)
    trimmer = HeapTrimmer(calls.release, every=0.001)
    trimmer.start()
    assert all(calls.acquire(timeout=5) for _ in range(3))
    trimmer.stop()
    done = trimmer.trims
    assert done >= 3
    assert not calls.acquire(timeout=0.05) or trimmer.trims == done


def test_glibc_malloc_trim_is_found_and_runs() -> None:
    """On glibc (the servers' platform) ``malloc_trim(0)`` is found and callable."""
    trim = malloc_trim()
    assert trim is not None
    trim()


def test_the_app_trims_its_heap_while_it_serves(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's lifespan starts a heap trimmer and stops it at shutdown."""
    started: list[HeapTrimmer] = []
    original = memory.HeapTrimmer.start

    def start(self: HeapTrimmer) -> None:
        started.append(self)
        original(self)

    monkeypatch.setattr(memory.HeapTrimmer, "start", start)

    async def serve() -> None:
        async with app.router.lifespan_context(app):
            assert 1 == len(started)

    asyncio.run(serve())
    assert not started[0]._thread.is_alive()
