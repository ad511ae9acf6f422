"""A forge's crawl errors and the status check's URL reasons read in the page's language: the
forges API gives each forge-level error's finding code and parameters, the pages its German
text, and no English text of the URL parser reaches a German page."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from indexer.store import Store, create_store
from schemas.forge import ForgeRegistration
from tests.api.client import AppClient
from tests.api.conftest import build_app, built_search
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import FakeGitLab, make_repos

HOST = "gitlab.example.org"
LAB = ForgeRegistration(name="lab", kind="gitlab", url=f"https://{HOST}")
REFUSED_DE = "Die Forge hat die Anfrage abgelehnt (instance): "
REFUSED_EN = "HTTP 403"


@pytest.fixture
def refused(tmp_path: Path) -> Iterator[AppClient]:
    """A store whose only forge refused its crawl with a 403, served by the app."""
    store: Store = create_store(f"sqlite:///{tmp_path / 'refused.db'}")
    store.add_forge(LAB)
    fake = FakeGitLab(
        HOST,
        make_repos(3, owners=1, facts=False),
        fail=lambda _request: httpx.Response(403, json={"message": "403 Forbidden"}),
    )
    crawl(fake, LAB, store, FakeTime())  # type: ignore[arg-type]
    client = AppClient(build_app(store, built_search(store)))
    yield client
    client.close()
    store.close()


def test_forges_api_gives_code_params_and_the_asked_language(refused: AppClient) -> None:
    """GET /api/v1/forges?lang=de: each error has its code and parameters and German text."""
    for path in ("/api/v1/forges", "/api/v1/forges/lab"):
        body = refused.get(path, params={"lang": "de"}).json()
        forge = body[0] if isinstance(body, list) else body
        [finding] = forge["findings"]
        assert ("crawl.refused", "instance") == (finding["code"], finding["params"]["scope"])
        assert ("de", True) == (finding["language"], finding["text"].startswith(REFUSED_DE))
        assert REFUSED_EN in finding["message"]
        assert [finding["text"]] == forge["errors"]


def test_forges_api_stays_english_by_default(refused: AppClient) -> None:
    """Without ``lang`` the errors are the English messages, as before."""
    [forge] = refused.get("/api/v1/forges").json()
    assert REFUSED_EN in forge["errors"][0]
    assert not forge["errors"][0].startswith("Die Forge")


@pytest.mark.parametrize("path", ["/forges?lang=de", "/forges/lab?lang=de"])
def test_forge_pages_word_forge_errors_in_german(refused: AppClient, path: str) -> None:
    """The forges page and the forge's page show the German message of a refused crawl."""
    page = refused.get(path).text
    assert REFUSED_DE in page
    assert "The forge refused" not in page


def test_failing_forge_status_words_its_error_in_german(refused: AppClient) -> None:
    """The status of a URL on the failing forge gives the error in German, with its code."""
    body = refused.get(
        "/api/v1/status", params={"url": f"https://{HOST}/amt/ding", "lang": "de"}
    ).json()
    assert "forge_failing" == body["status"]
    assert body["error"].startswith(REFUSED_DE)
    assert ["crawl.refused"] == [finding["code"] for finding in body["findings"]]


@pytest.mark.parametrize(
    ("url", "german"),
    [
        ("https://gitlab.opencode.de:abc/gruppe/projekt", "der Port ist keine Zahl"),
        ("https://[::1/gruppe/projekt", "keine IPv6-Adresse"),
        ("ftp://gitlab.opencode.de/gruppe/projekt", "Das Schema 'ftp' wird nicht unterstützt"),
        ("https://gitlab.opencode.de/", "nennt kein Repository"),
        ("https://a..b/gruppe/projekt", "leeren Namensteil"),
    ],
)
def test_bad_url_reasons_are_german_on_german_requests(
    refused: AppClient, url: str, german: str
) -> None:
    """The status check words why a URL names no repository in German, never quoting the
    URL parser's English ("Port could not be cast to integer value")."""
    body = refused.get("/api/v1/status", params={"url": url, "lang": "de"}).json()
    page = html.unescape(refused.get("/forges", params={"url": url, "lang": "de"}).text)
    assert ("bad_url", True) == (body["status"], german in body["message"])
    assert german in page
    assert "could not be cast" not in body["message"] + page
