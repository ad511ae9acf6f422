"""Validation throughput: files per second over the reference parser's conformance corpus.

Parses every file of ``../shared/conformance/publiccode-parser-go`` (334 files, from bytes already
in memory, offline, with the file checks relative to each file's directory) five times in this
single process and prints the median files per second. Target: at least 500 files/s on one core.

It then times the hostile inputs of tests/publiccode/test_hostile.py (bound: 1 s per file).

Run: .venv/bin/python bench/validate.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from schemas.publiccode import parse  # noqa: E402

CORPUS = PROJECT_ROOT.parent / "shared" / "conformance" / "publiccode-parser-go"


def main() -> int:
    """Print the median throughput; exit 2 when the corpus is absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 2
    files = [
        (p, p.read_bytes())
        for p in sorted(CORPUS.rglob("*"))
        if p.name.endswith((".yml", ".yaml", ".yml.disabled"))  # the corpus' 334 data files
    ]
    parse(files[0][1])  # load the lazily built tables (SPDX, language registry) once
    rates = []
    for run in range(args.runs):
        start = time.perf_counter()
        for path, data in files:
            parse(data, path=path.name, base_dir=path.parent)
        elapsed = time.perf_counter() - start
        rates.append(len(files) / elapsed)
        print(f"run {run + 1}: {len(files)} files in {elapsed:.3f} s = {rates[-1]:.0f} files/s")
    print(f"median: {statistics.median(rates):.0f} files/s over {len(files)} files (target >= 500)")
    worst_case()
    return 0


def worst_case() -> None:
    """Time the hostile inputs of the tests (bound: 1 s each), median of 3."""
    from tests.publiccode.test_hostile import WORST_INPUTS

    for name, data in sorted(WORST_INPUTS.items()):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            parse(data)
            times.append(time.perf_counter() - start)
        print(f"worst case {name!r} ({len(data):,} bytes): {statistics.median(times):.3f} s")


if __name__ == "__main__":
    raise SystemExit(main())
