"""What one server process costs: imports, threads, batch sizes; feeds that look far back."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import anyio.to_thread
import pytest
from fastapi import FastAPI

from api.app import THREADS
from api.selection import BATCH
from indexer.store import Store
from tests.api.client import AppClient
from tests.api.records import make_record

ATOM = "{http://www.w3.org/2005/Atom}"


def test_building_the_app_does_not_import_pyarrow(tmp_path: Path) -> None:
    """pyarrow (about 30 MB per process) is loaded by the first Parquet export, not the app."""
    code = (
        "import sys; from cli.serve_command import build_app; "
        f"build_app('sqlite:///{tmp_path / 'c.db'}'); print('pyarrow' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert "False" == result.stdout.strip()


def test_parquet_export_still_written(client: AppClient) -> None:
    """The Parquet export works with pyarrow imported on demand."""
    response = client.get("/api/v1/export?format=parquet")
    assert (200, b"PAR1") == (response.status_code, response.content[:4])


def test_the_app_runs_routes_in_a_small_thread_pool(app: FastAPI) -> None:
    """The lifespan sizes the route thread pool to THREADS (anyio's default is 40)."""

    async def tokens() -> float:
        async with app.router.lifespan_context(app):
            return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert THREADS == asyncio.run(tokens())


def test_exports_read_the_store_in_small_batches(
    client: AppClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filtered and full exports ask the store for at most BATCH records at a time."""
    sizes: list[int] = []
    for name in ("iter_records", "iter_documents"):
        original = getattr(store, name)

        def spy(*args: Any, _original: Any = original, **kwargs: Any) -> Iterator[Any]:
            sizes.append(kwargs.get("batch_size", 1000))
            return _original(*args, **kwargs)  # type: ignore[no-any-return]

        monkeypatch.setattr(store, name, spy)
    client.get("/api/v1/export?format=csv")
    client.get("/api/v1/export?format=ndjson&forge=github")
    assert sizes and max(sizes) <= BATCH == 100


def test_filtered_feed_finds_a_record_changed_long_ago(client: AppClient, store: Store) -> None:
    """A filter matching only a record changed 300 upserts ago still fills the feed with it."""
    store.upsert_records(
        [
            make_record(f"https://gitlab.opencode.de/bulk/project-{number}", f"Bulk {number}")
            for number in range(300)
        ]
    )
    xml = client.get("/feeds/software.atom?forge=github").content
    titles = [e.findtext(f"{ATOM}title") for e in ElementTree.fromstring(xml).iter(f"{ATOM}entry")]
    assert ["Beteiligung Plus"] == titles


@pytest.mark.parametrize("path", ["/software/{id}?lang=en", "/api/v1/software/{id}"])
def test_a_record_is_read_once_per_detail(
    client: AppClient, store: Store, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """The software page and the record's JSON read the record from the store once (the
    moved-repository check no longer reads it a second time)."""
    record_id = "gitlab.opencode.de/stadt/beteiligung"
    reads: list[str] = []
    original = store.get_record

    def counted(id: str, **kwargs: Any) -> Any:
        reads.append(id)
        return original(id, **kwargs)

    monkeypatch.setattr(store, "get_record", counted)
    assert 200 == client.get(path.format(id=record_id)).status_code
    assert 1 == reads.count(record_id)
