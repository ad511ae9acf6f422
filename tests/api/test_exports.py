"""Export writers (CSV, JSON, NDJSON, Parquet) and ``/api/v1/export`` with filters."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq

from api.exports import COLUMN_NAMES, write_csv, write_json, write_ndjson, write_parquet
from api.exports.text_writers import csv_cell
from indexer.store import Store
from schemas.record import Record
from tests.api.client import AppClient
from tests.api.conftest import corpus
from tests.api.records import make_record


def documents(records: list[Record]) -> list[dict[str, object]]:
    """Records in their JSON shape, as the tabular writers read them."""
    return [record.model_dump(mode="json") for record in records]


def test_csv_has_header_and_one_row_per_record() -> None:
    """The CSV header is the column list; lists are joined with '; '."""
    rows = list(csv.DictReader(io.StringIO(b"".join(write_csv(documents(corpus()))).decode())))
    assert list(COLUMN_NAMES) == list(rows[0])
    assert 5 == len(rows)
    assert "collaboration-platform" == rows[0]["categories"]


def test_csv_neutralises_formulas() -> None:
    """A text cell starting with = + - @ is prefixed with ' so spreadsheets show it as text."""
    assert ("'=HYPERLINK(1)", "'@SUM(A1)", "12", "") == (
        csv_cell("=HYPERLINK(1)"),
        csv_cell("@SUM(A1)"),
        csv_cell(12),
        csv_cell(None),
    )


def test_json_is_one_valid_array_even_when_empty() -> None:
    """JSON export parses as an array of whole records (and as [] with no record)."""
    records = json.loads(b"".join(write_json(corpus())))
    assert [r.id for r in corpus()] == [record["id"] for record in records]
    assert [] == json.loads(b"".join(write_json([])))


def test_ndjson_has_one_record_per_line() -> None:
    """Each NDJSON line is one whole record."""
    lines = b"".join(write_ndjson(corpus())).decode().splitlines()
    assert [r.id for r in corpus()] == [json.loads(line)["id"] for line in lines]


def test_parquet_row_groups_and_types() -> None:
    """Parquet keeps typed and list columns and writes one row group per batch."""
    records = [make_record(f"https://gitlab.example.org/g/p{i}", f"P{i}") for i in range(25)]
    data = b"".join(write_parquet(documents(records), row_group_rows=10))
    parquet = pq.ParquetFile(io.BytesIO(data))
    assert (25, 3) == (parquet.metadata.num_rows, parquet.num_row_groups)
    table = parquet.read()
    assert ["collaboration-platform"] == table.column("categories")[0].as_py()
    assert 3 == table.column("stars")[0].as_py()


def test_parquet_of_nothing_is_a_valid_empty_file() -> None:
    """An empty selection still gives a readable Parquet file with the schema."""
    parquet = pq.ParquetFile(io.BytesIO(b"".join(write_parquet([]))))
    assert (0, list(COLUMN_NAMES)) == (parquet.metadata.num_rows, parquet.schema_arrow.names)


def test_export_endpoint_applies_filters(client: AppClient) -> None:
    """/api/v1/export?format=csv&licence=MIT exports exactly the MIT records, as an attachment."""
    response = client.get("/api/v1/export", params={"format": "csv", "licence": "MIT"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert ["E-Akte"] == [row["name"] for row in rows]
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "etag" not in response.headers


def test_export_endpoint_with_words_follows_the_search(client: AppClient) -> None:
    """With q, the export holds the search's hits."""
    response = client.get("/api/v1/export", params={"format": "ndjson", "q": "Beteiligung"})
    names = {json.loads(line)["name"] for line in response.text.splitlines()}
    assert {"Beteiligungsportal", "Beteiligung Plus"} <= names
    assert "E-Akte" not in names


def test_export_endpoint_parquet(client: AppClient) -> None:
    """format=parquet streams a Parquet file of the selection."""
    response = client.get("/api/v1/export", params={"format": "parquet", "forge": "github"})
    table = pq.read_table(io.BytesIO(response.content))
    assert ["Beteiligung Plus"] == table.column("name").to_pylist()


def test_export_unknown_format_is_422(client: AppClient) -> None:
    """An unknown format is refused with a problem naming the parameter."""
    response = client.get("/api/v1/export", params={"format": "xlsx"})
    assert 422 == response.status_code
    assert "query.format" == response.json()["errors"][0]["location"]


def test_full_export_from_stored_json_equals_export_of_models(
    client: AppClient, store: Store
) -> None:
    """The fast path (stored JSON, no models) writes the same CSV as the models would."""
    from_store = client.get("/api/v1/export", params={"format": "csv"}).content
    records = sorted(store.iter_records(), key=lambda record: record.id)
    assert b"".join(write_csv(documents(records))) == from_store


def test_maturity_and_facts_are_typed_columns() -> None:
    """Each criterion's level, the summary level and the repository facts are columns; Parquet
    types them (int, timestamp, list) and a record without facts leaves them empty."""
    from datetime import timedelta

    from schemas.facts import Release, RepositoryFacts, RootEntry
    from tests.api.records import FETCHED

    kept = make_record("https://gitlab.example.org/g/kept", "Kept")
    kept.repository.facts = RepositoryFacts(
        root=[RootEntry(name="README.md"), RootEntry(name=".gitlab-ci.yml")],
        releases_count=4,
        latest_release=Release(tag="v2.0", published_at=FETCHED - timedelta(days=10)),
        last_commit_at=FETCHED - timedelta(days=1),
        commits_last_year=50,
        open_issues=2,
        readme_path="README.md",
        readme_text="Kept. " * 300,
    )
    bare = make_record("https://gitlab.example.org/g/bare", "Bare")
    table = pq.ParquetFile(io.BytesIO(b"".join(write_parquet(documents([kept, bare]))))).read()
    rows = table.to_pylist()
    assert ("met", "met", "unknown") == (
        rows[0]["maturity_tested"],
        rows[0]["maturity_active"],
        rows[1]["maturity_tested"],
    )
    assert (4, "v2.0", 50, 2) == (
        rows[0]["releases_count"],
        rows[0]["latest_release"],
        rows[0]["commits_last_year"],
        rows[0]["open_issues"],
    )
    assert ["README.md", ".gitlab-ci.yml"] == rows[0]["root_files"]
    assert (None, None) == (rows[1]["releases_count"], rows[1]["root_files"])
    assert rows[0]["maturity_level"] >= 1 and rows[1]["maturity_level"] == 0
    schema = table.schema
    assert "int64" == str(schema.field("maturity_level").type)
    assert str(schema.field("last_commit_at").type).startswith("timestamp")
    assert "list<element: string>" == str(schema.field("root_files").type).replace(
        "item", "element"
    )
    text = b"".join(write_csv(documents([kept]))).decode()
    assert "README.md; .gitlab-ci.yml" in text
