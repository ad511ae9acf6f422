"""Upgrade cost: resolving the organisations of a catalogue stored before they existed.

Usage::

    .venv/bin/python bench/organisations_upgrade.py [--repos 3000] [--runs 3]

A fake GitLab (whole instance, 100 groups, 30 % of the repositories with a publiccode.yml, every
21st repository in a user namespace) is crawled into a SQLite store through the real pipeline
(`bench/crawl.py`'s fakes, no latency), which gives `--repos` records with their stored
snapshots. The store is then put back into the state an older release left it in (no
organisations; records without owner path, organisation id and kind; their JSON without the
resolved organisation and with an older content hash), and `cli.pipeline.ensure_organisations`
— what `serve` and the crawl run first — is timed: one federation of every stored snapshot.
Printed: the median seconds, records resolved, organisations afterwards, and the time of a
second call (nothing left to do: one count query).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.crawl import LAB, crawl, with_users
from cli.pipeline import ensure_organisations, federate_all
from indexer.store import Store, create_store
from tests.crawler.fakeforge import FakeGitLab, make_repos


def as_before_organisations(store: Store) -> None:
    """What an older release stored: no organisations, records without their resolution."""
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM organisations"))
        rows = connection.execute(text("SELECT id, document FROM records")).all()
        for record_id, document in rows:
            data = json.loads(document)
            organisation = data.get("organisation") or {}
            declared = organisation.get("source") == "publiccode"
            data["organisation"] = (
                {"name": organisation.get("name"), "uri": organisation.get("uri")}
                if declared
                else None
            )
            data["repository"]["owner"] = None
            connection.execute(
                text(
                    "UPDATE records SET document = :document, content_hash = 'older', "
                    "owner = NULL, organisation_id = NULL, organisation_kind = NULL "
                    "WHERE id = :id"
                ),
                {"document": json.dumps(data), "id": record_id},
            )


def one_run(repos: int) -> dict[str, float]:
    lab = FakeGitLab("gitlab.bench.example", with_users(make_repos(repos, owners=100)))
    with tempfile.TemporaryDirectory() as folder:
        store = create_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        with store:
            store.add_forge(LAB)
            crawl(store, [LAB], {"gitlab.bench.example": lab}, 0.0)
            federate_all(store)
            organisations = len(store.list_organisations())
            as_before_organisations(store)
            start = time.perf_counter()
            resolved = ensure_organisations(store)
            seconds = time.perf_counter() - start
            start = time.perf_counter()
            again = ensure_organisations(store)
            second = time.perf_counter() - start
            return {
                "seconds": seconds,
                "resolved": resolved,
                "records": store.count_records(),
                "organisations_before": organisations,
                "organisations_after": len(store.list_organisations()),
                "again": again,
                "second_seconds": second,
            }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repos", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.repos) for _ in range(args.runs)]

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    print(
        f"organisations upgrade bench: {args.repos} records with stored snapshots, "
        f"median of {args.runs} runs"
    )
    print(f"{'records resolved (were unresolved)':44}{median('resolved'):>12.0f}")
    print(f"{'re-federation from the snapshots, s':44}{median('seconds'):>12.2f}")
    print(
        f"{'organisations after / as federated':44}"
        f"{median('organisations_after'):>12.0f} / {median('organisations_before'):.0f}"
    )
    print(
        f"{'second call (nothing to do), ms':44}{1000 * median('second_seconds'):>12.1f}"
        f"   resolved {median('again'):.0f}"
    )


if __name__ == "__main__":
    main()
