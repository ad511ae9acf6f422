"""The well-known root files are recognised by name, folders only where a folder can be one."""

from __future__ import annotations

import pytest

from schemas.facts import RootEntry, root_files, root_kind


@pytest.mark.parametrize(
    ("name", "type_", "expected"),
    [
        ("README.md", "file", "readme"),
        ("LIESMICH.txt", "file", "readme"),
        ("LICENSE", "file", "licence"),
        ("LICENCE.txt", "file", "licence"),
        ("COPYING", "file", "licence"),
        ("licenses", "dir", None),
        ("CONTRIBUTING.md", "file", "contributing"),
        ("SECURITY.md", "file", "security"),
        ("CODE_OF_CONDUCT.md", "file", "code_of_conduct"),
        ("CHANGELOG.md", "file", "changelog"),
        (".gitlab-ci.yml", "file", "ci"),
        (".github/workflows", "dir", "ci"),
        (".woodpecker.yml", "file", "ci"),
        (".woodpecker", "dir", "ci"),
        ("Dockerfile", "file", "container"),
        ("docker-compose.yml", "file", "container"),
        ("openapi.yaml", "file", "openapi"),
        ("swagger.json", "file", "openapi"),
        ("src", "dir", None),
        ("readme-assets", "dir", None),
    ],
)
def test_root_kind_recognises_the_usual_names(name: str, type_: str, expected: str | None) -> None:
    """Each usual spelling maps to its kind; other entries to None."""
    assert expected == root_kind(RootEntry(name=name, type=type_))  # type: ignore[arg-type]


def test_root_files_prefers_the_shortest_name_and_knows_unread_roots() -> None:
    """README.md beats README.de.md; an unread root is None, an empty one has no files."""
    found = root_files([RootEntry(name="README.de.md"), RootEntry(name="README.md")])
    assert found is not None
    assert "README.md" == found["readme"].name  # type: ignore[union-attr]
    assert found["licence"] is None
    assert root_files(None) is None
    assert all(value is None for value in (root_files([]) or {}).values())
