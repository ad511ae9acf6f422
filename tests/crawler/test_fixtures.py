"""The crawlers on hand-written answers in the forges' documented shapes (``tests/data/``).

The synthetic fakes answer in the shape the crawler asks for; these fixtures add what real
answers carry besides: nulls, empty repositories, internal projects, forks, truncated blobs,
``NOASSERTION`` licences, ``namespace`` objects.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import respx
from tenacity import wait_none

from crawler.run import CrawlOptions, crawl_forges
from schemas.forge import ForgeRegistration, RepositorySnapshot
from tests.crawler.conftest import FakeTime, locate, minimal_records, public_resolver
from tests.crawler.memory_sink import MemorySink

DATA = Path(__file__).resolve().parents[1] / "data"


def _json(relative: str) -> Any:
    return json.loads((DATA / relative).read_text(encoding="utf-8"))


def _crawl(
    registration: ForgeRegistration, router_setup: Any, fake_time: FakeTime, **options: Any
) -> tuple[MemorySink, Any]:
    sink = MemorySink()
    with respx.mock(assert_all_called=False) as router:
        router_setup(router)
        report = asyncio.run(
            crawl_forges(
                [registration],
                sink,
                CrawlOptions(
                    wait=wait_none(),
                    sleep=fake_time.sleep,
                    clock=fake_time.clock,
                    resolver=public_resolver,
                    **options,
                ),
                normalise=minimal_records,
                locate=locate,
                environ={"TOKEN": "t"},
            )
        )[0]
    return sink, report


def _by_id(sink: MemorySink) -> dict[str, RepositorySnapshot]:
    return {forge_id: snapshot for (_forge, forge_id), snapshot in sink.snapshots.items()}


def test_gitlab_graphql_page_in_the_documented_shape(fake_time: FakeTime) -> None:
    """Blobs, empty repositories, nested groups and archived projects; internal ones stay out."""
    registration = ForgeRegistration(
        name="lab", kind="gitlab", url="https://gitlab.example.org", token_env="TOKEN"
    )

    def setup(router: respx.MockRouter) -> None:
        router.post("https://gitlab.example.org/api/graphql").mock(
            return_value=httpx.Response(
                200, json=_json("https_gitlab.example.org/api/graphql/InstanceProjects.json")
            )
        )

    sink, report = _crawl(registration, setup, fake_time)
    snapshots = _by_id(sink)
    assert ("succeeded", ["42", "7", "9"]) == (report.status, sorted(snapshots))
    portal = snapshots["7"]
    assert ("publiccode.yml", "3b18e512dba79e4c8300dd08aeb37f8e728b8dad") == (
        portal.publiccode_path,
        portal.blob_id,
    )
    assert "Bürgerportal" in (portal.publiccode or b"").decode()
    assert ["Java", "TypeScript"] == portal.payload["languages"]
    assert (None, None, None) == (
        snapshots["9"].publiccode,
        snapshots["9"].payload["default_branch"],
        snapshots["9"].payload["description"],
    )
    forms = snapshots["42"]
    assert ("publiccode.yaml", True, "land-beispiel/fachverfahren/formulare") == (
        forms.publiccode_path,
        forms.archived,
        forms.payload["full_path"],
    )
    assert "rawBlob" not in json.dumps(portal.payload["raw"])


def test_github_graphql_page_in_the_documented_shape(fake_time: FakeTime) -> None:
    """Forks keep their parent, truncated blobs and NOASSERTION licences are not taken as data."""
    registration = ForgeRegistration(
        name="hub",
        kind="github",
        url="https://github.com",
        orgs=["land-beispiel"],
        token_env="TOKEN",
    )

    def setup(router: respx.MockRouter) -> None:
        router.post("https://api.github.com/graphql").mock(
            return_value=httpx.Response(
                200, json=_json("https_api.github.com/graphql/OwnerRepositories.json")
            )
        )

    sink, report = _crawl(registration, setup, fake_time)
    snapshots = _by_id(sink)
    assert ("succeeded", ["501", "502", "503"]) == (report.status, sorted(snapshots))
    fork = snapshots["501"]
    assert (True, "https://github.com/bund-beispiel/portal", None, None) == (
        fork.is_fork,
        fork.payload["fork_parent"],
        fork.payload["licence"],
        fork.publiccode,
    )
    archived = snapshots["502"]
    assert (True, "EUPL-1.2", [], b"Ratsinfo" in (archived.publiccode or b"")) == (
        archived.archived,
        archived.payload["licence"],
        archived.payload["languages"],
        True,
    )
    empty = snapshots["503"]
    assert (None, None, None) == (
        empty.last_activity,
        empty.payload["default_branch"],
        empty.publiccode,
    )
    assert "text" not in json.dumps(archived.payload["raw"]["yml"])


def test_gitlab_rest_pages_and_raw_file_in_the_documented_shape(fake_time: FakeTime) -> None:
    """Keyset pages linked by Link headers, a fork from forked_from_project, a raw file, 404s."""
    registration = ForgeRegistration(
        name="lab", kind="gitlab", url="https://gitlab.example.org", token_env="TOKEN"
    )
    base = "https://gitlab.example.org/api/v4"
    second = f"{base}/projects?pagination=keyset&order_by=id&sort=asc&per_page=100&id_after=7"

    def listing(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("id_after") == "7":
            return httpx.Response(
                200, json=_json("https_gitlab.example.org/api/v4/projects/keyset-page-2.json")
            )
        return httpx.Response(
            200,
            json=_json("https_gitlab.example.org/api/v4/projects/keyset-page-1.json"),
            headers={"Link": f'<{second}>; rel="next"'},
        )

    raw = DATA / "https_gitlab.example.org/api/v4/projects/7/repository/files/publiccode.yml/raw"

    def setup(router: respx.MockRouter) -> None:
        router.get(f"{base}/projects").mock(side_effect=listing)
        router.get(f"{base}/projects/7/repository/files/publiccode.yml/raw").mock(
            return_value=httpx.Response(
                200, content=raw.read_bytes(), headers={"X-Gitlab-Blob-Id": "3b18e5"}
            )
        )
        router.get(url__regex=r".*/repository/files/.*/raw").mock(
            return_value=httpx.Response(404, json={"message": "404 File Not Found"})
        )

    sink, report = _crawl(registration, setup, fake_time, prefer_rest=True)
    snapshots = _by_id(sink)
    assert ("succeeded", ["12", "7"]) == (report.status, sorted(snapshots))
    assert (raw.read_bytes(), "3b18e5") == (snapshots["7"].publiccode, snapshots["7"].blob_id)
    assert (True, "https://gitlab.example.org/stadt-beispiel/buergerportal") == (
        snapshots["12"].is_fork,
        snapshots["12"].payload["fork_parent"],
    )
    assert 2 + 4 == report.requests
