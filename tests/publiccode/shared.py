"""Where the shared, read-only test material lives (``../shared`` beside the project root)."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED = PROJECT_ROOT.parent / "shared"
CONFORMANCE = SHARED / "conformance" / "publiccode-parser-go"
REAL_WORLD = SHARED / "data" / "publiccode-real-world"


def require(path: Path) -> Path:
    """``path``, or skip the test with the reason when the shared material is absent."""
    if not path.exists():
        pytest.skip(f"{path} is absent (shared test material is not part of every clone)")
    return path
