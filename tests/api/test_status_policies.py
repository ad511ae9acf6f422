"""Status reasons for archived, forked and empty repositories (issue 13). The policy: they are
listed and marked, never left out for it, and the status check says exactly that (API, page,
CLI, de and en); the crawl of a GitHub fake at the transport decides what the forge said."""

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
from tests.crawler.fakeforge import FakeGitHub, FakeRepo

HOST = "git.example.org"
HUB = ForgeRegistration(
    name="hub", kind="github", url=f"https://{HOST}", orgs=["amt"], token_env="TOKEN"
)
T0 = datetime(2026, 1, 1, tzinfo=UTC)
UPSTREAM = "https://github.com/upstream/tool"


def _repo(number: int, name: str, **fields: object) -> FakeRepo:
    return FakeRepo(
        id=number,
        owner="amt",
        name=name,
        activity=T0 + timedelta(hours=number),
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """One crawl: an archived repository, a fork, an empty one, a plain one."""
    opened = create_store(f"sqlite:///{tmp_path / 'policies.db'}")
    opened.add_forge(HUB)
    fake = FakeGitHub(
        HOST,
        [
            _repo(1, "alt", archived=True),
            _repo(2, "gabel", fork_of=UPSTREAM),
            _repo(3, "leer", empty=True),
            _repo(4, "normal"),
        ],
    )
    time = FakeTime()
    with respx.mock(assert_all_called=False) as router:
        router.route(host=httpx.URL(locate(HUB).rest).host).mock(side_effect=fake)
        asyncio.run(
            crawl_forges(
                [HUB],
                opened,
                CrawlOptions(
                    full=True,
                    wait=wait_none(),
                    sleep=time.sleep,
                    clock=time.clock,
                    resolver=public_resolver,
                ),
                normalise=records_from_snapshots,
                locate=locate,
                environ={"TOKEN": "secret-token"},
            )
        )
    yield opened
    opened.close()


@pytest.fixture
def client(store: Store) -> Iterator[AppClient]:
    opened = AppClient(build_app(store, built_search(store)))
    yield opened
    opened.close()


def _status(client: AppClient, name: str, lang: str = "en") -> dict[str, object]:
    body: dict[str, object] = client.get(
        "/api/v1/status", params={"url": f"https://{HOST}/amt/{name}", "lang": lang}
    ).json()
    return body


def test_archived_is_listed_and_marked_not_excluded(client: AppClient) -> None:
    """An archived repository is listed, marked, and the message says archived ones stay."""
    body = _status(client, "alt")
    assert "archived" == body["status"]
    assert "never left out for being archived" in str(body["message"])
    assert "archiviert" in str(_status(client, "alt", "de")["message"])


def test_fork_is_listed_with_its_parent(client: AppClient) -> None:
    """A fork is listed as a fork of its parent (fork_of), never left out for being a fork."""
    body = _status(client, "gabel")
    assert ("fork", UPSTREAM) == (body["status"], body["fork_of"])
    assert f"a fork of {UPSTREAM}" in str(body["message"])


def test_empty_repository_is_named_empty(client: AppClient) -> None:
    """A repository without commits is listed from the forge's metadata and named empty."""
    body = _status(client, "leer")
    assert "empty" == body["status"]
    assert "says the repository is empty" in str(body["message"])
    assert "leer" in str(_status(client, "leer", "de")["message"])


def test_a_plain_repository_without_file_is_listed_inferred(client: AppClient) -> None:
    """Neither archived, fork nor empty: the usual "listed, no publiccode.yml"."""
    assert "listed" == _status(client, "normal")["status"]


@pytest.mark.parametrize(
    ("name", "lang", "heading"),
    [
        ("alt", "en", "Listed, marked as archived"),
        ("alt", "de", "Gelistet, als archiviert markiert"),
        ("gabel", "en", "Listed as a fork"),
        ("gabel", "de", "Als Fork gelistet"),
        ("leer", "en", "Listed, but the repository is empty"),
        ("leer", "de", "Gelistet, aber das Repository ist leer"),
    ],
)
def test_status_page_names_the_policy(
    client: AppClient, name: str, lang: str, heading: str
) -> None:
    """The status page gives the same reason in the page language."""
    page = client.get("/forges", params={"url": f"https://{HOST}/amt/{name}", "lang": lang})
    assert 200 == page.status_code and heading in page.text


def test_cli_status_exits_zero_for_listed_policies(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`codereuse status` prints the reason and exits 0: these repositories are listed."""
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", str(store.engine.url))
    result = CliRunner().invoke(
        cli_app, ["status", f"https://{HOST}/amt/gabel", "--lang", "en"], env={"LANG": "C"}
    )
    assert 0 == result.exit_code, result.output
    assert "Listed as a fork" in result.stdout
