"""The bundled default registry (``crawler/default_forges.yml``): what a fresh install crawls.

Open CoDE's GitLab (``https://gitlab.opencode.de``, the whole instance, anonymous) and the German
public-sector GitHub organisations of GitHub's government list (section ``Germany`` of
``github/government.github.com:_data/governments.yml``), crawled with the token in
``GITHUB_TOKEN``. The YAML file is derived from that public list by `build_default_registry`
(run ``python -m crawler.default_registry PATH/governments.yml > crawler/default_forges.yml``);
a test checks the bundled file still matches the list in ``../shared``.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

import yaml

from crawler.registration import build_registration
from crawler.registries import dump_forges_yaml, parse_registry
from crawler.registry_organisations import github_government
from schemas.forge import ForgeRegistration
from schemas.organisation import RegistryOrganisation

GERMAN_SECTIONS = ("Germany",)
GOVERNMENT_LIST_FORGE = "github-germany"
"""The default registry's forge whose organisations come from GitHub's government list."""
SOURCE = "github/government.github.com @ 1d5af7e6, _data/governments.yml, section Germany"


def build_default_registry(governments_yml: str) -> str:
    """The text of ``default_forges.yml`` built from the text of GitHub's government list."""
    document = yaml.safe_load(governments_yml) or {}
    logins = [str(login) for section in GERMAN_SECTIONS for login in document.get(section) or []]
    registrations = [
        build_registration("https://gitlab.opencode.de", kind="gitlab", name="opencode"),
        build_registration(
            "https://github.com",
            kind="github",
            name=GOVERNMENT_LIST_FORGE,
            orgs=logins,
            token_env="GITHUB_TOKEN",
        ),
    ]
    header = (
        "# Bundled default registry of codereuse: Open CoDE's GitLab (whole instance, anonymous)\n"
        "# and the German public-sector GitHub organisations (crawled when GITHUB_TOKEN is set).\n"
        f"# The organisations are derived from {SOURCE}.\n"
        "# Regenerate: python -m crawler.default_registry governments.yml > crawler/default_forges.yml\n"
    )
    return header + dump_forges_yaml(registrations)


def default_registry_text() -> str:
    """The bundled ``default_forges.yml`` as shipped in the package."""
    return files("crawler").joinpath("default_forges.yml").read_text(encoding="utf-8")


def default_registrations() -> list[ForgeRegistration]:
    """The registrations of the bundled default registry."""
    return parse_registry(default_registry_text(), source="default_forges.yml").registrations


def default_organisations() -> list[RegistryOrganisation]:
    """What GitHub's government list says of the default registry's GitHub organisations: each
    is a public body of Germany (section ``Germany``), as ``forges import governments.yml``
    would keep it, so their records are not left with kind ``unknown``."""
    logins = [
        login
        for registration in default_registrations()
        if registration.name == GOVERNMENT_LIST_FORGE
        for login in registration.orgs
    ]
    return github_government({GERMAN_SECTIONS[0]: logins}, "default_forges.yml")


if __name__ == "__main__":  # pragma: no cover - a maintainer's command, see the module docstring
    sys.stdout.write(build_default_registry(Path(sys.argv[1]).read_text(encoding="utf-8")))
