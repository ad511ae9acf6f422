"""`codereuse index`, `search`, `show` and `stats` on a real SQLite store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from indexer.store import Store, create_store
from tests.api.conftest import corpus


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    store: Store = create_store(url)
    with store:
        store.upsert_records(corpus())
    yield url


def _run(database: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, list(args), env={"CODEREUSE_DATABASE_URL": database, "COLUMNS": "200"}
    )
    return result.exit_code, result.stdout, result.stderr


def test_index_then_search_finds_a_german_compound(database: str) -> None:
    """After `index`, `search Beteiligung` finds the participation platform, highlighted."""
    code, out, err = _run(database, "index")
    assert 0 == code, err
    assert "index rebuilt: 5 records" in out  # the first sync of an empty index builds it whole
    code, out, _ = _run(database, "index")
    assert (0, True) == (code, out.startswith("index synced: 0 records changed"))
    code, out, err = _run(database, "search", "Beteiligung", "--json")
    assert 0 == code, err
    names = [hit["name"] for hit in json.loads(out)["hits"]]
    assert "Beteiligungsportal" in names


def test_search_filters_and_facets(database: str) -> None:
    """--filter narrows by licence; --facets counts values."""
    _run(database, "index", "--rebuild")
    code, out, err = _run(database, "search", "--filter", "licence=MIT", "--facets", "--json")
    payload = json.loads(out)
    assert 0 == code, err
    assert ["E-Akte"] == [hit["name"] for hit in payload["hits"]]
    assert {"MIT": 1} == payload["facets"]["licence"]


def test_search_refuses_unknown_filter_key(database: str) -> None:
    """An unknown filter key exits 2 and lists the keys that work."""
    code, _, err = _run(database, "search", "x", "--filter", "colour=red")
    assert 2 == code
    assert "colour" in err and "licence" in err


def test_search_with_no_hit_exits_1(database: str) -> None:
    """Nothing found is exit status 1, as documented."""
    _run(database, "index")
    code, out, _ = _run(database, "search", "zzzzqqqq")
    assert (1, True) == (code, out.startswith("0 result"))


def test_show_by_id_and_by_url(database: str) -> None:
    """`show` finds a record by id or by repository URL and prints its findings."""
    code, out, err = _run(database, "show", "gitlab.opencode.de/kreis/eakte")
    assert 0 == code, err
    assert "E-Akte" in out and "legal.license" in out
    code, out, _ = _run(database, "show", "https://GitLab.opencode.de/kreis/eakte.git", "--json")
    assert (0, "gitlab.opencode.de/kreis/eakte") == (code, json.loads(out)["id"])


def test_show_unknown_record_exits_1(database: str) -> None:
    """An unknown id exits 1 with advice."""
    code, _, err = _run(database, "show", "example.org/none")
    assert 1 == code
    assert "codereuse search" in err


def test_stats_counts_by_licence(database: str) -> None:
    """`stats --json` counts the catalogue by licence."""
    code, out, err = _run(database, "stats", "--json")
    payload = json.loads(out)
    assert 0 == code, err
    assert len(corpus()) == payload["records"]
    assert 1 == payload["by_licence"]["MIT"]
