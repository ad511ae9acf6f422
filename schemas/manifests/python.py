"""Python: pyproject.toml (PEP 621 ``[project]`` and Poetry), requirements*.txt, setup.cfg.

Requirement strings are read by `packaging` (PEP 508); an ``==`` pin gives the purl's version.
requirements files skip options (``-r``, ``-e``, ``--index-url``), URLs and paths. setup.cfg is
read by `configparser` (``[metadata] name``, ``[options] install_requires``,
``[options.extras_require]``). Poetry's ``python`` entry is the interpreter, not a package.
"""

from __future__ import annotations

import configparser
import tomllib
from collections.abc import Iterable
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from schemas.manifests.model import Scope
from schemas.manifests.reading import Collector, exact_version


def _pinned(requirement: Requirement) -> str | None:
    specs = list(requirement.specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "==="):
        return exact_version(specs[0].version)
    return None


def use_requirement(
    collector: Collector,
    text: str,
    scope: Scope,
    *,
    after: str | None = None,
    line: int | None = None,
) -> None:
    """Record one PEP 508 requirement string (at `line`, else found after `after`), or a
    finding when it is none."""
    stripped = text.strip()
    if line is None and stripped:
        line = collector.line_of(stripped, after=after)
    try:
        requirement = Requirement(stripped)
    except InvalidRequirement as error:
        collector.warn(
            f"{collector.path}: {stripped[:80]!r} is not a valid requirement ({str(error)[:120]})",
            line,
        )
        return
    if requirement.url:
        return  # a direct URL names no registry package
    collector.use(
        "pypi",
        requirement.name,
        version=_pinned(requirement),
        requirement=str(requirement.specifier) or None,
        scope=scope,
        line=line,
    )


def load_toml(collector: Collector) -> dict[str, Any]:
    """The manifest's TOML table; an empty one, with a finding saying what is wrong, when the
    text is not TOML (so a reader finds nothing in it, as in a table without its sections)."""
    try:
        return tomllib.loads(collector.text)
    except tomllib.TOMLDecodeError as error:
        collector.warn(
            f"{collector.path} is not valid TOML ({error}); its dependencies were not read"
        )
    except RecursionError:
        collector.warn(
            f"{collector.path} is nested too deeply to read; its dependencies were not read"
        )
    return {}


def _strings(collector: Collector, value: object, where: str) -> Iterable[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        collector.warn(f"{collector.path}: {where} should be a list of requirement strings")
        return []
    return value


def table(value: object) -> dict[str, Any]:
    """`value` when it is a TOML table, else an empty one."""
    return value if isinstance(value, dict) else {}


def publish_package(collector: Collector, type_: str, package: dict[str, Any], header: str) -> None:
    """Publish the package TOML table `package` (under `header`) names, with its version when
    that is exact; nothing when it names none."""
    name = package.get("name")
    if isinstance(name, str) and name:
        version = package.get("version")
        collector.publish(
            type_,
            name,
            version=version if isinstance(version, str) and exact_version(version) else None,
            line=collector.line_of(name, after=header),
        )


def _poetry(collector: Collector, poetry: dict[str, Any]) -> None:
    name = poetry.get("name")
    if isinstance(name, str) and name:
        collector.publish("pypi", name, line=collector.line_of(f'"{name}"', after="[tool.poetry]"))
    sections: list[tuple[str, object, Scope]] = [
        ("[tool.poetry.dependencies]", poetry.get("dependencies"), "runtime"),
        ("[tool.poetry.dev-dependencies]", poetry.get("dev-dependencies"), "development"),
    ]
    for group, content in table(poetry.get("group")).items():
        scope: Scope = "test" if group == "test" else "development"
        sections.append(
            (
                f"[tool.poetry.group.{group}.dependencies]",
                table(content).get("dependencies"),
                scope,
            )
        )
    for header, entries, scope in sections:
        for dependency, spec in table(entries).items():
            if dependency.lower() == "python":
                continue
            version = spec if isinstance(spec, str) else table(spec).get("version")
            if isinstance(spec, dict) and ("path" in spec or "git" in spec or "url" in spec):
                continue
            requirement = version if isinstance(version, str) else None
            collector.use(
                "pypi",
                dependency,
                version=exact_version(requirement) if requirement else None,
                requirement=requirement,
                scope=scope,
                line=collector.line_of(dependency, after=header),
            )


def read_pyproject(collector: Collector) -> None:
    """Fill `collector` from a pyproject.toml text (see the module docstring)."""
    data = load_toml(collector)
    project = table(data.get("project"))
    publish_package(collector, "pypi", project, "[project]")
    for text in _strings(collector, project.get("dependencies"), "project.dependencies"):
        use_requirement(collector, text, "runtime", after="[project]")
    for extra, texts in table(project.get("optional-dependencies")).items():
        for text in _strings(collector, texts, f"project.optional-dependencies.{extra}"):
            use_requirement(collector, text, "optional", after="[project.optional-dependencies]")
    for group, texts in table(data.get("dependency-groups")).items():
        for text in _strings(collector, texts, f"dependency-groups.{group}"):
            if isinstance(text, str):
                use_requirement(collector, text, "development", after="[dependency-groups]")
    _poetry(collector, table(table(data.get("tool")).get("poetry")))


def read_requirements(collector: Collector) -> None:
    """Fill `collector` from a requirements*.txt text (one requirement a line)."""
    scope: Scope = (
        "development"
        if any(word in collector.path.lower() for word in ("dev", "test", "lint", "doc"))
        else "runtime"
    )
    for number, raw in enumerate(collector.text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", ".", "/")) or "://" in line:
            continue
        use_requirement(collector, line, scope, line=number)


def read_setup_cfg(collector: Collector) -> None:
    """Fill `collector` from a setup.cfg text (see the module docstring)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(collector.text)
    except configparser.Error as error:
        collector.warn(
            f"{collector.path} is not a valid INI file ({str(error).splitlines()[0][:160]}); its dependencies were not read"
        )
        return
    name = parser.get("metadata", "name", fallback=None)
    if name and name.strip():
        collector.publish(
            "pypi", name.strip(), line=collector.line_of(name.strip(), after="[metadata]")
        )
    sections: list[tuple[str, str, Scope]] = [("options", "install_requires", "runtime")]
    if parser.has_section("options.extras_require"):
        sections += [
            ("options.extras_require", extra, "optional")
            for extra in parser.options("options.extras_require")
        ]
    for section, option, scope in sections:
        for text in parser.get(section, option, fallback="").splitlines():
            text = text.split("#", 1)[0].strip()
            if text:
                use_requirement(collector, text, scope, after=f"[{section}]")
