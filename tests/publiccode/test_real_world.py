"""Every real publiccode.yml in the shared sample gives a result, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.publiccode import parse
from tests.publiccode.shared import REAL_WORLD


def _files() -> list[Path]:
    if not REAL_WORLD.exists():
        return []
    return sorted(p for p in REAL_WORLD.iterdir() if p.name.endswith((".yml", ".yaml")))


@pytest.mark.skipif(not REAL_WORLD.exists(), reason=f"{REAL_WORLD} is absent")
def test_every_real_file_gives_a_result() -> None:
    """Each file yields a model or at least one finding, and validity matches the findings."""
    files = _files()
    assert len(files) > 50
    for path in files:
        result = parse(path.read_bytes(), path=path.name)
        assert result.model is not None or result.findings, path.name
        assert result.valid == all(f.type == "warning" for f in result.findings), path.name


@pytest.mark.skipif(not REAL_WORLD.exists(), reason=f"{REAL_WORLD} is absent")
def test_real_files_findings_are_located() -> None:
    """Findings on real files carry a position whenever the key they name exists in the file."""
    unlocated = []
    for path in _files():
        for finding in parse(path.read_bytes(), path=path.name).findings:
            if finding.line is None and finding.key and "." not in finding.key:
                unlocated.append((path.name, finding.key, finding.message[:60]))
    allowed_without_position = {"publiccodeYmlVersion"}
    assert [] == [u for u in unlocated if u[1] not in allowed_without_position]
