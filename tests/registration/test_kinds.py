"""The registry of forge kinds: one spec per kind, by name; everything else is built from it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.app import app
from crawler.kinds import KINDS, kind_names, kind_spec
from crawler.registration import build_registration
from schemas.errors import RegistrationError


def test_unknown_kind_raises_naming_the_known_ones() -> None:
    """Asking for a kind nobody registered raises, listing the registered kinds."""
    with pytest.raises(RegistrationError, match="unknown forge kind 'svn'; codereuse knows gitlab"):
        kind_spec("svn")


def test_a_registration_of_an_unknown_kind_is_refused() -> None:
    """build_registration refuses a kind that is not in the registry instead of guessing one."""
    with pytest.raises(RegistrationError, match="unknown forge kind 'bitbucket'"):
        build_registration("https://bitbucket.example.org", kind="bitbucket")


def test_every_spec_is_registered_under_its_own_name() -> None:
    """The registry's keys are the specs' names, so a spec is found by the name it carries."""
    assert all(name == spec.name for name, spec in KINDS.items())


def test_cli_kind_choices_come_from_the_registry() -> None:
    """`forges add --kind` offers exactly the registered kinds and refuses others."""
    result = CliRunner().invoke(app, ["forges", "add", "https://x.example.org", "--kind", "svn"])
    assert 2 == result.exit_code
    assert all(name in result.output for name in kind_names())
