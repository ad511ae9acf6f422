"""Where the shared, read-only test material lives (``../shared`` beside the project root)."""

from __future__ import annotations

import struct
import zlib
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


def png(width: int, height: int = 10) -> bytes:
    """The start of a PNG image (signature and IHDR chunk) of the given size."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )
