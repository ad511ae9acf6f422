"""How good the drafted publiccode.yml files are (`schemas.draft`).

Usage::

    .venv/bin/python -m bench.drafts [--repos 200] [--mirrors /work/.mirror]

1. **A crawled fake catalogue**: the real crawler crawls fake GitLab, GitHub and Gitea forges
   (`bench.crawl`, `--repos` repositories each, 70 % without a publiccode.yml) into a temporary
   store; every inferred record is drafted and validated. Printed: the share of drafts with 0
   validator errors (target 100 %).
2. **The real-world corpus** (``../shared/data/publiccode-real-world``, 100 files from public
   repositories): each repository is drafted *as if it had no publiccode.yml*, from the facts a
   forge gives — read from a local git copy of the repository when `--mirrors` holds one
   (``OWNER+NAME/repo``, bare): README, LICENSE text, root files, languages from file extensions,
   latest tag, commit dates; the publiccode files are never read. Without a copy only the URL
   and the name are known. Printed: the share of valid drafts, and per field how often the draft
   agrees with the owner's own file (`name`, `url`, `legal.license`, `platforms`,
   `softwareType`, `developmentStatus`, `categories`): equal, and for lists also overlapping.

Not a timing benchmark: the figures are deterministic for a given corpus and set of copies.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from schemas.draft import (
    DraftFacts,
    LicenceFact,
    Owner,
    Release,
    draft_for_record,
    draft_publiccode,
)
from schemas.draft.licence_text import detect_licence
from schemas.publiccode import parse
from schemas.record import canonical_id

REAL_WORLD = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "publiccode-real-world"
)
FIELDS = (
    "name",
    "url",
    "legal.license",
    "platforms",
    "softwareType",
    "developmentStatus",
    "categories",
)
LIST_FIELDS = frozenset({"platforms", "categories"})
NOW = datetime(2026, 12, 1, tzinfo=UTC)

# File extension → language, for the languages a forge would report (GitHub's linguist names).
EXTENSIONS = {
    ".py": "Python", ".js": "JavaScript", ".mjs": "JavaScript", ".jsx": "JavaScript",
    ".ts": "TypeScript", ".tsx": "TypeScript", ".vue": "Vue", ".svelte": "Svelte",
    ".php": "PHP", ".java": "Java", ".kt": "Kotlin", ".swift": "Swift", ".m": "Objective-C",
    ".dart": "Dart", ".go": "Go", ".rs": "Rust", ".rb": "Ruby", ".cs": "C#", ".c": "C",
    ".h": "C", ".cpp": "C++", ".cc": "C++", ".hpp": "C++", ".r": "R", ".R": "R",
    ".html": "HTML", ".htm": "HTML", ".css": "CSS", ".scss": "SCSS", ".less": "Less",
    ".sh": "Shell", ".ml": "OCaml", ".scala": "Scala", ".ex": "Elixir", ".tf": "HCL",
    ".twig": "Twig", ".jsp": "Java Server Pages", ".sql": "PLpgSQL", ".pl": "Perl",
    ".lua": "Lua", ".ipynb": "Jupyter Notebook", ".cshtml": "HTML", ".aspx": "ASP.NET",
}  # fmt: skip


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "--git-dir", str(repo), *args], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def _root_text(repo: Path, names: list[str], prefixes: tuple[str, ...]) -> str | None:
    for name in names:
        if name.lower().startswith(prefixes):
            text = _git(repo, "show", f"HEAD:{name}")
            if text.strip():
                return text[: 64 * 1024]
    return None


def _languages(paths: Iterable[str]) -> tuple[str, ...]:
    counts: Counter[str] = Counter()
    for path in paths:
        suffix = Path(path).suffix
        language = EXTENSIONS.get(suffix) or EXTENSIONS.get(suffix.lower())
        if language and "node_modules/" not in path and "vendor/" not in path:
            counts[language] += 1
    return tuple(language for language, _ in counts.most_common(6))


def facts_from_git(repo: Path, slug: str) -> DraftFacts:
    """What a forge would know of `slug`, read from its bare git copy (no publiccode file)."""
    owner, name = slug.split("/", 1)
    root = [line for line in _git(repo, "ls-tree", "--name-only", "HEAD").splitlines() if line]
    root = [entry for entry in root if not entry.lower().startswith("publiccode.")]
    readme = _root_text(repo, root, ("readme",))
    licence_text = _root_text(repo, root, ("license", "licence", "copying"))
    detected = detect_licence(licence_text)
    tag = _git(
        repo, "for-each-ref", "--sort=-creatordate", "--count=1", "refs/tags",
        "--format=%(refname:short)|%(creatordate:iso-strict)",
    ).strip()  # fmt: skip
    release = None
    if tag:
        label, _, when = tag.partition("|")
        release = Release(label, datetime.fromisoformat(when) if when else None)
    last = _git(repo, "log", "-1", "--format=%cI", "HEAD").strip()
    since = (NOW - timedelta(days=365)).date().isoformat()
    commits = _git(repo, "rev-list", "--count", f"--since={since}", "HEAD").strip()
    files = _git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines()
    return DraftFacts(
        name=name,
        url=f"https://github.com/{slug}",
        forge="github",
        readme=readme,
        root_names=tuple(root),
        languages=_languages(files),
        licence=LicenceFact(detected.expression, "LICENSE", detected.version_choice_unknown)
        if detected
        else None,
        latest_release=release,
        releases_count=1 if release else 0,
        last_commit_at=datetime.fromisoformat(last) if last else None,
        commits_last_year=int(commits) if commits.isdigit() else None,
        owner=Owner(name=owner, url=f"https://github.com/{owner}"),
        now=NOW,
    )


def _bare_facts(slug: str) -> DraftFacts:
    owner, name = slug.split("/", 1)
    return DraftFacts(
        name=name,
        url=f"https://github.com/{slug}",
        forge="github",
        owner=Owner(name=owner, url=f"https://github.com/{owner}"),
        now=NOW,
    )


def _get(document: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        document = document.get(part) if isinstance(document, dict) else None
    return document


def _normal(field_name: str, value: Any) -> Any:
    if value is None:
        return None
    if field_name in LIST_FIELDS:
        items = value if isinstance(value, list) else [value]
        return frozenset(str(item).strip().lower() for item in items if item)
    if field_name == "url":
        try:
            return canonical_id(str(value))
        except Exception:
            return str(value)
    if field_name == "legal.license":
        return str(value).replace("-only", "").replace("+", "-or-later").strip().upper()
    return str(value).strip().lower()


@dataclass
class Agreement:
    compared: Counter[str] = field(default_factory=Counter)
    equal: Counter[str] = field(default_factory=Counter)
    overlap: Counter[str] = field(default_factory=Counter)
    misses: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, owner_file: dict[str, Any], draft: dict[str, Any]) -> None:
        for name in FIELDS:
            theirs = _normal(name, _get(owner_file, name))
            if theirs is None or theirs == frozenset():
                continue
            ours = _normal(name, _get(draft, name))
            self.compared[name] += 1
            if ours == theirs:
                self.equal[name] += 1
            elif name not in ("url", "name"):
                pair = f"{sorted(ours) if isinstance(ours, frozenset) else ours} ≠ {sorted(theirs) if isinstance(theirs, frozenset) else theirs}"
                self.misses.setdefault(name, Counter())[pair] += 1
            if name in LIST_FIELDS and ours and theirs and set(ours) & set(theirs):
                self.overlap[name] += 1


def crawled_catalogue(repos: int) -> tuple[int, int]:
    """(inferred records, drafts with 0 errors) of a crawl of the fake forges."""
    from bench.crawl import HUB_HOST, LAB, TEA, crawl, hub
    from indexer.store import create_store
    from tests.crawler.fakeforge import FakeGitea, FakeGitHub, FakeGitLab, make_repos

    forges: dict[str, Any] = {
        "gitlab.bench.example": FakeGitLab("gitlab.bench.example", make_repos(repos, owners=10)),
        f"api.{HUB_HOST}": FakeGitHub(HUB_HOST, make_repos(repos, owners=10)),
        "gitea.bench.example": FakeGitea("gitea.bench.example", make_repos(repos, owners=10)),
    }
    with tempfile.TemporaryDirectory() as folder:
        store = create_store(f"sqlite:///{Path(folder) / 'drafts.db'}")
        with store:
            for registration in (LAB, hub(10), TEA):
                store.add_forge(registration)
            crawl(store, [LAB, hub(10), TEA], forges, 0.0)
            inferred = valid = 0
            for record in store.iter_records():
                if record.declared:
                    continue
                inferred += 1
                valid += parse(draft_for_record(record).to_yaml().encode()).valid
    return inferred, valid


def real_world(mirrors: Path | None) -> tuple[int, int, int, Agreement]:
    """(files, drafts valid, repositories with a git copy, agreement) over the corpus."""
    with (REAL_WORLD / "SOURCES.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    agreement = Agreement()
    valid = copies = 0
    for row in rows:
        try:
            owner_file = yaml.safe_load((REAL_WORLD / row["file"]).read_bytes())
        except yaml.YAMLError:  # a broken owner file: drafted all the same, not compared
            owner_file = None
        repo = mirrors / row["repo"].replace("/", "+", 1) / "repo" if mirrors else None
        if repo is not None and repo.is_dir():
            facts = facts_from_git(repo, row["repo"])
            copies += 1
        else:
            facts = _bare_facts(row["repo"])
        draft = draft_publiccode(facts)
        valid += parse(draft.to_yaml().encode()).valid
        if isinstance(owner_file, dict):
            agreement.add(owner_file, draft.document)
    return len(rows), valid, copies, agreement


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200, help="repositories per fake forge")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"),
                        help="folder of bare git copies OWNER+NAME/repo")  # fmt: skip
    args = parser.parse_args()
    inferred, valid = crawled_catalogue(args.repos)
    print(
        f"crawled fake catalogue: {valid}/{inferred} drafts valid ({100 * valid / max(inferred, 1):.1f} %)"
    )
    mirrors = args.mirrors if args.mirrors.is_dir() else None
    files, real_valid, copies, agreement = real_world(mirrors)
    print(
        f"real-world corpus: {real_valid}/{files} drafts valid ({100 * real_valid / files:.1f} %); "
        f"{copies} repositories read from a git copy, {files - copies} from URL and name only"
    )
    print()
    print(f"{'field':<18} {'compared':>8} {'equal':>6} {'equal %':>8} {'overlap %':>9}")
    for name in FIELDS:
        compared = agreement.compared[name]
        equal = agreement.equal[name]
        overlap = (
            f"{100 * agreement.overlap[name] / compared:8.1f}"
            if name in LIST_FIELDS and compared
            else f"{'':>8}"
        )
        print(
            f"{name:<18} {compared:>8} {equal:>6} {100 * equal / max(compared, 1):>7.1f}  {overlap}"
        )
    print()
    for name in ("legal.license", "platforms", "softwareType", "developmentStatus", "categories"):
        common = agreement.misses.get(name, Counter()).most_common(3)
        if common:
            shown = "; ".join(f"{pair} ({count})" for pair, count in common)
            print(f"most common disagreements on {name}: {shown}")


if __name__ == "__main__":
    main()
