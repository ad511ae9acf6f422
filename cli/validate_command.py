"""`codereuse validate PATH...`: check publiccode.yml files like the crawler does.

Output is one line per finding, ``PATH:LINE:COLUMN: error|warning: KEY: MESSAGE`` (0 for an
unknown line or column; the key part is left out when there is none), the format editors and
CI read as vim's errorformat; ``--format json`` prints one object per file instead. Exit status:
1 when any file has an error, 2 for unusable arguments (a missing or unreadable file, a directory
without publiccode.yml), 0 otherwise.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx
import typer

from cli import ui
from crawler.pinning import PinnedSyncBackend, PinnedSyncTransport
from crawler.publiccode_network import check_network
from schemas.findings import Finding
from schemas.publiccode import FILE_NAMES, ParseResult, parse


class OutputFormat(StrEnum):
    """How findings are printed."""

    text = "text"
    json = "json"


@dataclass(frozen=True)
class Source:
    """One file to validate: the name to show, its bytes and where its relative files are."""

    name: str
    data: bytes
    base_dir: Path


def _usage_error(message: str) -> typer.Exit:
    ui.echo(f"codereuse validate: {message}", err=True)
    return typer.Exit(2)


def _read(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise _usage_error(f"{shown}: cannot read ({error.strerror or error})") from None


def collect_sources(paths: list[str]) -> list[Source]:
    """The files named by ``paths`` (``-`` is standard input; a directory means its
    publiccode.yml/publiccode.yaml); raises a usage error (exit 2) for any unusable one."""
    sources: list[Source] = []
    for given in paths:
        if given == "-":
            sources.append(Source("-", sys.stdin.buffer.read(), Path.cwd()))
            continue
        path = Path(given)
        if path.is_dir():
            found = [path / name for name in FILE_NAMES if (path / name).is_file()]
            if not found:
                raise _usage_error(
                    f"{given}: no publiccode.yml or publiccode.yaml in this directory"
                )
            sources.extend(Source(str(f), _read(f, str(f)), f.parent) for f in found)
        elif path.exists():
            sources.append(Source(given, _read(path, given), path.parent))
        else:
            raise _usage_error(f"{given}: no such file; give the path of a publiccode.yml")
    return sources


def _line(finding: Finding, language: str) -> str:
    from api.findings_text import finding_message

    key = f"{finding.key}: " if finding.key else ""
    text = finding_message(finding, language)
    return f"{finding.line or 0}:{finding.column or 0}: {finding.type}: {key}{text}"


def _as_json(name: str, findings: list[Finding], language: str) -> dict[str, Any]:
    from api.findings_text import finding_message

    return {
        "path": name,
        "valid": not any(f.type == "error" for f in findings),
        "findings": [
            {
                "type": f.type,
                "key": f.key,
                "line": f.line or 0,
                "column": f.column or 0,
                "message": f.message,
                "code": f.code,
                "text": finding_message(f, language),
            }
            for f in findings
        ],
    }


def _load_ipa_codes(path: Path | None) -> frozenset[str] | None:
    if path is None:
        return None
    text = _read(path, str(path)).decode("utf-8", errors="replace")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def http_client(timeout: float) -> httpx.Client:
    """The client of the --network checks; tests replace this factory with a fake transport."""
    # Every connection, redirects included, goes to an address the SSRF guard checked.
    backend = PinnedSyncBackend(where="publiccode.yml network check")
    return httpx.Client(
        timeout=timeout,
        headers={"User-Agent": "codereuse-validate (+publiccode.yml checks)"},
        transport=PinnedSyncTransport(backend),
    )


def _online(
    source: Source, result: ParseResult, base_url: str | None, timeout: float
) -> list[Finding]:
    with http_client(timeout) as client:
        extra = check_network(source.data, result, client, base_url=base_url)
    return sorted([*result.findings, *extra], key=lambda f: (f.line or 0, f.column or 0))


def validate(
    paths: list[str] = typer.Argument(
        ...,
        metavar="PATH...",
        help="publiccode.yml files, directories holding one, or - for standard input.",
    ),
    output: OutputFormat = typer.Option(
        OutputFormat.text, "--format", help="text: one line per finding; json: one object per file."
    ),
    network: bool = typer.Option(
        False,
        "--network",
        help="Also check online: URLs answer, url is a code repository, remote logos download.",
    ),
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="With --network: raw URL of the repository root, to check relative logo and "
        "screenshot paths online.",
    ),
    ipa_codes: Path | None = typer.Option(
        None,
        "--ipa-codes",
        help="File with one Italian public administration (iPA) code per line, to check "
        "urn:x-italian-pa: URIs against (without it only their shape is checked).",
    ),
    timeout: float = typer.Option(30.0, "--timeout", help="With --network: seconds per request."),
    no_files: bool = typer.Option(
        False,
        "--no-files",
        help="Skip the checks of files the publiccode.yml refers to (logo, screenshots, "
        "authorsFile), e.g. for a file copied out of its repository.",
    ),
    lang: str = typer.Option("", "--lang", help="de or en (default: from LANG)."),
) -> None:
    """Validate publiccode.yml files against the standard (0.7) as the crawler does.

    Prints one line per finding, PATH:LINE:COLUMN: error|warning: KEY: MESSAGE (in German when
    LANG is de_*, or with --lang de), and exits 1 when a file has an error. JSON gives each
    finding's code, English message and text in the language. Files referenced by the file (logo, screenshots) are checked relative
    to its directory.

    Example: codereuse validate publiccode.yml ../other-repo --format json
    """
    from cli.status_command import cli_language

    language = cli_language(lang)
    sources = collect_sources(paths)
    codes = _load_ipa_codes(ipa_codes)
    reports: list[tuple[str, list[Finding]]] = []
    for source in sources:
        base_dir = None if no_files else source.base_dir
        result = parse(source.data, path=source.name, base_dir=base_dir, ipa_codes=codes)
        findings = _online(source, result, base_url, timeout) if network else result.findings
        reports.append((source.name, findings))
    if output is OutputFormat.json:
        typer.echo(
            json.dumps([_as_json(name, found, language) for name, found in reports], indent=2)
        )
    else:
        for name, found in reports:
            for finding in found:
                ui.echo(f"{name}:{_line(finding, language)}")
    errors = sum(1 for _, found in reports for f in found if f.type == "error")
    warnings = sum(1 for _, found in reports for f in found if f.type == "warning")
    invalid = sum(1 for _, found in reports if any(f.type == "error" for f in found))
    ui.echo(
        f"{len(reports)} file(s) checked: {invalid} invalid, {errors} error(s), "
        f"{warnings} warning(s)",
        err=True,
    )
    if errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `validate` to the codereuse command."""
    app.command("validate")(validate)
