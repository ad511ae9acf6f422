"""The status check names the reason for any URL, the same in the API, the page and the CLI.

Crawls run against the fake forges at the transport into a real SQLite store, with the real
normaliser, so the reasons come from what a crawl saw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx
from tenacity import wait_none
from typer.testing import CliRunner

from cli.app import app as cli_app
from crawler.normalise import records_from_snapshots
from crawler.run import CrawlOptions, crawl_forges
from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from tests.api.client import AppClient
from tests.api.conftest import build_app, built_search
from tests.crawler.conftest import FakeTime, locate, public_resolver
from tests.crawler.fakeforge import FakeGitLab, FakeRepo, publiccode_text

HOST = "code.example.org"
LAB = ForgeRegistration(
    name="lab", kind="gitlab", url=f"https://{HOST}", groups=["amt"], exclude=["amt/alt"]
)
ROOT = ForgeRegistration(name="hub", kind="github", url=f"https://{HOST}")
"""A GitHub Enterprise registered for the whole host root: less specific than `LAB`."""
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _repo(number: int, name: str, **fields: object) -> FakeRepo:
    return FakeRepo(
        id=number,
        owner="amt",
        name=name,
        activity=T0 + timedelta(hours=number),
        publiccode=publiccode_text(name),
        **fields,  # type: ignore[arg-type]
    )


def _crawl(store: Store, fake: FakeGitLab, registration: ForgeRegistration) -> None:
    api_host = httpx.URL(locate(registration).rest).host
    time = FakeTime()
    with respx.mock(assert_all_called=False) as router:
        router.route(host=api_host).mock(side_effect=fake)
        asyncio.run(
            crawl_forges(
                [registration],
                store,
                CrawlOptions(
                    full=True,
                    wait=wait_none(),
                    sleep=time.sleep,
                    clock=time.clock,
                    resolver=public_resolver,
                ),
                normalise=records_from_snapshots,
                locate=locate,
                environ={},
            )
        )


@pytest.fixture
def crawled(tmp_path: Path) -> Iterator[tuple[Store, FakeGitLab]]:
    """Two overlapping registrations; the GitLab group crawled once."""
    store = create_store(f"sqlite:///{tmp_path / 'status.db'}")
    store.add_forge(ROOT)
    store.add_forge(LAB)
    fake = FakeGitLab(
        HOST,
        [
            _repo(1, "portal"),
            _repo(2, "intern", visibility="internal"),
            _repo(3, "geheim", visibility="private"),
            _repo(5, "alt-name"),
            FakeRepo(id=6, owner="amt", name="ohne", activity=T0),
        ],
    )
    _crawl(store, fake, LAB)
    yield store, fake
    store.close()


@pytest.fixture
def client(crawled: tuple[Store, FakeGitLab]) -> Iterator[AppClient]:
    store, _fake = crawled
    opened = AppClient(build_app(store, built_search(store)))
    yield opened
    opened.close()


def _status(client: AppClient, url: str, lang: str = "en") -> dict[str, object]:
    answer = client.get("/api/v1/status", params={"url": url, "lang": lang})
    assert 200 == answer.status_code
    body: dict[str, object] = answer.json()
    return body


def test_most_specific_registration_wins_for_an_internal_repository(client: AppClient) -> None:
    """An internal GitLab project is named internal, under the GitLab group registration, not
    the GitHub registration at the same host root; nothing claims a publiccode.yml is missing."""
    body = _status(client, f"https://{HOST}/amt/intern")
    assert ("internal", "lab") == (body["status"], body["forge"])
    assert "internal" in str(body["message"])
    assert "publiccode" not in str(body["message"])


def test_private_repository(client: AppClient) -> None:
    """A private project the token could see is named private."""
    body = _status(client, f"https://{HOST}/amt/geheim", "de")
    assert "private" == body["status"]
    assert "privat" in str(body["message"])


def test_listed_without_publiccode_says_so(client: AppClient) -> None:
    """A listed repository without a publiccode.yml is listed, described from forge metadata."""
    body = _status(client, f"https://{HOST}/amt/ohne")
    assert "listed" == body["status"]
    assert "no publiccode.yml" in str(body["message"])


def test_excluded_by_a_rule(client: AppClient) -> None:
    """A path under an exclude entry names the rule."""
    body = _status(client, f"https://{HOST}/amt/alt/thing")
    assert ("excluded", "amt/alt") == (body["status"], body["rule"])


def test_not_covered_says_what_would_cover_it(client: AppClient) -> None:
    """A URL on another host is not covered, with the registration that would cover it."""
    body = _status(client, "https://gitlab.other.example/stadt/app")
    assert "not_covered" == body["status"]
    assert 'group or organisation "stadt"' in str(body["suggestion"])


def test_renamed_old_address_says_where_it_is_now(
    client: AppClient, crawled: tuple[Store, FakeGitLab]
) -> None:
    """After a rename, the old URL answers renamed with the new address."""
    store, fake = crawled
    fake.rename(5, "neu-name")
    _crawl(store, fake, LAB)
    body = _status(client, f"https://{HOST}/amt/alt-name")
    assert ("renamed", f"https://{HOST}/amt/neu-name") == (body["status"], body["moved_to"])


def test_renamed_current_address_is_listed_while_the_file_names_the_old_one(
    client: AppClient, crawled: tuple[Store, FakeGitLab]
) -> None:
    """The current URL of a repository whose publiccode.yml still names its old path (the
    record lives under the old path) finds that record instead of answering not_found."""
    store, fake = crawled
    moved = _repo(7, "neuer-ort")
    moved.publiccode = publiccode_text("neuer-ort").replace(
        "{url}", f"https://{HOST}/amt/alter-ort"
    )
    fake.repos.append(moved)
    _crawl(store, fake, LAB)
    assert store.get_record(f"{HOST}/amt/alter-ort") is not None
    body = _status(client, f"https://{HOST}/amt/neuer-ort")
    assert body["status"] in {"listed", "invalid"}
    assert f"https://{HOST}/amt/alter-ort" == body["moved_to"]
    assert "alter-ort" in str(body["message"])


def test_deleted_after_listings(client: AppClient, crawled: tuple[Store, FakeGitLab]) -> None:
    """A repository missing from three complete listings is deleted, since when and after how many."""
    store, fake = crawled
    fake.delete(1)
    for _ in range(3):
        _crawl(store, fake, LAB)
    body = _status(client, f"https://{HOST}/amt/portal")
    assert "deleted" == body["status"]
    assert body["since"] is not None
    assert "3 complete listings" in str(body["message"])


def test_not_crawled_and_queued(tmp_path: Path) -> None:
    """A covered URL of a never-crawled forge is not_crawled, naming a queued crawl job."""
    store = create_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    store.add_forge(LAB)
    job = store.request_crawl("lab")
    client = AppClient(build_app(store, built_search(store)))
    body = _status(client, f"https://{HOST}/amt/new")
    client.close()
    store.close()
    assert "not_crawled" == body["status"]
    assert f"job {job}" in str(body["message"])


def test_forge_failing_names_its_error(tmp_path: Path) -> None:
    """When the forge's last crawl failed, the answer gives its error and the next try."""
    store = create_store(f"sqlite:///{tmp_path / 'failing.db'}")
    store.add_forge(LAB)
    fake = FakeGitLab(HOST, [], fail=lambda _request: httpx.Response(401, json={"message": "401"}))
    _crawl(store, fake, LAB)
    client = AppClient(build_app(store, built_search(store)))
    body = _status(client, f"https://{HOST}/amt/thing")
    client.close()
    store.close()
    assert "forge_failing" == body["status"]
    assert body["error"] and body["next_crawl_at"]


def test_not_found_after_a_crawl(client: AppClient) -> None:
    """A covered URL the last crawl did not list says how many it listed and when the next is."""
    body = _status(client, f"https://{HOST}/amt/nirgends")
    assert "not_found" == body["status"]
    assert body["next_crawl_at"] is not None
    assert "publiccode" not in str(body["message"])


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("amt/intern", "de", "internes Repository"),
        ("amt/intern", "en", "internal repository"),
        ("amt/alt/x", "de", "ausgeschlossen"),
        ("amt/alt/x", "en", "Left out by a rule"),
    ],
)
def test_status_page_names_the_reason(
    client: AppClient, path: str, lang: str, heading: str
) -> None:
    """The status page shows the same reason, in the page language."""
    page = client.get("/forges", params={"url": f"https://{HOST}/{path}", "lang": lang})
    assert 200 == page.status_code
    assert heading in page.text


def test_cli_status_follows_lang(
    crawled: tuple[Store, FakeGitLab], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`codereuse status URL` prints the same reason, in German under LANG=de_DE.UTF-8."""
    store, _fake = crawled
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", str(store.engine.url))
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    result = CliRunner().invoke(cli_app, ["status", f"https://{HOST}/amt/intern"])
    assert 1 == result.exit_code, result.output
    assert "internes Repository" in result.output
    monkeypatch.setenv("LANG", "C.UTF-8")
    result = CliRunner().invoke(cli_app, ["status", f"https://{HOST}/amt/ohne"])
    assert (0, "Listed") == (result.exit_code, result.output.split(":")[0])
