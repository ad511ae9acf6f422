"""From the CLI and registry files any variable may hold a forge token but codereuse's own settings."""

from __future__ import annotations

import pytest

from crawler.registration import build_registration
from crawler.registries import parse_registry
from schemas.errors import RegistrationError
from schemas.token_env import token_env_problem

OWN_SETTINGS = ["CODEREUSE_ADMIN_TOKEN", "CODEREUSE_MEILI_KEY", "CODEREUSE_DATABASE_URL"]


@pytest.mark.parametrize("variable", OWN_SETTINGS)
def test_cli_and_registry_files_never_name_own_settings(variable: str) -> None:
    """The operator's CLI and `forges import` files may not name codereuse's own settings either."""
    with pytest.raises(RegistrationError, match="own settings"):
        build_registration("https://gitlab.example.org", kind="gitlab", token_env=variable)
    text = f"forges:\n- name: land\n  kind: gitlab\n  url: https://gitlab.example.org\n  token_env: {variable}\n"
    with pytest.raises(RegistrationError, match="own settings"):
        parse_registry(text, source="forges.yml")


def test_cli_may_name_any_other_variable() -> None:
    """From the CLI (the operator), a variable outside the API's list is accepted."""
    registration = build_registration(
        "https://gitlab.example.org", kind="gitlab", token_env="LAND_GITLAB_TOKEN"
    )
    assert "LAND_GITLAB_TOKEN" == registration.token_env
    assert token_env_problem("codereuse_admin_token") is not None  # the settings ignore case
