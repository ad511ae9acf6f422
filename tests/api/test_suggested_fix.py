"""The suggested fix of a declared but invalid publiccode.yml: repaired, shown as a diff."""

from __future__ import annotations

from datetime import UTC, datetime

from api.suggested_fix import suggest_fix
from crawler.normalise import record_from_snapshot
from indexer.store import Store
from schemas.forge import ForgeRegistration, RepositorySnapshot
from schemas.publiccode import parse
from tests.api.client import AppClient

BROKEN = b"""publiccodeYmlVersion: 0.2
# the owner's comment stays
name: Ratsinfo
url: https://gitlab.opencode.de/stadt/ratsinfo
softwareVersion: 1.10
releaseDate: 2024-03-01
developmentStatus: production
softwareType: web
platforms: [web]
legal:
  license: EUPL-1.2
  repoOwner: Stadt Musterhausen
intendedAudience:
  countries: [de]
description:
  de:
    shortDescription: Ratsinformationssystem
"""
REGISTRATION = ForgeRegistration(name="opencode", kind="gitlab", url="https://gitlab.opencode.de")
SNAPSHOT = RepositorySnapshot(
    forge="opencode",
    forge_id="202",
    url="https://gitlab.opencode.de/stadt/ratsinfo",
    canonical_id="gitlab.opencode.de/stadt/ratsinfo",
    publiccode_path="publiccode.yml",
    publiccode=BROKEN,
    fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
)


def test_fix_keeps_the_owners_values_and_repairs_what_findings_name() -> None:
    """Deprecated keys, lowercase countries, versions and dates, enums, missing keys: fixed."""
    record = record_from_snapshot(SNAPSHOT, registration=REGISTRATION)
    assert not record.valid
    fix = suggest_fix(BROKEN, record)
    assert fix is not None
    assert [] == [f"{f.key}: {f.message}" for f in fix.remaining]
    data = parse(fix.fixed.encode()).data
    assert data is not None
    assert "1.10" == data["softwareVersion"]
    assert "2024-03-01" == data["releaseDate"]
    assert "stable" == data["developmentStatus"]
    assert "standalone/web" == data["softwareType"]
    assert ["DE"] == data["intendedAudience"]["countries"]
    assert "Stadt Musterhausen" == data["organisation"]["name"]
    assert "Ratsinformationssystem" == data["description"]["de"]["shortDescription"]
    assert "# the owner's comment stays" in fix.fixed
    diff = fix.diff()
    assert "-developmentStatus: production" in diff
    assert "+developmentStatus: stable" in diff


def test_valid_or_unreadable_files_get_no_fix() -> None:
    """No finding: nothing to fix; not YAML: the syntax is the owner's to fix first."""
    record = record_from_snapshot(SNAPSHOT, registration=REGISTRATION)
    assert suggest_fix(b"name: [unclosed", record) is None


def test_api_and_page_offer_the_fix(client: AppClient, store: Store) -> None:
    """?draft=1 on an invalid declared record answers the fix; the page shows its diff."""
    record = record_from_snapshot(SNAPSHOT, registration=REGISTRATION)
    store.save_page("opencode", "all", [SNAPSHOT], [record], None)
    response = client.get(
        "/api/v1/software/gitlab.opencode.de/stadt/ratsinfo/publiccode.yml", params={"draft": 1}
    )
    assert 200 == response.status_code
    assert "suggested-fix" == response.headers["x-codereuse-draft"]
    assert [] == parse(response.content).errors
    page = client.get("/software/gitlab.opencode.de/stadt/ratsinfo?lang=en").text
    assert "Suggested fix" in page
    assert "+developmentStatus: stable" in page
