"""save_page is all or nothing: a failure or a SIGKILL mid-transaction leaves no trace of the page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from indexer.store import Store, create_store
from tests.store.builders import at, make_forge, make_record, make_snapshot

ROOT = Path(__file__).resolve().parents[2]
URL_A = "https://gitlab.example.org/kommunen/beteiligung"
URL_B = "https://gitlab.example.org/kommunen/portal"


@pytest.fixture
def first_page(store: Store) -> Store:
    """A store holding page 1 of forge ``gitlab`` (repository 1, its record, checkpoint page 1)."""
    store.add_forge(make_forge("gitlab"))
    store.save_page(
        "gitlab", "all", [make_snapshot(URL_A, "1")], [make_record(URL_A)], {"page": 1}, now=at(1)
    )
    return store


def _assert_only_first_page(store: Store, seq: int) -> None:
    assert {"page": 1} == store.get_checkpoint("gitlab", "all")
    assert {"1"} == set(store.fingerprints("gitlab"))
    assert [make_record(URL_A).id] == [record.id for record in store.iter_records()]
    assert seq == store.latest_change_seq()


def test_failure_while_writing_the_checkpoint_saves_nothing_of_the_page(
    first_page: Store,
) -> None:
    """An error at the last step rolls back the page's snapshots and records too."""
    seq = first_page.latest_change_seq()

    def fail_on_checkpoint(
        _conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CRAWL_CHECKPOINTS"):
            raise RuntimeError("simulated crash while writing the checkpoint")

    event.listen(first_page.engine, "before_cursor_execute", fail_on_checkpoint)
    try:
        with pytest.raises(RuntimeError, match="simulated crash"):
            first_page.save_page(
                "gitlab",
                "all",
                [make_snapshot(URL_B, "2"), make_snapshot(URL_A, "1", blob_id="changed")],
                [make_record(URL_B), make_record(URL_A, name="changed")],
                {"page": 2},
                now=at(2),
            )
    finally:
        event.remove(first_page.engine, "before_cursor_execute", fail_on_checkpoint)
    _assert_only_first_page(first_page, seq)
    assert "blob-1" == first_page.fingerprints("gitlab")["1"].blob_id


_KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import event
    from indexer.store import create_store
    from tests.store.builders import make_record, make_snapshot

    store = create_store(sys.argv[1])

    def kill(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO CRAWL_CHECKPOINTS"):
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(store.engine, "before_cursor_execute", kill)
    url = "https://gitlab.example.org/kommunen/portal"
    store.save_page("gitlab", "all", [make_snapshot(url, "2")], [make_record(url)], {"page": 2})
    print("not killed")
    """
)


def test_sigkill_in_the_middle_of_a_page_leaves_the_previous_checkpoint(
    first_page: Store, database_url: str
) -> None:
    """A process killed (SIGKILL) inside save_page's transaction saved nothing of that page."""
    seq = first_page.latest_change_seq()
    first_page.close()
    result = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, database_url],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert -signal.SIGKILL == result.returncode, result.stdout + result.stderr
    reopened = create_store(database_url)
    try:
        _assert_only_first_page(reopened, seq)
    finally:
        reopened.close()
