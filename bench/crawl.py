"""Crawl cost and speed: the real crawler against in-process fake forges (median of runs).

Usage::

    .venv/bin/python bench/crawl.py [--repos 10000] [--naive-repos 1000] [--runs 3] [--latency 0.05]

Per run, against a fake GitLab (whole instance, 100 groups), a fake GitHub (100 organisations
of 100 repositories) and a fake Gitea (whole instance; no GraphQL, so one listing request per 50
repositories, one root listing per repository and one request per file found), each with
`--repos` deterministic repositories of which 30% carry a
publiccode.yml (some as publiccode.yaml), every request delayed by `--latency` seconds at the
transport (an async `httpx.MockTransport`), through the real code paths (`crawler.run`, the
governor, the retry policy, normalisation, the store as the crawl sink):

1. full crawl of the three forges with file contents and repository facts (root listing,
   README, LICENSE and manifest texts, releases, commits, open issues: `crawler.facts`; the
   fakes give most repositories a README, half a LICENSE, a third a package.json, a quarter
   releases): requests per 1,000 repositories per forge, and throughput into the store
   (repositories per second of wall time); then the same crawl without facts
   (``CODEREUSE_CRAWL_FACTS=false``) into a fresh store, for its requests per 1,000;
2. recrawl after 1% of each forge's repositories changed (new activity and a new
   publiccode.yml): requests in total;
3. the naive REST approach, measured in the same run on `--naive-repos` repositories per forge
   (a listing plus one raw-file request per repository and file name, the crawler's own REST
   path): requests per 1,000 repositories;
4. peak RSS of the process;
5. organisations: every 21st repository lives in one of 10 user namespaces (``user0``…); after
   federating the first crawl, the share of records from organisation namespaces that carry an
   organisation with a name, the share of user-namespace records of kind ``person``, and the
   requests spent on owner profiles per 100 owners (GitLab and GitHub: none, the profile rides
   in the listing; Gitea: the profile rides in the repository JSON's owner object too, which
   tells an organisation without a contact e-mail and a person's private-address placeholder
   by itself; the owners it leaves open — here the odd-numbered organisations, which set a
   contact e-mail — are looked up in ``GET /orgs``, 50 organisations to a page, at most one
   page per 100 owners, `crawler.gitea.profiles`), each per forge, and the share of Gitea
   owners told apart (organisation or person rather than untold).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from cli.pipeline import federate_all
from crawler.kinds import api_locations
from crawler.run import CrawlOptions, crawl_forges
from crawler.spec import ApiLocations
from indexer.store import create_store
from schemas.forge import ForgeRegistration
from tests.crawler.fakeforge import (
    FakeForge,
    FakeGitea,
    FakeGitHub,
    FakeGitLab,
    FakeRepo,
    is_person,
    make_repos,
)
from tests.crawler.memory_sink import MemorySink

LAB = ForgeRegistration(name="lab", kind="gitlab", url="https://gitlab.bench.example")
TEA = ForgeRegistration(name="tea", kind="gitea", url="https://gitea.bench.example")
HUB_HOST = "github.bench.example"


def locate(registration: ForgeRegistration) -> ApiLocations:
    if registration.kind == "github":  # the fake serves github.com's layout at api.HOST
        return ApiLocations(f"https://api.{HUB_HOST}", f"https://api.{HUB_HOST}/graphql")
    return api_locations(registration)


USERS = 10
"""User namespaces of the bench forges: every 20th repository belongs to one of them."""


def hub(owners: int, users: int = 0) -> ForgeRegistration:
    return ForgeRegistration(
        name="hub",
        kind="github",
        url=f"https://{HUB_HOST}",
        orgs=[f"org{i}" for i in range(owners)] + [f"user{i}" for i in range(users)],
        token_env="BENCH_TOKEN",
    )


def with_users(repos: list[FakeRepo]) -> list[FakeRepo]:
    """`repos` with every 21st one moved to a user namespace (``user0`` … ``user9``)."""
    for index, repo in enumerate(repos[::21]):
        repo.owner = f"user{index % USERS}"
    return repos


def organisation_shares(store: object, forge: str | None = None) -> tuple[float, float, int]:
    """(share of organisation-namespace records with a named organisation, share of
    user-namespace records of kind person, records looked at) over the federated catalogue, or
    over the records of one `forge`."""
    named = organisation_records = persons = user_records = 0
    for record in store.iter_records():  # type: ignore[attr-defined]
        if forge is not None and record.provenance.forge != forge:
            continue
        owner = (record.repository.owner or "").rsplit("/", 1)[-1]
        organisation = record.organisation
        if is_person(owner):
            user_records += 1
            persons += organisation is not None and organisation.kind == "person"
        else:
            organisation_records += 1
            named += organisation is not None and bool(organisation.name)
    return (
        named / max(1, organisation_records),
        persons / max(1, user_records),
        organisation_records + user_records,
    )


def told_share(store: object, forge: str) -> float:
    """Share of the owners of `forge`'s records told apart as person or organisation: a
    person, or an organisation whose profile text was kept (every fake organisation has a
    description; an untold owner keeps none of its object, `crawler.owners.read_profile`)."""
    told: dict[str, bool] = {}
    for record in store.iter_records():  # type: ignore[attr-defined]
        owner, organisation = record.repository.owner, record.organisation
        if record.provenance.forge != forge or not owner or owner in told:
            continue
        entity = (
            store.get_organisation(organisation.id)  # type: ignore[attr-defined]
            if organisation and organisation.id
            else None
        )
        told[owner] = bool(
            organisation
            and (organisation.kind == "person" or (entity is not None and entity.description))
        )
    return sum(told.values()) / max(1, len(told))


def transport(forges: dict[str, FakeForge], latency: float) -> httpx.MockTransport:
    """An async transport answering from the fakes after `latency` seconds."""

    async def handle(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(latency)
        return forges[request.url.host](request)

    return httpx.MockTransport(handle)


def crawl(
    sink: object,
    registrations: list[ForgeRegistration],
    forges: dict[str, FakeForge],
    latency: float,
    *,
    rest: bool = False,
    facts: bool = True,
) -> float:
    start = time.perf_counter()
    reports = asyncio.run(
        crawl_forges(
            registrations,
            sink,  # type: ignore[arg-type]
            CrawlOptions(
                user_agent="codereuse-bench",
                prefer_rest=rest,
                facts=facts,
                transport=transport(forges, latency),
                resolver=lambda host: ["93.184.216.34"],  # the fakes' hosts count as public
            ),
            locate=locate,
            environ={"BENCH_TOKEN": "bench"},
        )
    )
    for report in reports:
        if report.status != "succeeded":
            raise SystemExit(
                f"bench crawl of {report.forge} ended {report.status}: {report.findings[:3]}"
            )
    return time.perf_counter() - start


def one_run(repos: int, naive_repos: int, latency: float) -> dict[str, float]:
    owners = 100
    lab = FakeGitLab("gitlab.bench.example", with_users(make_repos(repos, owners=owners)))
    github = FakeGitHub(HUB_HOST, with_users(make_repos(repos, owners=owners)))
    tea = FakeGitea("gitea.bench.example", with_users(make_repos(repos, owners=owners)))
    forges: dict[str, FakeForge] = {
        "gitlab.bench.example": lab,
        f"api.{HUB_HOST}": github,
        "gitea.bench.example": tea,
    }
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        store = create_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        with store:
            store.add_forge(LAB)
            store.add_forge(hub(owners, USERS))
            store.add_forge(TEA)
            sink = store
            seconds = crawl(sink, [LAB, hub(owners, USERS), TEA], forges, latency)
            figures["full_seconds"] = seconds
            figures["throughput"] = 3 * repos / seconds
            figures["gitlab_per_1000"] = lab.total * 1000 / repos
            figures["github_per_1000"] = github.total * 1000 / repos
            figures["gitea_per_1000"] = tea.total * 1000 / repos
            figures["stored"] = store.count_records()
            figures["gitea_profile_per_100_owners"] = (
                sum(n for path, n in tea.paths.items() if path.startswith("/api/v1/orgs"))
                * 100
                / (owners + USERS)
            )
            federate_all(store)
            figures["gitea_told_share"] = told_share(store, "tea")
            named, persons, looked_at = organisation_shares(store)
            figures["organisation_named_share"] = named
            figures["person_share"] = persons
            figures["federated_records"] = looked_at
            for forge in ("lab", "hub", "tea"):
                named, persons, _ = organisation_shares(store, forge)
                figures[f"organisation_named_share_{forge}"] = named
                figures[f"person_share_{forge}"] = persons
            figures["manifest_records"] = sum(
                1
                for record in store.iter_records()
                if any(m.path == "package.json" for m in record.packages.manifests)
            )
            changed = random.Random(42).sample(range(1, repos + 1), repos // 100)  # 1%
            for fake in (lab, github, tea):
                fake.touch(changed)
                fake.counts.clear()
            figures["recrawl_seconds"] = crawl(
                sink, [LAB, hub(owners, USERS), TEA], forges, latency
            )
            figures["recrawl_requests"] = lab.total + github.total
            figures["recrawl_gitlab"] = lab.total
            figures["recrawl_github"] = github.total
            figures["recrawl_gitea"] = tea.total
            figures["rss_after_crawls_mb"] = (
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            )
    plain_lab = FakeGitLab("gitlab.bench.example", with_users(make_repos(repos, owners=owners)))
    plain_hub = FakeGitHub(HUB_HOST, with_users(make_repos(repos, owners=owners)))
    plain_tea = FakeGitea("gitea.bench.example", with_users(make_repos(repos, owners=owners)))
    plain: dict[str, FakeForge] = {
        "gitlab.bench.example": plain_lab,
        f"api.{HUB_HOST}": plain_hub,
        "gitea.bench.example": plain_tea,
    }
    with tempfile.TemporaryDirectory() as folder:
        store = create_store(f"sqlite:///{Path(folder) / 'plain.db'}")
        with store:
            for registration in (LAB, hub(owners, USERS), TEA):
                store.add_forge(registration)
            figures["plain_seconds"] = crawl(
                store, [LAB, hub(owners, USERS), TEA], plain, latency, facts=False
            )
    figures["plain_gitlab_per_1000"] = plain_lab.total * 1000 / repos
    figures["plain_github_per_1000"] = plain_hub.total * 1000 / repos
    figures["plain_gitea_per_1000"] = plain_tea.total * 1000 / repos
    naive_lab = FakeGitLab("gitlab.bench.example", make_repos(naive_repos, owners=10))
    naive_hub = FakeGitHub(HUB_HOST, make_repos(naive_repos, owners=10))
    naive = {"gitlab.bench.example": naive_lab, f"api.{HUB_HOST}": naive_hub}
    figures["naive_seconds"] = crawl(MemorySink(), [LAB, hub(10)], naive, latency, rest=True)
    figures["naive_gitlab_per_1000"] = naive_lab.total * 1000 / naive_repos
    figures["naive_github_per_1000"] = naive_hub.total * 1000 / naive_repos
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repos", type=int, default=10_000)
    parser.add_argument("--naive-repos", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    runs = [one_run(args.repos, args.naive_repos, args.latency) for _ in range(args.runs)]

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"crawl bench: {args.repos} repositories per forge, 30% with publiccode.yml, {args.latency * 1000:.0f} ms per request, median of {args.runs} runs"
    )
    print(f"{'':44}{'codereuse':>12}{'naive REST':>12}{'target':>10}")
    print(
        f"{'GitLab requests per 1,000 repos (full)':44}{median('gitlab_per_1000'):>12.1f}{median('naive_gitlab_per_1000'):>12.1f}{'<= 25':>10}"
    )
    print(
        f"{'GitHub requests per 1,000 repos (full)':44}{median('github_per_1000'):>12.1f}{median('naive_github_per_1000'):>12.1f}{'<= 25':>10}"
    )
    print(
        f"{'Gitea requests per 1,000 repos (full)':44}{median('gitea_per_1000'):>12.1f}{'':>12}{'REST only':>10}"
    )
    print(
        f"{'  without facts: GitLab / GitHub':44}{median('plain_gitlab_per_1000'):>6.1f} /"
        f"{median('plain_github_per_1000'):>5.1f}{'':>12}{'<= 15':>10}"
    )
    print(f"{'  without facts: Gitea':44}{median('plain_gitea_per_1000'):>12.1f}")
    # The naive approach has no change detection: a recrawl costs a full crawl.
    naive_recrawl = (
        (median("naive_gitlab_per_1000") + median("naive_github_per_1000")) * args.repos / 1000
    )
    print(
        f"{'recrawl after 1% changed, requests (both)':44}{median('recrawl_requests'):>12.0f}{naive_recrawl:>12.0f}{'<= 30':>10}"
    )
    print(
        f"{'  of which GitLab / GitHub':44}{median('recrawl_gitlab'):>6.0f} /{median('recrawl_github'):>4.0f}"
    )
    print(f"{'Gitea recrawl after 1% changed, requests':44}{median('recrawl_gitea'):>12.0f}")
    print(
        f"{'full crawl wall time, s (three forges)':44}{median('full_seconds'):>12.2f}{'':>12}{'':>10}"
    )
    print(f"{'  without facts, s':44}{median('plain_seconds'):>12.2f}")
    print(
        f"{'throughput into the store, repos/s':44}{median('throughput'):>12.0f}{2 * args.naive_repos / median('naive_seconds'):>12.0f}{'>= 500':>10}"
    )
    print(f"{'records stored':44}{median('stored'):>12.0f}")
    each = " ".join(f"{run['throughput']:.0f}" for run in runs)
    print(f"{'throughput of each run, repos/s':44}{each:>12}")
    print(f"{'peak RSS, MB':44}{peak:>12.0f}{'':>12}{'<= 300':>10}")
    print(
        f"{'owner profile requests per 100 owners':44}{'GitLab 0, GitHub 0, Gitea':>30} "
        f"{median('gitea_profile_per_100_owners'):.1f}{'<= 1':>8}"
    )
    print(
        f"{'  Gitea owners told apart (org or person)':44}"
        f"{100 * median('gitea_told_share'):>11.1f}%"
        "   (owner object first; GET /orgs, 50 a page, at most one page per 100 owners)"
    )
    print(
        f"{'records of organisation namespaces named':44}"
        f"{100 * median('organisation_named_share'):>11.1f}%{'':>12}{'100%':>10}"
    )
    print(
        f"{'records of user namespaces of kind person':44}"
        f"{100 * median('person_share'):>11.1f}%{'':>12}{'100%':>10}"
    )
    for forge, label in (("lab", "GitLab"), ("hub", "GitHub"), ("tea", "Gitea")):
        print(
            f"{'  ' + label + ': named / person':44}"
            f"{100 * median('organisation_named_share_' + forge):>11.1f}%"
            f"{100 * median('person_share_' + forge):>11.1f}%"
        )
    print(f"{'  federated records looked at':44}{median('federated_records'):>12.0f}")
    print(
        f"{'records with a package.json read (facts)':44}{median('manifest_records'):>12.0f}"
        "   (its request is in the full-crawl rows above)"
    )
    print(
        "with facts (the rows above unless said): GitLab and GitHub add one request per page of "
        "100 repositories for the README, LICENSE and manifest texts the root listings named "
        "(the counts, dates and root listing ride in the listing); Gitea pays per repository: "
        "one request per such file, one for the latest release where there is one, one for the "
        "head commit and the year's count, one per CI workflows folder."
    )
    print(
        "naive REST: a listing plus one raw-file request per repository and file name, measured on "
        f"{args.naive_repos} repositories per forge; without change detection its recrawl is a full crawl of both forges at that rate."
    )
    print(
        "Gitea has no GraphQL: its cost is one listing request per 50 repositories, one root "
        "listing per repository (which tells whether publiccode.yml/.yaml exist, so absent files "
        "are never asked for) and one request per file found; a recrawl pays the root and file "
        "requests only for repositories whose updated_at moved."
    )


if __name__ == "__main__":
    main()
