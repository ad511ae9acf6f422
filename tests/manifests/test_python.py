"""pyproject.toml (PEP 621, Poetry), requirements*.txt and setup.cfg."""

from __future__ import annotations

from schemas.manifests import parse_manifest

PEP621 = """[build-system]
requires = ["setuptools>=69"]

[project]
name = "Formular_Dienst"
version = "2.1.0"
dependencies = [
    "fastapi>=0.110",
    "pydantic==2.7.1",
    "requests[socks]; python_version >= '3.9'",
]

[project.optional-dependencies]
postgres = ["psycopg[binary]>=3.1"]
"""


def test_pep621_pyproject() -> None:
    """[project] publishes its normalised name and uses dependencies and extras."""
    result = parse_manifest("pyproject.toml", PEP621)
    assert [("pkg:pypi/formular-dienst@2.1.0", 5)] == [(p.purl, p.line) for p in result.publishes]
    assert [
        ("pkg:pypi/fastapi", ">=0.110", "runtime", 8),
        ("pkg:pypi/pydantic@2.7.1", "==2.7.1", "runtime", 9),
        ("pkg:pypi/requests", None, "runtime", 10),
        ("pkg:pypi/psycopg", ">=3.1", "optional", 14),
    ] == [(u.purl, u.requirement, u.scope, u.line) for u in result.uses]


POETRY = """[tool.poetry]
name = "amt-toolkit"
version = "0.3.0"

[tool.poetry.dependencies]
python = "^3.11"
httpx = "^0.27"
lxml = { version = "5.2.1", optional = true }
intern = { path = "../intern" }

[tool.poetry.group.test.dependencies]
pytest = "^8.0"
"""


def test_poetry_pyproject() -> None:
    """Poetry's name and dependency tables; python and path dependencies are left out."""
    result = parse_manifest("pyproject.toml", POETRY)
    assert ["pkg:pypi/amt-toolkit"] == [p.purl for p in result.publishes]
    assert [
        ("pkg:pypi/httpx", "runtime", 7),
        ("pkg:pypi/lxml@5.2.1", "runtime", 8),
        ("pkg:pypi/pytest", "test", 12),
    ] == [(u.purl, u.scope, u.line) for u in result.uses]


def test_bad_toml_is_a_finding() -> None:
    """A pyproject.toml that is not TOML is one warning."""
    result = parse_manifest("pyproject.toml", '[project\nname = "x"')
    assert 1 == len(result.findings) and "not valid TOML" in result.findings[0].message


def test_requirement_list_of_wrong_type_is_a_finding() -> None:
    """project.dependencies that is not a list of strings is a finding, not a crash."""
    result = parse_manifest("pyproject.toml", '[project]\nname = "x"\ndependencies = "flask"\n')
    assert "project.dependencies should be a list" in result.findings[0].message


REQUIREMENTS = """# Laufzeit
Django==5.0.4  # LTS
celery>=5.3,<6
-r base.txt
--index-url https://pypi.example.org/simple
-e git+https://git.example.org/x.git#egg=x
./vendor/local-package
https://files.example.org/pkg-1.0.tar.gz
not a requirement!!
"""


def test_requirements_txt() -> None:
    """Requirement lines with their line numbers; options, paths and URLs are skipped."""
    result = parse_manifest("requirements.txt", REQUIREMENTS)
    assert [("pkg:pypi/django@5.0.4", 2), ("pkg:pypi/celery", 3)] == [
        (u.purl, u.line) for u in result.uses
    ]
    assert [9] == [f.line for f in result.findings]


def test_requirements_dev_file_is_development_scope() -> None:
    """requirements-dev.txt names development dependencies."""
    result = parse_manifest("requirements-dev.txt", "pytest\n")
    assert ["development"] == [u.scope for u in result.uses]


SETUP_CFG = """[metadata]
name = verwaltungs-client
version = 1.0

[options]
install_requires =
    httpx>=0.25
    PyYAML
[options.extras_require]
cli = typer>=0.9
"""


def test_setup_cfg() -> None:
    """setup.cfg publishes metadata.name and uses install_requires and extras."""
    result = parse_manifest("setup.cfg", SETUP_CFG)
    assert ["pkg:pypi/verwaltungs-client"] == [p.purl for p in result.publishes]
    assert [
        ("pkg:pypi/httpx", "runtime", 7),
        ("pkg:pypi/pyyaml", "runtime", 8),
        ("pkg:pypi/typer", "optional", 10),
    ] == [(u.purl, u.scope, u.line) for u in result.uses]


def test_broken_setup_cfg_is_a_finding() -> None:
    """An INI file without section headers is a finding."""
    result = parse_manifest("setup.cfg", "name = x\n")
    assert "not a valid INI file" in result.findings[0].message
