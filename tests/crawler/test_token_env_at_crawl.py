"""At crawl time a registration naming one of codereuse's own settings sends nothing."""

from __future__ import annotations

from schemas.forge import ForgeRegistration
from tests.crawler.conftest import FakeTime, crawl
from tests.crawler.fakeforge import FakeGitHub, make_repos
from tests.crawler.memory_sink import MemorySink


def test_crawl_never_sends_own_settings(fake_time: FakeTime) -> None:
    """A registration stored before the check that names the admin token: no request, a finding."""
    fake = FakeGitHub("github.example.org", make_repos(3, owners=1))
    stored = ForgeRegistration(
        name="hub",
        kind="github",
        url="https://github.example.org",
        orgs=["org0"],
        token_env="CODEREUSE_ADMIN_TOKEN",
    )
    report = crawl(
        fake, stored, MemorySink(), fake_time, environ={"CODEREUSE_ADMIN_TOKEN": "x" * 40}
    )
    assert ("failed", 0) == (report.status, fake.total)
    assert "own settings" in report.findings[0].message
    assert "x" * 40 not in report.findings[0].message
