"""Normalisation and federation throughput on a synthetic catalogue (median of runs).

Usage::

    .venv/bin/python bench/normalise.py [--repositories 10000] [--share 0.3] [--runs 3]

Builds `--repositories` snapshots as the crawler core does (kind-neutral payload around the
forge's GraphQL node), `--share` of them with a publiccode.yml (real-world files from
``../shared/data/publiccode-real-world`` when present, else a generated valid file, each given
its own `url`), 2% of those as mirrors on a second forge, then times:

- records_from_snapshots: snapshots → records (declared ones through the one validator);
- federate: records of both forges → one record per software;
- federated_records: both steps from the snapshots, as after a crawl.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from crawler.github.snapshots import snapshot_from_graphql as github_snapshot
from crawler.gitlab.snapshots import snapshot_from_graphql as gitlab_snapshot
from crawler.normalise import federate, federated_records, records_from_snapshots
from schemas.forge import ForgeRegistration, RepositorySnapshot

REAL_WORLD = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "publiccode-real-world"
)
GITLAB = ForgeRegistration(name="opencode", kind="gitlab", url="https://gitlab.example.org")
GITHUB = ForgeRegistration(name="github", kind="github", url="https://github.com", orgs=["mirrors"])
FETCHED = datetime(2025, 11, 1, tzinfo=UTC)
GENERATED = """publiccodeYmlVersion: "0.7"
name: App
url: "https://example.org/app"
platforms: [web]
developmentStatus: stable
softwareType: standalone/web
description:
  en:
    shortDescription: An application for public administrations.
    longDescription: An application for public administrations, with a description long enough to pass the rule of the standard that asks for at least one hundred and fifty characters.
    features: [Forms]
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts: [{name: Erika Mustermann}]
localisation:
  localisationReady: true
  availableLanguages: [en]
"""


def _files() -> list[str]:
    files = sorted(REAL_WORLD.glob("*publiccode.y*ml")) if REAL_WORLD.is_dir() else []
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    return texts or [GENERATED]


def _with_url(text: str, url: str) -> bytes:
    replaced, count = re.subn(r"(?m)^url:.*$", f'url: "{url}"', text, count=1)
    return (replaced if count else f'url: "{url}"\n{text}').encode("utf-8")


def build(
    repositories: int, share: float
) -> tuple[list[RepositorySnapshot], list[RepositorySnapshot]]:
    """(GitLab snapshots, GitHub mirror snapshots)."""
    files = _files()
    every = max(1, round(1 / share)) if share > 0 else 0
    gitlab: list[RepositorySnapshot] = []
    github: list[RepositorySnapshot] = []
    for number in range(repositories):
        url = f"https://gitlab.example.org/group{number % 50}/project{number}"
        content = (
            _with_url(files[number % len(files)], url) if every and number % every == 0 else None
        )
        text = content.decode() if content else None
        blobs = [{"path": "publiccode.yml", "oid": f"b{number}", "rawBlob": text}]
        node = {
            "id": f"gid://gitlab/Project/{number}",
            "name": f"project{number}",
            "fullPath": url.split("/", 3)[3],
            "description": f"Project {number}",
            "webUrl": url,
            "starCount": number % 17,
            "topics": ["ozg"],
            "languages": [{"name": "Python", "share": 100.0}],
            "repository": {"blobs": {"nodes": blobs if content else []}},
        }
        gitlab.append(gitlab_snapshot(node, "opencode", FETCHED))
        if content and number % 50 == 0:
            mirror = f"https://github.com/mirrors/project{number}"
            repository = {
                "databaseId": number,
                "url": mirror,
                "name": f"project{number}",
                "yml": {"oid": f"m{number}", "text": text},
            }
            github.append(github_snapshot(repository, "github", FETCHED))
    return gitlab, github


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=10_000)
    parser.add_argument("--share", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    gitlab, github = build(options.repositories, options.share)
    total = len(gitlab) + len(github)
    declared = sum(1 for s in [*gitlab, *github] if s.publiccode is not None)
    timings: dict[str, list[float]] = {
        "records_from_snapshots": [],
        "federate": [],
        "federated_records": [],
    }
    result = 0
    for _ in range(options.runs):
        start = time.perf_counter()
        records = records_from_snapshots(gitlab, registration=GITLAB) + records_from_snapshots(
            github, registration=GITHUB
        )
        timings["records_from_snapshots"].append(time.perf_counter() - start)
        start = time.perf_counter()
        federate(records)
        timings["federate"].append(time.perf_counter() - start)
        start = time.perf_counter()
        result = len(federated_records([*gitlab, *github], [GITLAB, GITHUB]))
        timings["federated_records"].append(time.perf_counter() - start)
    print(
        f"{total} snapshots ({declared} with publiccode.yml, {len(github)} mirrors) → {result} records; median of {options.runs} runs"
    )
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"{name:<24} {median:8.2f} s   {total / median:10.0f} snapshots/s")


if __name__ == "__main__":
    main()
