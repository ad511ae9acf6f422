"""Repository facts in the fake forges: root files, README/LICENSE/manifest texts, releases,
commits, open issues — answered in the shapes of the real APIs.

GitLab GraphQL (``Project.openIssuesCount``, ``releases { count nodes }``, ``repository { empty
tree { lastCommit blobs trees } }``, ``projects(ids:) { repository { blobs(paths:) } }``), GitHub
GraphQL (``isEmpty``, ``defaultBranchRef.target { committedDate history { totalCount } }``,
``latestRelease``, ``releases``/``issues { totalCount }``, ``object(expression: "HEAD:")``
tree entries, aliased ``node(id:) { object(expression:) }`` blobs) and Gitea REST
(``/contents``, ``/releases?limit=1`` with ``X-Total-Count``, ``/commits?limit=1&since=``).
Facts are answered only when the query asks for them, so a crawl with facts off sees the
answers it saw before they existed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.crawler.fakeforge import FakeRepo

MIT = """MIT License

Copyright (c) 2026 Musterstadt

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def readme_text(name: str) -> str:
    """A README with a badge line, a describing paragraph and an install section."""
    return (
        f"# {name}\n\n"
        "[![build](https://ci.example/badge.svg)](https://ci.example/build)\n\n"
        f"{name} helps public administrations publish their open data catalogues "
        "and keep them up to date.\n\n"
        "## Installation\n\nRun `make install`.\n"
    )


def give_facts(repo: FakeRepo) -> None:
    """Deterministic facts by id: most have a README, even ids a LICENSE, every third a
    package.json, every fifth GitLab CI, some GitHub workflows, every fourth releases."""
    i = repo.id
    if i % 10 != 9:
        repo.files["README.md"] = readme_text(repo.name)
    if i % 2 == 0:
        repo.files["LICENSE"] = MIT
    if i % 3 == 0:
        repo.files["package.json"] = (
            f'{{"name": "{repo.name}", "version": "1.0.0", '
            '"dependencies": {"left-pad": "1.3.0"}}\n'
        )
    if i % 5 == 0:
        repo.files[".gitlab-ci.yml"] = "test:\n  script: make test\n"
    if i % 5 == 1:
        repo.dirs.append(".github")
    if i % 4 == 0:
        repo.releases = [
            (f"v1.{n}.0", repo.activity - timedelta(days=1 + 30 * n)) for n in range(1 + i % 3)
        ]
    repo.commits_last_year = i % 20
    repo.open_issues = i % 7


def root(repo: FakeRepo, host: str) -> dict[str, str]:
    """Every file at the repository's root, publiccode included: name → text."""
    files = dict(repo.files)
    text = repo.content(host)
    if text is not None:
        files[repo.publiccode_name] = text
    return files


def _size(text: str) -> int:
    return len(text.encode())


# ---- GitLab ---------------------------------------------------------------------------


def gitlab_project(repo: FakeRepo, host: str) -> dict[str, Any]:
    """The facts fields of a GraphQL ``Project`` node (merged into it when asked)."""
    releases = [
        {"tagName": tag, "name": f"Release {tag}", "releasedAt": _iso(at), "upcomingRelease": False}
        for tag, at in repo.releases
    ]
    return {
        "openIssuesCount": repo.open_issues,
        "releases": {"count": len(releases), "nodes": releases[:1]},
    }


def gitlab_repository(repo: FakeRepo, host: str) -> dict[str, Any]:
    """The facts fields of ``Project.repository``: ``empty`` and the root ``tree``."""
    if repo.empty:
        return {"empty": True, "tree": None}
    files = root(repo, host)
    return {
        "empty": False,
        "tree": {
            "lastCommit": {"authoredDate": _iso(repo.activity)},
            "blobs": {
                "pageInfo": {"hasNextPage": False},
                "nodes": [{"name": n, "type": "blob", "mode": "100644"} for n in sorted(files)],
            },
            "trees": {
                "pageInfo": {"hasNextPage": False},
                "nodes": [{"name": d} for d in repo.dirs],
            },
        },
    }


def gitlab_files(table: dict[int, FakeRepo], host: str, variables: dict[str, Any]) -> Any:
    """``projects(ids:) { nodes { id repository { blobs(paths:) } } }``."""
    found = []
    for gid in variables.get("ids") or []:
        repo = table.get(int(gid.rsplit("/", 1)[-1]))
        if repo is None:
            continue
        files = root(repo, host)
        blobs = [
            {"path": path, "rawTextBlob": files[path], "size": str(_size(files[path]))}
            for path in variables["paths"]
            if path in files
        ]
        found.append({"id": gid, "repository": {"blobs": {"nodes": blobs}}})
    return {"projects": {"nodes": found[: int(variables.get("first", 100))]}}


# ---- GitHub ---------------------------------------------------------------------------


def github_repository(repo: FakeRepo, host: str) -> dict[str, Any]:
    """The facts fields of a GraphQL ``Repository`` node (merged into it when asked)."""
    latest = (
        {
            "tagName": repo.releases[0][0],
            "name": f"Release {repo.releases[0][0]}",
            "publishedAt": _iso(repo.releases[0][1]),
            "isPrerelease": False,
        }
        if repo.releases
        else None
    )
    branch = (
        None
        if repo.empty
        else {
            "name": "main",
            "target": {
                "committedDate": _iso(repo.activity),
                "history": {"totalCount": repo.commits_last_year},
            },
        }
    )
    entries = [
        {"name": n, "type": "blob", "size": _size(t)} for n, t in sorted(root(repo, host).items())
    ] + [{"name": d, "type": "tree", "size": 0} for d in repo.dirs]
    return {
        "isEmpty": repo.empty,
        "defaultBranchRef": branch,
        "latestRelease": latest,
        "releases": {"totalCount": len(repo.releases)},
        "openIssues": {"totalCount": repo.open_issues},
        "root": None if repo.empty else {"entries": entries},
        "workflows": {"entries": [{"name": "ci.yml"}]} if ".github" in repo.dirs else None,
    }


def github_files(repos: list[FakeRepo], host: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Aliased ``r<i>: node(id:) { f<i>_<j>: object(expression: "HEAD:<path>") }``."""
    table = {f"R_{r.id}": r for r in repos}
    data: dict[str, Any] = {}
    for key, value in variables.items():
        match = re.fullmatch(r"x(\d+)_(\d+)", key)
        if not match:
            continue
        repo = table.get(str(variables[f"i{match.group(1)}"]))
        alias = f"r{match.group(1)}"
        if repo is None:
            data[alias] = None
            continue
        text = root(repo, host).get(str(value).removeprefix("HEAD:"))
        blob = (
            None if text is None else {"text": text, "byteSize": _size(text), "isTruncated": False}
        )
        data.setdefault(alias, {})[f"f{match.group(1)}_{match.group(2)}"] = blob
    return data


# ---- Gitea ----------------------------------------------------------------------------


def gitea_entries(repo: FakeRepo, host: str) -> list[dict[str, Any]]:
    """``GET /repos/{o}/{r}/contents``: the root's files and folders."""
    if repo.empty:
        return []
    entries = [
        {
            "name": name,
            "path": name,
            "type": "file",
            "size": _size(text),
            "sha": hashlib.sha1(text.encode()).hexdigest(),
            "download_url": f"https://{host}/{repo.path}/raw/branch/main/{name}",
        }
        for name, text in sorted(root(repo, host).items())
    ]
    entries += [
        {"name": d, "path": d, "type": "dir", "size": 0, "sha": "0" * 40} for d in repo.dirs
    ]
    return entries


def gitea_file(repo: FakeRepo, host: str, name: str) -> dict[str, Any] | None:
    """``GET /repos/{o}/{r}/contents/{path}``: a file with base64 content, or a directory."""
    if name in (".gitea/workflows", ".github/workflows", ".forgejo/workflows"):
        return None
    text = root(repo, host).get(name)
    if text is None:
        return None
    size = (repo.blob_size if name == repo.publiccode_name else None) or _size(text)
    large = size > 10 * 1024 * 1024  # Gitea's API blob limit (setting API.DefaultMaxBlobSize)
    return {
        "name": name,
        "path": name,
        "type": "file",
        "size": size,
        "encoding": None if large else "base64",
        "content": None if large else base64.b64encode(text.encode()).decode(),
        "sha": hashlib.sha1(text.encode()).hexdigest(),
    }


def gitea_releases(repo: FakeRepo) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``GET /repos/{o}/{r}/releases?limit=1``: the newest release and ``X-Total-Count``."""
    items = [
        {
            "id": n,
            "tag_name": tag,
            "name": f"Release {tag}",
            "draft": False,
            "prerelease": False,
            "published_at": _iso(at),
        }
        for n, (tag, at) in enumerate(repo.releases)
    ]
    return items[:1], {"X-Total-Count": str(len(items))}


def gitea_commits(repo: FakeRepo, since: str | None) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``GET /repos/{o}/{r}/commits?limit=1[&since=]``: the head commit and ``X-Total-Count``
    (the fake's commits in the last year all fall after any `since` it is asked with)."""
    if repo.empty:
        return [], {"X-Total-Count": "0"}
    start = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
    if start is not None and repo.activity < start:
        return [], {"X-Total-Count": "0"}
    total = repo.commits_last_year if start is not None else repo.commits_last_year + 100
    head = {
        "sha": hashlib.sha1(repo.path.encode()).hexdigest(),
        "commit": {"committer": {"date": _iso(repo.activity)}, "message": "change"},
        "created": _iso(repo.activity),
    }
    return [head], {"X-Total-Count": str(max(total, 1))}
