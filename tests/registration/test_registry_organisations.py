"""What the real registries say about the organisation behind each account (issue 11): counts
per file, and the organisations attached to the right accounts once the files are joined."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from cli.pipeline import federate_all
from crawler.normalise.organisations import OrganisationDirectory
from crawler.registries import load_registry, parse_registry
from crawler.registry_organisations import country_of
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from schemas.organisation import RegistryOrganisation
from tests.normalise.helpers import snapshot

REGISTRIES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "registries"
needs_shared = pytest.mark.skipif(
    not REGISTRIES.is_dir(), reason=f"the shared registries are not here ({REGISTRIES})"
)
FRENCH = "codegouvfr-data__comptes-organismes-publics.yml"
FRENCH_NAMES = "codegouvfr-data__top_organizations.yml"
DUTCH = "nl-don-oss-register__publishers.json"
SWISS_INDEX = "ch-swiss-index__README.md"
SWISS_TAXONOMY = "ch-swiss-oss-catalog__organisations.json"
GOVERNMENTS = "government.github.com__governments.yml"


def _organisations(name: str) -> list[RegistryOrganisation]:
    return load_registry(REGISTRIES / name).organisations


def _directory(*names: str) -> OrganisationDirectory:
    return OrganisationDirectory.from_registry(
        [entry for name in names for entry in _organisations(name)]
    )


@needs_shared
def test_french_accounts_carry_their_pso_id() -> None:
    """code.gouv.fr: 341 accounts and forges with a real pso_id (placeholders left out), 136
    distinct organisations; the CEA's four GitHub accounts are one; ministries get their name."""
    entries = _organisations(FRENCH)
    ids = {entry.identifiers[0][1] for entry in entries}
    assert (341, 136, {"FR"}) == (len(entries), len(ids), {e.country for e in entries})
    assert not any(set(pso) <= {"0", "-"} for pso in ids)
    directory = _directory(FRENCH, FRENCH_NAMES)
    cea = [directory.account(f"github.com/cea-{part}") for part in ("hpc", "leti", "list", "sec")]
    assert 1 == len({entry.identifiers[0] for entry in cea if entry})
    etalab = directory.account("gitlab.com/etalab-datalab")
    assert etalab is not None
    assert [("pso_id", "db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8")] == etalab.identifiers
    dataesr = directory.account("github.com/dataesr")
    assert dataesr is not None
    assert "Ministère de l'Enseignement supérieur et de la Recherche" == dataesr.name
    named = sum(1 for e in entries for a in e.accounts if (d := directory.account(a)) and d.name)
    assert 103 == named


@needs_shared
def test_dutch_publishers_carry_tooi_and_roo() -> None:
    """The Dutch register: 48 active publishers on 79 accounts, 68 of them with a TOOI id."""
    entries = _organisations(DUTCH)
    directory = _directory(DUTCH)
    with_tooi = [
        account
        for entry in entries
        for account in entry.accounts
        if any(scheme == "tooi" for scheme, _ in entry.identifiers)
    ]
    assert (48, 79, 68) == (len(entries), sum(len(e.accounts) for e in entries), len(with_tooi))
    cbs = directory.account("github.com/statistiekcbs")
    assert cbs is not None
    assert (
        "Centraal Bureau voor de Statistiek",
        [("tooi", "zb000193"), ("roo", "28212129")],
        "NL",
    ) == (cbs.name, cbs.identifiers, cbs.country)


@needs_shared
def test_swiss_accounts_join_the_ld_admin_taxonomy() -> None:
    """The Swiss index: 45 accounts (25 of offices, 20 of projects); the taxonomy: 130 nodes
    with ld.admin.ch URIs and parents; 16 accounts spell an office's abbreviation and join it."""
    accounts = _organisations(SWISS_INDEX)
    taxonomy = _organisations(SWISS_TAXONOMY)
    assert (45, {"public_body": 25, "project": 20}) == (
        len(accounts),
        Counter(entry.kind for entry in accounts),
    )
    assert (130, 0) == (len(taxonomy), sum(len(entry.accounts) for entry in taxonomy))
    directory = _directory(SWISS_INDEX, SWISS_TAXONOMY)
    linked = [e for e in accounts if (d := directory.account(e.accounts[0])) and d.identifiers]
    assert 16 == len(linked)
    swisstopo = directory.account("github.com/swisstopo")
    assert swisstopo is not None
    assert (
        [("ld_admin_ch", "office/iv.1.5a")],
        "Bundesamt für Landestopografie",
        "ld_admin_ch:department:iv",
    ) == (swisstopo.identifiers, swisstopo.names["de"], swisstopo.parent)


@needs_shared
def test_github_government_list_gives_country_and_level() -> None:
    """GitHub's government list: 956 logins, 940 with an ISO country; section kept as level."""
    entries = _organisations(GOVERNMENTS)
    countries = Counter(entry.country for entry in entries)
    assert (956, 940, 25, 45) == (
        len(entries),
        sum(1 for entry in entries if entry.country),
        countries["DE"],
        countries["FR"],
    )
    directory = _directory(GOVERNMENTS)
    hub = directory.account("github.com/18f")
    assert hub is not None
    assert ("US", "U.S. Federal", "public_body") == (hub.country, hub.level, hub.kind)


def test_country_of_section_names() -> None:
    """Section names become ISO codes; names pycountry does not know are aliased; others none."""
    assert ["US", "GB", "DE", "KR", "XK", None] == [
        country_of(name)
        for name in (
            "U.S. City",
            "U.K. Councils",
            "Germany",
            "Republic of Korea",
            "Kosovo",
            "Civic Hackers",
        )
    ]


def test_hostile_registry_values_are_skipped() -> None:
    """Entries of the wrong shape give no organisation and no error."""
    imported = parse_registry(
        '[{"description": 5, "codeHosting": [{"url": 7}, "x"], "tooiUrl": ["no"]}]',
        source="bad.json",
    )
    assert ([], "nl-publishers") == (imported.organisations, imported.format)


def test_forges_import_keeps_organisations_and_attaches_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`forges import` of a Dutch publishers file keeps its organisations, and the stored
    records of those accounts get them at once (derived again from snapshots, no network)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    hub = ForgeRegistration(name="hub", kind="github", url="https://github.com", orgs=["cbs"])
    node = {
        "name": "stats",
        "full_path": "cbs/stats",
        "raw": {"owner": {"__typename": "Organization", "login": "cbs", "name": "CBS"}},
    }
    with create_store(url) as store:
        store.add_forge(hub)
        store.save_page(
            "hub",
            "org:cbs",
            [snapshot("https://github.com/cbs/stats", forge="hub", payload=node)],
            [],
            None,
        )
        federate_all(store)
    publishers = tmp_path / "publishers.json"
    publishers.write_text(
        '{"data": [{"id": "1", "description": "Centraal Bureau voor de Statistiek", '
        '"rooId": "28212129", "tooiUrl": "https://identifier.overheid.nl/tooi/id/zbo/zb000193", '
        '"codeHosting": [{"url": "https://github.com/cbs", "group": true}], "active": true}]}',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["forges", "import", str(publishers)])
    assert 0 == result.exit_code, result.output
    assert "1 organisation (1 account) were kept; 1 record(s) derived again" in result.output
    with create_store(url) as store:
        record = store.get_record("github.com/cbs/stats")
        organisation = store.get_organisation("tooi:zb000193")
    assert record is not None and record.organisation is not None and organisation is not None
    assert (
        "tooi:zb000193",
        "Centraal Bureau voor de Statistiek",
        "registry",
        ["github.com/cbs"],
        "NL",
    ) == (
        record.organisation.id,
        record.organisation.name,
        record.organisation.source,
        [account.owner for account in organisation.accounts],
        organisation.country,
    )
