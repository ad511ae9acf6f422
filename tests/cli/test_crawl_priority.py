"""Crawls at a lower CPU priority than serving (`cli.pipeline.lower_crawl_priority`)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from cli.pipeline import lower_crawl_priority
from schemas.settings import Settings

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="a priority per thread is what Linux gives"
)


def _in_thread(settings: Settings) -> tuple[int, int, int]:
    """(niceness before, what `lower_crawl_priority` returned, niceness after) in a new thread."""
    seen: list[int] = []

    def body() -> None:
        me = threading.get_native_id()
        seen.append(os.getpriority(os.PRIO_PROCESS, me))
        seen.append(lower_crawl_priority(settings, thread_only=True))
        seen.append(os.getpriority(os.PRIO_PROCESS, me))

    worker = threading.Thread(target=body)
    worker.start()
    worker.join()
    return seen[0], seen[1], seen[2]


def test_the_crawling_thread_alone_runs_at_the_lower_priority() -> None:
    """The crawl's thread gets `crawl_nice` more (at most 19); the other threads keep theirs."""
    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    before, returned, after = _in_thread(Settings(crawl_nice=7))
    assert (main, min(19, main + 7), min(19, main + 7)) == (before, returned, after)
    assert main == os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_a_crawl_nice_of_0_leaves_the_priority_alone() -> None:
    """``CODEREUSE_CRAWL_NICE=0`` crawls at the server's priority."""
    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert (main, 0, main) == _in_thread(Settings(crawl_nice=0))


def test_the_default_is_a_documented_setting() -> None:
    """The default lowers crawls by 10, and the setting refuses what `nice` does not take."""
    assert 10 == Settings.model_fields["crawl_nice"].default
    with pytest.raises(ValueError, match="19"):
        Settings(crawl_nice=20)
