"""Declared records from publiccode.yml files, valid or not, through the one validator."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from crawler.normalise import licence_from_expression, records_from_snapshots
from schemas.publiccode import PARSER_VERSION
from schemas.record import Licence
from tests.normalise.helpers import publiccode, registration, snapshot

ROOT = Path(__file__).resolve().parents[2]
REAL_WORLD = ROOT.parent / "shared" / "data" / "publiccode-real-world"
REAL_FILES = sorted(REAL_WORLD.glob("*publiccode.y*ml")) if REAL_WORLD.is_dir() else []
RECORD_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((ROOT / "schemas" / "json" / "record.schema.json").read_text(encoding="utf-8"))
)


@pytest.mark.skipif(
    not REAL_FILES, reason=f"the real-world publiccode.yml files are not here ({REAL_WORLD})"
)
def test_every_real_world_file_gives_a_schema_valid_declared_record() -> None:
    """Each real file, valid or not, becomes a declared record matching record.schema.json."""
    snapshots = [
        snapshot(
            f"https://github.com/{path.name.split('__')[1]}/{path.name.split('__')[2]}",
            publiccode=path.read_bytes(),
            forge="gh",
        )
        for path in REAL_FILES
    ]
    records = records_from_snapshots(
        snapshots, registration=registration("gh", "github", "https://github.com")
    )
    problems = {
        record.repository.url: [
            error.message for error in RECORD_SCHEMA.iter_errors(record.model_dump(mode="json"))
        ]
        for record in records
    }
    assert (len(REAL_FILES), {url: [] for url in problems}, [True] * len(records)) == (
        len(records),
        problems,
        [
            record.declared and record.provenance.parser_version == PARSER_VERSION
            for record in records
        ],
    )


def test_valid_file_maps_every_section() -> None:
    """A valid file fills the record: texts, licence, maintenance, provenance; no errors."""
    text = publiccode(
        "Formserver",
        "https://gitlab.example.org/team/formserver",
        extra='releaseDate: "2025-01-31"\nsoftwareVersion: 2.1\nlogo: img/logo.svg\n',
    )
    [record] = records_from_snapshots(
        [
            snapshot(
                "https://gitlab.example.org/team/formserver",
                publiccode=text,
                payload={"default_branch": "main"},
            )
        ],
        registration=registration(),
    )
    assert (
        True,
        True,
        "Formserver",
        "Formserver helps public administrations.",
        Licence(expression="EUPL-1.2", ids=["EUPL-1.2"], valid=True),
        ("community", ["Erika Mustermann"]),
        ("2025-01-31", "2.1"),
        "https://gitlab.example.org/team/formserver/-/raw/main/img/logo.svg",
        ("publiccode.yml", "b" * 40, "0.7"),
        [],
    ) == (
        record.declared,
        record.valid,
        record.name,
        record.descriptions["en"].short,
        record.licence,
        (record.maintenance.type, [c.name for c in record.maintenance.contacts]),
        (record.release_date.isoformat() if record.release_date else None, record.software_version),
        record.logo,
        (
            record.provenance.file_path,
            record.provenance.blob_id,
            record.provenance.publiccode_version,
        ),
        record.relations.mirrors,
    )


def test_invalid_file_still_gives_a_record_with_its_findings() -> None:
    """An invalid file gives a declared, invalid record carrying the validator's errors."""
    text = 'publiccodeYmlVersion: "0.7"\nname: Broken\nurl: "https://gitlab.example.org/team/broken"\ndevelopmentStatus: sometimes\n'
    [record] = records_from_snapshots(
        [snapshot("https://gitlab.example.org/team/broken", publiccode=text)],
        registration=registration(),
    )
    keys = {finding.key for finding in record.findings if finding.type == "error"}
    assert (True, False, "Broken", None, True) == (
        record.declared,
        record.valid,
        record.name,
        record.development_status,
        {"developmentStatus", "platforms"} <= keys,
    )


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00garbage", b"- a\n- list\n", b"name: [unclosed\n", b"a: &x [*x]\n"],
)
def test_unreadable_files_give_a_record_named_after_the_repository(content: bytes) -> None:
    """Empty, non-UTF-8, non-mapping or broken YAML still gives a declared, invalid record."""
    [record] = records_from_snapshots(
        [
            snapshot(
                "https://gitlab.example.org/team/tool", publiccode=content, payload={"name": "tool"}
            )
        ],
        registration=registration(),
    )
    assert (True, False, "tool", "gitlab.example.org/team/tool") == (
        record.declared,
        record.valid,
        record.name,
        record.id,
    )


@pytest.mark.parametrize(
    ("kind", "forge_url", "repo_url", "logo", "expected"),
    [
        (
            "gitlab",
            "https://gitlab.example.org",
            "https://gitlab.example.org/g/app",
            "./docs/logo.png",
            "https://gitlab.example.org/g/app/-/raw/main/docs/logo.png",
        ),
        (
            "github",
            "https://github.com",
            "https://github.com/o/app",
            "/logo.svg",
            "https://raw.githubusercontent.com/o/app/main/logo.svg",
        ),
        (
            "github",
            "https://ghe.example.org",
            "https://ghe.example.org/o/app",
            "logo.svg",
            "https://ghe.example.org/o/app/raw/main/logo.svg",
        ),
        (
            "gitlab",
            "https://gitlab.example.org",
            "https://gitlab.example.org/g/app",
            "https://cdn.example.org/logo.png",
            "https://cdn.example.org/logo.png",
        ),
        (
            "gitlab",
            "https://gitlab.example.org",
            "https://gitlab.example.org/g/app",
            "../../etc/passwd",
            None,
        ),
        (
            "gitlab",
            "https://gitlab.example.org",
            "https://gitlab.example.org/g/app",
            "file:///etc/logo.png",
            None,
        ),
    ],
)
def test_logo_paths_become_raw_urls(
    kind: str, forge_url: str, repo_url: str, logo: str, expected: str | None
) -> None:
    """Relative logos become raw-file URLs on the forge; paths leaving the repository are dropped."""
    text = publiccode("App", repo_url, extra=f"logo: {logo}\n")
    [record] = records_from_snapshots(
        [snapshot(repo_url, publiccode=text, payload={"default_branch": "main"})],
        registration=registration("f", kind, forge_url),  # type: ignore[arg-type]
    )
    assert expected == record.logo


def test_url_of_another_repository_claims_its_identity() -> None:
    """A file whose url names another repository keys the record there, hosting repo as mirror."""
    text = publiccode("GlobaLeaks", "https://github.com/globaleaks/GlobaLeaks.git")
    [record] = records_from_snapshots(
        [snapshot("https://gitlab.example.org/asl/globaleaks", publiccode=text)],
        registration=registration(),
    )
    assert (
        "github.com/globaleaks/globaleaks",
        "https://github.com/globaleaks/GlobaLeaks",
        ["https://gitlab.example.org/asl/globaleaks"],
        "https://gitlab.example.org/asl/globaleaks",
    ) == (
        record.id,
        record.url,
        record.mirrors,
        record.repository.url,
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (
            "EUPL-1.2 OR AGPL-3.0-or-later",
            Licence(
                expression="EUPL-1.2 OR AGPL-3.0-or-later",
                ids=["EUPL-1.2", "AGPL-3.0-or-later"],
                valid=True,
            ),
        ),
        (
            "GPL-2.0-only WITH Classpath-exception-2.0",
            Licence(
                expression="GPL-2.0-only WITH Classpath-exception-2.0",
                ids=["GPL-2.0-only", "Classpath-exception-2.0"],
                valid=True,
            ),
        ),
        ("AGPL-3.0", Licence(expression="AGPL-3.0", ids=["AGPL-3.0-only"], valid=True)),
        (
            "Proprietary-Foo",
            Licence(expression="Proprietary-Foo", ids=["Proprietary-Foo"], valid=False),
        ),
        (
            "Apache License, Version 2.0",
            Licence(expression="Apache License, Version 2.0", ids=[], valid=False),
        ),
        ("(MIT", Licence(expression="(MIT", ids=[], valid=False)),
        ("", None),
    ],
)
def test_licence_expressions(expression: str, expected: Licence | None) -> None:
    """SPDX expressions parse into ids; unknown ids and broken expressions are marked invalid."""
    assert expected == licence_from_expression(expression)
