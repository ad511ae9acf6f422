"""A small catalogue of two organisations that use each other's software, for the organisation
reuse panels: Stadt Nord's portal is a dependency of Land Süd's app, forked by Land Süd, used
by Stadt Nord's own intranet (internal) and named in its usedBy by Kreis West; Stadt Nord's
portal uses Land Süd's library."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from crawler.normalise.organisations import organisation_entities
from indexer.store import Store, create_store
from schemas.organisation import name_id
from schemas.reuse import ReuseLink
from tests.api.records import make_record

NORD = name_id("Stadt Nord")
SUED = name_id("Land Süd")
PORTAL = "gitlab.opencode.de/nord/portal"
INTRANET = "gitlab.opencode.de/nord/intranet"
APP = "github.com/sued/app"
FORK = "github.com/sued/portal-fork"
LIBRARY = "github.com/sued/lib"
EVIDENCE = "https://github.com/sued/app/blob/main/package.json#L12"
SEEN = datetime(2026, 11, 1, tzinfo=UTC)


def links() -> list[ReuseLink]:
    """The reuse links between the records (as federation stores them)."""
    return [
        ReuseLink(
            kind="depends_on",
            software_id=PORTAL,
            software_organisation=NORD,
            user_id=APP,
            user_organisation=SUED,
            user_url=f"https://{APP}",
            purl="pkg:npm/%40nord/portal-widgets@%5E2.0.0",
            path="package.json",
            line=12,
            evidence_url=EVIDENCE,
            confidence="high",
            internal=False,
        ),
        ReuseLink(
            kind="fork_of",
            software_id=PORTAL,
            software_organisation=NORD,
            user_id=FORK,
            user_organisation=SUED,
            user_url=f"https://{FORK}",
            confidence="high",
            internal=False,
        ),
        ReuseLink(
            kind="depends_on",
            software_id=PORTAL,
            software_organisation=NORD,
            user_id=INTRANET,
            user_organisation=NORD,
            user_url=f"https://{INTRANET}",
            purl="pkg:npm/%40nord/portal-widgets@2.1.0",
            path="package.json",
            line=4,
            confidence="high",
            internal=True,
        ),
        ReuseLink(
            kind="declared_used_by",
            software_id=PORTAL,
            software_organisation=NORD,
            user_organisation="Kreis West",
            path="publiccode.yml",
            confidence="low",
            self_declared=True,
            internal=False,
        ),
        ReuseLink(
            kind="depends_on",
            software_id=LIBRARY,
            software_organisation=SUED,
            user_id=PORTAL,
            user_organisation=NORD,
            user_url=f"https://{PORTAL}",
            purl="pkg:pypi/sued-lib",
            path="requirements.txt",
            line=3,
            evidence_url="https://gitlab.opencode.de/nord/portal/-/blob/main/requirements.txt#L3",
            confidence="high",
            internal=False,
        ),
    ]


def reuse_store(folder: Path) -> Store:
    """A SQLite store in `folder` holding the records, their organisations and the links."""
    records = [
        make_record(f"https://{PORTAL}", "Nordportal", organisation="Stadt Nord"),
        make_record(f"https://{INTRANET}", "Nordintranet", organisation="Stadt Nord"),
        make_record(f"https://{APP}", "Südapp", organisation="Land Süd", forge="github"),
        make_record(f"https://{FORK}", "Portal-Fork", organisation="Land Süd", forge="github"),
        make_record(f"https://{LIBRARY}", "Südbibliothek", organisation="Land Süd", forge="github"),
    ]
    store = create_store(f"sqlite:///{folder / 'catalogue.db'}")
    store.upsert_records(records)
    store.save_organisations(organisation_entities(records, {}))
    store.replace_reuse_links([r.id for r in records], links(), now=SEEN)
    return store
