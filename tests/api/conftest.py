"""Fixtures: a real SQLite store with a small catalogue, the search over it, the app, a client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

from api.app import create_app
from crawler.normalise.organisations import organisation_entities
from indexer.search.factory import create_search_backend
from indexer.search.protocol import SearchBackend
from indexer.store import Store, create_store
from schemas.findings import Finding
from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.record import Record, Relations
from schemas.settings import Settings
from tests.api.client import AppClient
from tests.api.records import make_record

ADMIN_TOKEN = "admin-token-of-the-api-tests-0123456789"
PUBLICCODE = b"""publiccodeYmlVersion: "0.2"
name: Beteiligungsportal
url: https://gitlab.opencode.de/stadt/beteiligung
legal:
  license: EUPL-1.2
  repoOwner: Stadt Musterhausen
it:
  conforme:
    gdpr: true
  piattaforme:
    spid: true
  riuso:
    codiceIPA: c_h501
"""


def corpus() -> list[Record]:
    """Five records: German and English texts, two forges, licences, an invalid and an inferred one."""
    return [
        make_record(
            "https://gitlab.opencode.de/stadt/beteiligung",
            "Beteiligungsportal",
            short_en="Citizen participation platform for cities",
            short_de="Plattform für Bürgerbeteiligung in Kommunen",
            relations=Relations(variants=["https://github.com/land/beteiligung-plus"]),
        ),
        make_record(
            "https://github.com/land/beteiligung-plus",
            "Beteiligung Plus",
            short_en="Variant of the participation platform",
            forge="github",
            licence="AGPL-3.0-or-later",
            organisation="Land Beispiel",
            relations=Relations(is_based_on=["https://gitlab.opencode.de/stadt/beteiligung"]),
        ),
        make_record(
            "https://gitlab.opencode.de/kreis/eakte",
            "E-Akte",
            short_de="Elektronische Aktenführung für Verwaltungen",
            licence="MIT",
            categories=("document-management",),
            organisation="Kreis Muster",
            last_activity=datetime(2024, 2, 1, tzinfo=UTC),
            findings=(
                Finding(
                    type="error",
                    key="legal.license",
                    line=7,
                    column=12,
                    message="invalid SPDX expression",
                ),
            ),
        ),
        make_record(
            "https://gitlab.opencode.de/kreis/kalender",
            "Terminkalender",
            short_en="Appointment booking for citizen offices",
            declared=False,
            organisation=None,
            categories=(),
        ),
        make_record(
            "https://gitlab.opencode.de/xss/demo",
            '<script>alert("name")</script><img src=x onerror=alert(1)>',
            short_en='<img src=x onerror=alert("desc")> participation <b>bold</b>',
            organisation='<script>alert("org")</script>',
        ),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store holding the corpus, two registered forges and one raw publiccode.yml."""
    opened = create_store(f"sqlite:///{tmp_path / 'catalogue.db'}")
    opened.add_forge(
        ForgeRegistration(name="opencode", kind="gitlab", url="https://gitlab.opencode.de")
    )
    opened.add_forge(
        ForgeRegistration(name="github", kind="github", url="https://github.com", orgs=["land"])
    )
    records = corpus()
    snapshot = RepositorySnapshot(
        forge="opencode",
        forge_id="101",
        url="https://gitlab.opencode.de/stadt/beteiligung",
        canonical_id="gitlab.opencode.de/stadt/beteiligung",
        publiccode_path="publiccode.yml",
        publiccode=PUBLICCODE,
        fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    opened.save_page("opencode", "all", [snapshot], [records[0]], None)
    opened.upsert_records(records[1:])
    opened.save_organisations(organisation_entities(records, {}))
    yield opened
    opened.close()


def built_search(store: Store) -> SearchBackend:
    """The configured (embedded) search backend over `store`, rebuilt from it."""
    backend = create_search_backend(Settings(database_url=str(store.engine.url)), store)
    backend.rebuild()
    return backend


@pytest.fixture
def search(store: Store) -> SearchBackend:
    """The embedded search over the store, built from it."""
    return built_search(store)


def build_app(store: Store, search: SearchBackend, **settings: object) -> FastAPI:
    """The app over `store` and `search`; kept answers follow every commit at once (refresh
    intervals 0) unless `settings` say otherwise (the tests of the intervals)."""
    settings = {"refresh_interval": 0, "export_refresh_interval": 0, **settings}
    return create_app(
        Settings(database_url="sqlite:///unused.db", **settings),  # type: ignore[arg-type]
        store=store,
        search=search,
    )


@pytest.fixture
def app(store: Store, search: SearchBackend) -> FastAPI:
    return build_app(store, search, admin_token=ADMIN_TOKEN)


@pytest.fixture
def client(app: FastAPI) -> Iterator[AppClient]:
    opened = AppClient(app)
    yield opened
    opened.close()
