"""Importing forge registries: our forges.yml and the real public registries in ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from crawler.registration import build_registration
from crawler.registries import dump_forges_yaml, load_registry, parse_registry
from schemas.errors import RegistrationError

REGISTRIES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "registries"
needs_shared = pytest.mark.skipif(
    not REGISTRIES.is_dir(), reason=f"the shared registries are not here ({REGISTRIES})"
)


def _scope_count(registrations) -> int:  # type: ignore[no-untyped-def]
    return sum(len(r.groups) + len(r.orgs) + len(r.repos) for r in registrations)


@needs_shared
def test_codegouvfr_accounts_file() -> None:
    """code.gouv.fr: one registration per GitLab/GitHub/Gitea/Gogs host not ignored; owners become scope."""
    path = REGISTRIES / "codegouvfr-data__comptes-organismes-publics.yml"
    source = yaml.safe_load(path.read_text(encoding="utf-8"))
    crawlable = {
        host: entry
        for host, entry in source.items()
        if entry["forge"] in ("gitlab", "github", "gitea", "gogs")
        and not entry.get("ignored_since")
    }
    owners = sum(len(entry.get("owners") or {}) for entry in crawlable.values())
    whole = sorted(host for host, entry in crawlable.items() if not entry.get("owners"))
    imported = load_registry(path)
    assert (
        "codegouvfr",
        len(crawlable),
        owners,
        len(source) - len(crawlable),
        whole,
        ["fr-github.com"],
    ) == (
        imported.format,
        len(imported.registrations),
        _scope_count(imported.registrations),
        len(imported.skipped),
        sorted(r.url.removeprefix("https://") for r in imported.registrations if r.whole_instance),
        [
            r.name
            for r in imported.registrations
            if r.kind == "github" and r.token_env == "GITHUB_TOKEN"
        ],
    )


@needs_shared
def test_codegouvfr_gogs_host_is_crawled_as_gitea() -> None:
    """The Gogs host code.gouv.fr names is registered as a Gitea (the same /api/v1)."""
    imported = load_registry(REGISTRIES / "codegouvfr-data__comptes-organismes-publics.yml")
    [gogs] = [r for r in imported.registrations if r.url == "https://gogs.univ-littoral.fr"]
    assert ("gitea", "fr-gogs.univ-littoral.fr") == (gogs.kind, gogs.name)


@needs_shared
def test_dutch_publishers_file() -> None:
    """The Dutch register: one registration per host, distinct group URLs as orgs/groups."""
    path = REGISTRIES / "nl-don-oss-register__publishers.json"
    publishers = json.loads(path.read_text(encoding="utf-8"))["data"]
    urls = {
        hosting["url"].rstrip("/").lower()
        for publisher in publishers
        if publisher.get("active", True)
        for hosting in publisher["codeHosting"]
    }
    hosts = {url.split("/")[2] for url in urls}
    imported = load_registry(path)
    assert ("nl-publishers", len(hosts), len(urls), []) == (
        imported.format,
        len(imported.registrations),
        _scope_count(imported.registrations),
        imported.skipped,
    )


@needs_shared
def test_github_government_list() -> None:
    """GitHub's government list: one github.com registration per section, each login once."""
    path = REGISTRIES / "government.github.com__governments.yml"
    sections = yaml.safe_load(path.read_text(encoding="utf-8"))
    logins = sum(len({login.lower() for login in logins}) for logins in sections.values())
    imported = load_registry(path)
    germany = next(r for r in imported.registrations if r.name == "github-germany")
    assert ("github-government", len(sections), logins, sections["Germany"], "GITHUB_TOKEN") == (
        imported.format,
        len(imported.registrations),
        _scope_count(imported.registrations),
        germany.orgs,
        germany.token_env,
    )


@needs_shared
def test_italian_publishers_file() -> None:
    """Developers Italia publishers: hosts of known kind imported, invent.kde.org skipped with advice."""
    path = REGISTRIES / "it-publiccode-crawler__publishers.thirdparty.yml"
    imported = load_registry(path)
    kde = [note for note in imported.skipped if "invent.kde.org" in note]
    assert (
        "it-publishers",
        ["it-github.com", "it-gitlab.com", "it-gitlab.paadvice.com"],
        2,
        2,
    ) == (
        imported.format,
        [r.name for r in imported.registrations],
        len(kde),
        len(imported.skipped),
    )


@needs_shared
def test_repository_manifest_deduplicates_urls() -> None:
    """code.gov's repo manifest: one registration per agency, each repository once."""
    path = REGISTRIES / "us-dsacms-code-gov__repo-manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    distinct = sum(len({url.rstrip("/").lower() for url in urls}) for urls in manifest.values())
    imported = load_registry(path)
    assert ("repo-manifest", len(manifest), distinct) == (
        imported.format,
        len(imported.registrations),
        _scope_count(imported.registrations),
    )


@needs_shared
@pytest.mark.parametrize(
    "name", ["us-code-gov-api__agency_metadata.json", "codegouvfr-data__awesome-codegouvfr.yml"]
)
def test_files_that_are_not_registries_are_refused(name: str) -> None:
    """A file in no known registry format is refused, naming the file and the known formats."""
    with pytest.raises(RegistrationError) as caught:
        load_registry(REGISTRIES / name)
    assert (name, "forges.yml") == (
        name if name in str(caught.value) else "",
        "forges.yml" if "forges.yml" in str(caught.value) else "",
    )


def test_forges_yml_round_trip() -> None:
    """dump_forges_yaml writes what parse_registry reads back unchanged."""
    registrations = [
        build_registration("https://gitlab.opencode.de", kind="gitlab", name="opencode"),
        build_registration(
            "https://github.com",
            kind="github",
            name="gh",
            orgs=["it-at-m"],
            repos=["a/b"],
            token_env="GITHUB_TOKEN",
        ),
        build_registration(
            "http://127.0.0.1:8080",
            kind="gitlab",
            name="local",
            groups=["x/y"],
            exclude=["x/y/old"],
            allow_private=True,
        ),
    ]
    imported = parse_registry(dump_forges_yaml(registrations), source="forges.yml")
    assert ("codereuse", registrations, []) == (
        imported.format,
        imported.registrations,
        imported.skipped,
    )


def test_forges_yml_entries_are_normalised() -> None:
    """URLs in our own file are normalised like registrations from the CLI."""
    text = "forges:\n  - name: oc\n    kind: gitlab\n    url: https://GitLab.OpenCoDE.de/explore/groups/\n"
    assert "https://gitlab.opencode.de" == parse_registry(text, source="f.yml").registrations[0].url


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "forges:\n  - name: ok\n    kind: gitlab\n    url: https://a.example\n  - name: bad\n    kind: svn\n    url: https://b.example\n",
            "f.yml:6:11: forges[1].kind",
        ),
        (
            "forges:\n  - name: gh\n    kind: github\n    url: https://github.com\n",
            "f.yml:2:5: https://github.com: github.com cannot be crawled whole",
        ),
        (
            "forges:\n  - name: a\n    kind: gitlab\n    url: https://a.example\n  - name: a\n    kind: gitlab\n    url: https://b.example\n",
            "f.yml:5:5: the name 'a' is used twice",
        ),
        (
            "forges:\n  - name: meta\n    kind: gitlab\n    url: http://169.254.169.254\n",
            "f.yml:2:5: http://169.254.169.254: host 169.254.169.254",
        ),
        (
            "forges:\n  - name: x\n    kind: gitlab\n    url: https://a.example\n    token: glpat-123\n",
            "forges[0].token: Extra inputs are not permitted",
        ),
        ("forges: [\n  - a\n", "f.yml:2:3: not valid YAML"),
        ("just text", "not a forge registry codereuse knows"),
    ],
)
def test_bad_forges_yml_is_refused_with_its_place(text: str, fragment: str) -> None:
    """Errors in our own file name the file, line and key, and what is wrong."""
    with pytest.raises(RegistrationError) as caught:
        parse_registry(text, source="f.yml")
    assert fragment in str(caught.value)


def test_token_values_in_forges_yml_are_not_echoed() -> None:
    """A token pasted into forges.yml is refused without repeating its value."""
    text = "forges:\n  - name: x\n    kind: gitlab\n    url: https://a.example\n    token_env: glpat-SeCrEt\n"
    with pytest.raises(RegistrationError) as caught:
        parse_registry(text, source="f.yml")
    assert "SeCrEt" not in str(caught.value)


def test_private_hosts_in_public_registries_are_skipped() -> None:
    """A registry entry whose host is an internal address is skipped, the rest imported."""
    text = json.dumps(
        {
            "data": [
                {
                    "description": "Gemeente",
                    "codeHosting": [
                        {"url": "https://gitlab.localhost/g", "group": True},
                        {"url": "https://github.com/gemeente", "group": True},
                    ],
                }
            ]
        }
    )
    imported = parse_registry(text, source="publishers.json")
    assert (["nl-github.com"], 1) == (
        [r.name for r in imported.registrations],
        len(imported.skipped),
    )


def test_publisher_urls_keep_ports_and_skip_only_bad_entries() -> None:
    """A forge on a port keeps it; a bare github.com entry is skipped without losing the others."""
    text = json.dumps(
        [
            {
                "description": "A",
                "codeHosting": [{"url": "https://gitlab.stad.example:8443/team/", "group": True}],
            },
            {
                "description": "B",
                "codeHosting": [
                    {"url": "https://github.com", "group": True},
                    {"url": "https://github.com/orgs/gemeente-b", "group": True},
                ],
            },
            {
                "description": "C",
                "codeHosting": [{"url": "https://github.com/gemeente-c/app.git", "group": False}],
            },
        ]
    )
    imported = parse_registry(text, source="publishers.json")
    assert (
        [
            ("nl-github.com", "https://github.com", ["gemeente-b"], ["gemeente-c/app"]),
            ("nl-gitlab.stad.example-8443", "https://gitlab.stad.example:8443", ["team"], []),
        ],
        1,
    ) == (
        [(r.name, r.url, r.orgs or r.groups, r.repos) for r in imported.registrations],
        len(imported.skipped),
    )
