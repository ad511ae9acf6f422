"""Forge-level findings (a forge refusing, failing, rate-limited, past its deadline) carry a
finding code like record findings do, keep it in the store, and read in German and English."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.findings_text import finding_catalogue, finding_message
from crawler.base import FORGE_FINDING_CODES
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import FakeGitLab, make_repos

HOST = "gitlab.example.org"


def _crawl_failing(tmp_path: Path, fake_time: FakeTime, status: int) -> list:  # type: ignore[type-arg]
    registration = ForgeRegistration(name="lab", kind="gitlab", url=f"https://{HOST}")
    fake = FakeGitLab(
        HOST,
        make_repos(5, owners=1, facts=False),
        fail=lambda request: httpx.Response(status, json={"message": f"{status} no"}),
    )
    with create_store(f"sqlite:///{tmp_path / f'{status}.db'}") as store:
        store.add_forge(registration)
        report = crawl(fake, registration, store, fake_time)  # type: ignore[arg-type]
        [run] = store.crawl_runs("lab")
        stored = [finding for _record, finding in store.crawl_findings(run.id)]
    assert [(f.code, f.params) for f in report.findings] == [(f.code, f.params) for f in stored]
    return stored


def test_a_refusing_forge_gives_a_coded_finding_kept_by_the_store(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    """A 403 is ``crawl.refused``; stored with its parameters, it reads in German."""
    [finding] = _crawl_failing(tmp_path, fake_time, 403)
    assert ("crawl.refused", "instance") == (finding.code, finding.params["scope"])
    assert "HTTP 403" in str(finding.params["error"])
    german = finding_message(finding, "de")
    assert german.startswith("Die Forge hat die Anfrage abgelehnt (instance): ")
    assert finding.message == finding_message(finding, "en")


def test_a_failing_forge_gives_a_coded_finding(tmp_path: Path, fake_time: FakeTime) -> None:
    """Answers of 502 until the crawl gives up: a forge code of its own, not ``crawl.failed``."""
    findings = _crawl_failing(tmp_path, fake_time, 502)
    codes = {code for _kind, code in FORGE_FINDING_CODES}
    assert findings and all(finding.code in codes for finding in findings)
    assert finding_message(findings[0], "de").startswith("Die Forge ")


def test_every_forge_finding_code_is_worded_in_german() -> None:
    """Each code a forge-level finding can carry has its German message."""
    codes = {code for _kind, code in FORGE_FINDING_CODES}
    codes |= {"crawl.failed", "crawl.token", "crawl.page_skipped", "crawl.unexpected"}
    assert set() == codes - set(finding_catalogue("de"))


def test_a_quick_502_is_the_forge_s_error_not_unresponsiveness(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    """A 502 answered at once (no time passes on the fake clock) says the forge is failing,
    not slow: the finding is the forge's own error (``crawl.unreachable``, HTTP 502), not
    ``crawl.unresponsive`` ("answers did not come in time")."""
    findings = _crawl_failing(tmp_path, fake_time, 502)
    assert {"crawl.unreachable"} == {finding.code for finding in findings}
    assert all("HTTP 502" in str(finding.params["error"]) for finding in findings)
    assert not any("did not come" in finding.message for finding in findings)


def test_slow_502s_in_a_row_are_unresponsiveness(tmp_path: Path, fake_time: FakeTime) -> None:
    """A 502 that comes after a long wait is a gateway giving up on a slow forge: three in a row
    end the crawl as ``crawl.unresponsive``."""

    def slow_502(_request: httpx.Request) -> httpx.Response:
        fake_time.now += 60  # a proxy in front of the forge gave up after a minute
        return httpx.Response(502, json={"message": "502 Bad Gateway"})

    registration = ForgeRegistration(name="lab", kind="gitlab", url=f"https://{HOST}")
    fake = FakeGitLab(HOST, make_repos(5, owners=1, facts=False), fail=slow_502)
    with create_store(f"sqlite:///{tmp_path / 'slow.db'}") as store:
        store.add_forge(registration)
        report = crawl(fake, registration, store, fake_time)  # type: ignore[arg-type]
    assert "crawl.unresponsive" in {finding.code for finding in report.findings}
    assert 3 == fake.counts["POST"] + fake.counts["GET"]
