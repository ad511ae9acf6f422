"""Issue 15 end to end, across both forge kinds: a GitHub repository of one organisation
depends on an npm package a GitLab project of another organisation publishes. After one crawl
of both fake forges the link is there with its evidence (the manifest line) on both software
pages, both organisation pages, the reuse API and the link export; a fork by a third
organisation and the publisher's own use are told apart from it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import respx
from typer.testing import CliRunner

from cli.app import app
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from tests.api.client import AppClient
from tests.api.conftest import build_app, built_search
from tests.crawler.fakeforge import BASE_TIME, FakeGitHub, FakeGitLab, FakeRepo

# allow_private: the fakes' hosts do not resolve here (the guard is tested on its own)
LAB = ForgeRegistration(
    name="lab", kind="gitlab", url="https://gitlab.example.org", allow_private=True
)
HUB = ForgeRegistration(
    name="hub",
    kind="github",
    url="https://github.com",
    orgs=["land-b", "kreis-c"],
    token_env="CROSS_GITHUB_TOKEN",
    allow_private=True,
)
WIDGETS = "gitlab.example.org/stadt-a/widgets"
INTRANET = "gitlab.example.org/stadt-a/intranet"
PORTAL = "github.com/land-b/portal"
FORK = "github.com/kreis-c/portal"
PUBLISHED = '{\n  "name": "@stadt-a/widgets",\n  "version": "2.1.0"\n}\n'
USING = (
    '{\n  "name": "portal",\n  "private": true,\n  "dependencies": {\n'
    '    "@stadt-a/widgets": "^2.0.0",\n    "left-pad": "1.3.0"\n  }\n}\n'
)
LINE = 5  # the line of "@stadt-a/widgets" in USING


def _repo(number: int, owner: str, name: str, files: dict[str, str], **extra: Any) -> FakeRepo:
    return FakeRepo(id=number, owner=owner, name=name, activity=BASE_TIME, files=files, **extra)


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppClient]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    monkeypatch.setenv("CODEREUSE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("CROSS_GITHUB_TOKEN", "not-a-real-token")
    monkeypatch.chdir(tmp_path)
    with create_store(url) as store:
        store.add_forge(LAB)
        store.add_forge(HUB)
    lab = FakeGitLab(
        "gitlab.example.org",
        [
            _repo(1, "stadt-a", "widgets", {"package.json": PUBLISHED}),
            _repo(2, "stadt-a", "intranet", {"package.json": USING}),
        ],
    )
    hub = FakeGitHub(
        "github.com",
        [
            _repo(11, "land-b", "portal", {"package.json": USING}),
            _repo(
                12,
                "kreis-c",
                "portal",
                {"package.json": USING},
                fork_of="https://github.com/land-b/portal",
            ),
        ],
    )
    with respx.mock(assert_all_called=False) as router:
        router.route(host="gitlab.example.org").mock(side_effect=lab)
        router.route(host="api.github.com").mock(side_effect=hub)
        result = CliRunner().invoke(app, ["crawl", "--no-index"])
    assert 0 == result.exit_code, result.output
    store = create_store(url)
    opened = AppClient(build_app(store, built_search(store)))
    yield opened
    opened.close()
    store.close()


def _evidence(record_id: str) -> str:
    return f"https://{record_id}/blob/main/package.json#L{LINE}"


def test_the_link_with_its_evidence_in_the_reuse_api(client: AppClient) -> None:
    widgets = client.get(f"/api/v1/software/{WIDGETS}/reuse").json()
    used_by = {(link["user_id"], link["kind"]): link for link in widgets["used_by"]}
    portal = used_by[(PORTAL, "depends_on")]
    assert ("pkg:npm/%40stadt-a/widgets", "package.json", LINE, "high") == (
        portal["purl"],
        portal["path"],
        portal["line"],
        portal["confidence"],
    )
    assert _evidence(PORTAL) == portal["evidence_url"]
    assert portal["software_organisation"] != portal["user_organisation"]
    # the publisher's own use is internal use, not reuse
    assert [INTRANET] == [link["user_id"] for link in widgets["internal_use"]]
    assert (2, 2, 1) == (
        widgets["summary"]["used_by_repositories"],
        widgets["summary"]["used_by_organisations"],
        widgets["summary"]["internal_repositories"],
    )
    land_b = client.get(f"/api/v1/software/{PORTAL}/reuse").json()
    assert [WIDGETS] == [link["software_id"] for link in land_b["uses"]]
    # the fork by a third organisation is a fork, told apart from the dependency
    assert [(FORK, "fork_of")] == [(link["user_id"], link["kind"]) for link in land_b["used_by"]]


def test_both_software_pages_and_both_organisation_pages_show_it(client: AppClient) -> None:
    widgets = client.get(f"/software/{WIDGETS}?lang=en").text
    assert f'href="{_evidence(PORTAL)}"' in widgets and "Internal use" in widgets
    portal = client.get(f"/software/{PORTAL}?lang=en").text
    assert f'href="/software/{WIDGETS}?lang=en"' in portal
    publisher = client.get(f"/api/v1/software/{WIDGETS}").json()["record"]["organisation_id"]
    user = client.get(f"/api/v1/software/{PORTAL}").json()["record"]["organisation_id"]
    page = client.get(f"/organisations/{publisher}?lang=en").text
    panel = page[page.index('id="org-reuse"') : page.index('id="org-uses"')]
    assert f'href="{_evidence(PORTAL)}"' in panel and INTRANET not in panel
    reuse = client.get(f"/api/v1/organisations/{publisher}").json()["reuse"]
    assert 1 == reuse["internal_links"]
    page = client.get(f"/organisations/{user}?lang=en").text
    uses = page[page.index('id="org-uses"') : page.index('aria-labelledby="org-activity"')]
    assert f'href="/software/{WIDGETS}?lang=en"' in uses and f'href="{_evidence(PORTAL)}"' in uses


def test_the_link_export_holds_it(client: AppClient) -> None:
    text = client.get("/api/v1/export/reuse?format=csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    found = {(row["software_id"], row["kind"], row["user_id"]): row for row in rows}
    assert _evidence(PORTAL) == found[(WIDGETS, "depends_on", PORTAL)]["evidence_url"]
    assert "true" == found[(WIDGETS, "depends_on", INTRANET)]["internal"].lower()
    assert (PORTAL, "fork_of", FORK) in found
    graph = client.get("/api/v1/export/reuse?format=graph").json()
    edges = {(e["source"], e["target"], e["relation"]) for e in graph["graph"]["edges"]}
    assert (PORTAL, WIDGETS, "depends_on") in edges
