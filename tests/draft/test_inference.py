"""The stated inference rules of docs/drafts.md, one test each."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from schemas.draft import DraftFacts, Owner, Release
from schemas.draft import inference as rules

NOW = datetime(2026, 11, 1, tzinfo=UTC)
BASE = DraftFacts(name="tool", url="https://gitlab.example.org/city/tool", now=NOW)


def facts(**changes: object) -> DraftFacts:
    return replace(BASE, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"topics": ("ansible",)}, "configurationFiles"),
        ({"languages": ("HCL", "Dockerfile")}, "configurationFiles"),
        ({"root_names": ("Chart.yaml", "templates")}, "configurationFiles"),
        ({"name": "qgis-plugin-parcels"}, "addon"),
        ({"topics": ("wordpress-plugin",), "languages": ("PHP",)}, "addon"),
        ({"topics": ("sdk",), "languages": ("TypeScript",)}, "library"),
        ({"name": "libxyz"}, "library"),
        ({"languages": ("Kotlin",)}, "standalone/mobile"),
        ({"topics": ("flutter",)}, "standalone/mobile"),
        ({"topics": ("electron",), "languages": ("TypeScript",)}, "standalone/desktop"),
        ({"languages": ("Python", "HTML"), "root_names": ("Dockerfile",)}, "standalone/web"),
        ({"topics": ("django",)}, "standalone/web"),
        ({"languages": ("Go",), "root_names": ("Dockerfile", "go.mod")}, "standalone/backend"),
        ({"topics": ("rest-api",), "languages": ("Java",)}, "standalone/backend"),
        ({"languages": ("JavaScript",)}, "standalone/web"),
        ({"languages": ("Python",)}, "standalone/other"),
        ({"languages": ("Java",)}, "standalone/web"),
        ({}, "standalone/other"),
    ],
)
def test_software_type_rules(changes: dict[str, object], expected: str) -> None:
    """Configuration, add-on, library, mobile, desktop, web, backend, other: first match wins."""
    found = rules.software_type(facts(**changes))
    assert expected == found.value
    assert rules.CONFIRM == found.todo


@pytest.mark.parametrize(
    ("kind", "changes", "expected"),
    [
        ("standalone/web", {}, ["web"]),
        ("standalone/mobile", {"languages": ("Swift",)}, ["ios"]),
        ("standalone/mobile", {"topics": ("flutter",)}, ["android", "ios"]),
        ("standalone/mobile", {"root_names": ("android",)}, ["android"]),
        ("standalone/desktop", {}, ["linux", "mac", "windows"]),
        ("library", {"languages": ("TypeScript",)}, ["web"]),
        ("standalone/backend", {}, ["linux"]),
        ("standalone/backend", {"topics": ("windows",)}, ["linux", "windows"]),
        ("standalone/other", {}, ["linux", "mac", "windows"]),
        ("standalone/other", {"root_names": ("Dockerfile",)}, ["linux"]),
    ],
)
def test_platform_rules(kind: str, changes: dict[str, object], expected: list[str]) -> None:
    """Platforms follow the software type, plus platforms named as topics."""
    assert expected == rules.platforms(facts(**changes), kind).value


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"archived": True, "latest_release": Release("v2.0.0")}, "obsolete"),
        ({"latest_release": Release("v2.1.0"), "last_commit_at": NOW}, "stable"),
        ({"latest_release": Release("0.4.1"), "last_commit_at": NOW}, "beta"),
        ({"latest_release": Release("v1.0.0-rc.1"), "last_commit_at": NOW}, "beta"),
        ({"latest_release": Release("2.0", prerelease=True)}, "beta"),
        ({"latest_release": Release("v3.0.0"), "last_commit_at": NOW - timedelta(days=900)}, "stable"),
        ({"last_commit_at": NOW - timedelta(days=400)}, "stable"),
        ({"last_commit_at": NOW, "readme": "# tool"}, "development"),
        ({"last_commit_at": NOW, "releases_count": 0, "commits_last_year": 2}, "concept"),
    ],
)  # fmt: skip
def test_development_status_rules(changes: dict[str, object], expected: str) -> None:
    """Archived, releases (≥ 1.0 stable, 0.x or pre-release beta), quiet for a year, commits."""
    assert expected == rules.development_status(facts(**changes)).value


def test_maintenance_internal_only_with_a_public_contact() -> None:
    """internal needs the organisation's public contact; it becomes the contact."""
    owner = Owner(name="city", organisation_name="City of Example", contact_email="it@example.org")
    found = rules.maintenance(facts(owner=owner))
    assert {
        "type": "internal",
        "contacts": [{"name": "City of Example", "email": "it@example.org"}],
    } == found.value
    assert found.todo


def test_maintenance_community_while_active_else_none() -> None:
    """Recent commits → community with the owner as contact (TODO); stale → none (TODO)."""
    active = rules.maintenance(facts(last_commit_at=NOW, owner=Owner(name="city")))
    assert {"type": "community", "contacts": [{"name": "city"}]} == active.value
    assert active.todo and "contact" in active.todo
    stale = rules.maintenance(facts(last_commit_at=NOW - timedelta(days=400)))
    assert {"type": "none"} == stale.value
    assert stale.todo


def test_categories_from_topics() -> None:
    """A topic that is a category, or a keyword of the table, names a category; none → None."""
    found = rules.categories(facts(topics=("GIS", "open-data", "crm", "crm", "python")))
    assert found is not None
    assert ["geographic-information-systems", "data-collection", "crm"] == found.value
    assert rules.categories(facts(topics=("python",))) is None


def test_every_keyword_names_a_real_category() -> None:
    """The keyword table only names categories of the standard's list."""
    from schemas.publiccode import CATEGORIES

    assert set(rules.CATEGORY_KEYWORDS.values()) <= set(CATEGORIES)


def test_localisation_ready_from_a_translations_folder() -> None:
    """locales/, i18n/, po/ … at the root → localisationReady true; unknown root → false, TODO."""
    assert rules.localisation_ready(facts(root_names=("src", "locales"))).value is True
    assert rules.localisation_ready(facts(root_names=("src",))).value is False
    assert rules.localisation_ready(facts()).todo
