"""`codereuse validate`: output formats, exit statuses, directories, stdin, the console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.publiccode.test_hostile import MINIMAL

INVALID = MINIMAL.replace(b"developmentStatus: development", b"developmentStatus: finished")


def _run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_valid_file_prints_nothing_and_exits_0(tmp_path: Path) -> None:
    """A valid file has no finding lines and exit status 0."""
    (tmp_path / "publiccode.yml").write_bytes(MINIMAL)
    code, out, err = _run(str(tmp_path / "publiccode.yml"))
    assert (0, "") == (code, out)
    assert "1 file(s) checked: 0 invalid" in err


def test_text_output_is_errorformat_and_exit_1(tmp_path: Path) -> None:
    """Each finding is PATH:LINE:COLUMN: type: KEY: MESSAGE; an error exits 1."""
    path = tmp_path / "publiccode.yml"
    path.write_bytes(INVALID)
    code, out, _ = _run(str(path))
    assert 1 == code
    prefix = f"{path}:5:1: error: developmentStatus: developmentStatus must be one of"
    assert [True] == [line.startswith(prefix) for line in out.splitlines()]


def test_missing_position_prints_zero(tmp_path: Path) -> None:
    """Findings without a position print 0:0 and leave out an empty key."""
    path = tmp_path / "publiccode.yml"
    path.write_bytes(b"name: \xff\n")
    _, out, _ = _run(str(path))
    assert f"{path}:1:7: error: Invalid UTF-8" == out.split(": byte")[0]
    path.write_bytes(MINIMAL.replace(b'publiccodeYmlVersion: "0"\n', b""))
    _, out, _ = _run(str(path))
    assert out.startswith(f"{path}:0:0: error: publiccodeYmlVersion: publiccodeYmlVersion is")


def test_json_output_has_one_object_per_file(tmp_path: Path) -> None:
    """--format json prints path, valid and findings per file and still exits 1 on errors."""
    good, bad = tmp_path / "good.yml", tmp_path / "bad.yml"
    good.write_bytes(MINIMAL)
    bad.write_bytes(INVALID)
    code, out, _ = _run(str(good), str(bad), "--format", "json")
    report = json.loads(out)
    assert 1 == code
    assert [(str(good), True, []), (str(bad), False, ["developmentStatus"])] == [
        (r["path"], r["valid"], [f["key"] for f in r["findings"]]) for r in report
    ]
    assert {"type", "key", "line", "column", "message", "code", "text"} == set(
        report[1]["findings"][0]
    )


def test_directory_means_its_publiccode_yaml(tmp_path: Path) -> None:
    """A directory is validated through the publiccode.yaml (or .yml) it holds."""
    (tmp_path / "publiccode.yaml").write_bytes(INVALID)
    code, out, _ = _run(str(tmp_path), "--format", "json")
    assert (1, [str(tmp_path / "publiccode.yaml")]) == (code, [r["path"] for r in json.loads(out)])


def test_stdin_is_read_for_dash() -> None:
    """- reads the file from standard input."""
    code, out, _ = _run("-", "--format", "json", stdin=INVALID)
    assert (1, "-") == (code, json.loads(out)[0]["path"])


@pytest.mark.parametrize("make", ["missing", "empty dir"])
def test_unusable_arguments_exit_2(tmp_path: Path, make: str) -> None:
    """A missing file or a directory without publiccode.yml is a usage error (2)."""
    target = tmp_path / "nothing.yml" if make == "missing" else tmp_path
    code, out, err = _run(str(target))
    assert (2, "") == (code, out)
    assert str(target) in err


def test_unknown_option_exits_2() -> None:
    """Unknown options are usage errors."""
    assert 2 == _run("--no-such-option", "x.yml")[0]


def test_ipa_codes_file_is_used(tmp_path: Path) -> None:
    """--ipa-codes checks urn:x-italian-pa: URIs against the listed codes."""
    path = tmp_path / "publiccode.yml"
    path.write_bytes(MINIMAL + b"organisation:\n  uri: urn:x-italian-pa:no_such_pa\n")
    codes = tmp_path / "ipa.txt"
    codes.write_text("pcm\nc_h501\n", encoding="utf-8")
    assert 0 == _run(str(path))[0]
    assert 1 == _run(str(path), "--ipa-codes", str(codes))[0]


def test_console_script_runs_in_a_subprocess(tmp_path: Path) -> None:
    """The installed `codereuse` command validates a file and sets the exit status."""
    script = Path(sys.executable).parent / "codereuse"
    if not script.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")
    path = tmp_path / "publiccode.yml"
    path.write_bytes(INVALID)
    done = subprocess.run(
        [str(script), "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert 1 == done.returncode
    assert done.stdout.startswith(f"{path}:5:1: error: developmentStatus:")


def test_network_option_runs_the_online_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--network adds the online findings (here: the repository URL answers 404)."""
    import httpx

    from cli import validate_command
    from crawler import addresses

    def fake_client(timeout: float) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(404)))

    monkeypatch.setattr(validate_command, "http_client", fake_client)
    monkeypatch.setattr(addresses, "system_resolver", lambda host: ["93.184.215.14"])
    path = tmp_path / "publiccode.yml"
    path.write_bytes(MINIMAL)
    assert 0 == _run(str(path))[0]
    code, out, _ = _run(str(path), "--network")
    assert 1 == code
    assert out.startswith(
        f"{path}:3:1: error: url: 'https://github.com/italia/medusa.git' not reachable"
    )


def test_no_files_skips_referenced_file_checks(tmp_path: Path) -> None:
    """A missing logo is an error next to the file, and not checked with --no-files."""
    path = tmp_path / "publiccode.yml"
    path.write_bytes(MINIMAL.replace(b"name: Medusa", b"name: Medusa\nlogo: img/logo.svg"))
    code, out, _ = _run(str(path))
    assert (1, ["logo"]) == (code, [line.split(": ")[2] for line in out.splitlines()])
    assert (0, "") == _run(str(path), "--no-files")[:2]


def test_a_5000_digit_integer_is_validated_not_a_traceback(tmp_path: Path) -> None:
    """`codereuse validate` on a file holding a 5,000-digit integer reports findings and exits."""
    path = tmp_path / "publiccode.yml"
    path.write_bytes(MINIMAL + b"usedBy: [" + b"7" * 5_000 + b"]\n")
    code, out, err = _run("--format", "json", str(path))
    assert 0 == code, err
    assert [str(path)] == [report["path"] for report in json.loads(out)]
