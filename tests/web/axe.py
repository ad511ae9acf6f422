"""axe-core for the accessibility tests: fetched once from the npm registry with ``npm pack``.

The file is kept in a cache directory (``$CODEREUSE_AXE_DIR``, default
``~/.cache/codereuse/axe-core-VERSION``), so only the first run needs npm and the registry;
where neither is available the accessibility tests skip with the reason. The version is
pinned so every machine checks against the same rules.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

AXE_VERSION = "4.14.1"
SERIOUS = frozenset({"serious", "critical"})


def _cache_dir() -> Path:
    configured = os.environ.get("CODEREUSE_AXE_DIR")
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "codereuse" / f"axe-core-{AXE_VERSION}"


def axe_source() -> str:
    """The text of ``axe.min.js`` of `AXE_VERSION`; fetched with ``npm pack`` when not cached."""
    target = _cache_dir() / "axe.min.js"
    if not target.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("axe-core is not cached and npm is not installed (apt-get install npm)")
        with tempfile.TemporaryDirectory() as scratch:
            packed = subprocess.run(
                [npm, "pack", f"axe-core@{AXE_VERSION}", "--silent", "--pack-destination", scratch],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            if packed.returncode != 0:
                pytest.skip(
                    f"npm pack axe-core@{AXE_VERSION} failed: {packed.stderr.strip()[:300]}"
                )
            archive = Path(scratch) / packed.stdout.strip().splitlines()[-1]
            with tarfile.open(archive) as bundle:
                member = bundle.extractfile("package/axe.min.js")
                if member is None:
                    pytest.skip(f"{archive.name} has no package/axe.min.js")
                data = member.read()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        partial.write_bytes(data)
        partial.replace(target)
    return target.read_text(encoding="utf-8")
