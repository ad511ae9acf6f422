"""The bundled default registry: Open CoDE and the German GitHub organisations."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.default_registry import (
    build_default_registry,
    default_registrations,
    default_registry_text,
)

GOVERNMENTS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "registries"
    / "government.github.com__governments.yml"
)


def test_default_registry_holds_opencode_and_german_github() -> None:
    """Open CoDE whole and anonymous; the German orgs on github.com with GITHUB_TOKEN."""
    opencode, germany = default_registrations()
    assert (
        ("opencode", "gitlab", "https://gitlab.opencode.de", True, None),
        ("github-germany", "github", "https://github.com", "GITHUB_TOKEN", True),
    ) == (
        (opencode.name, opencode.kind, opencode.url, opencode.whole_instance, opencode.token_env),
        (
            germany.name,
            germany.kind,
            germany.url,
            germany.token_env,
            "digitalservicebund" in germany.orgs,
        ),
    )


@pytest.mark.skipif(
    not GOVERNMENTS.is_file(), reason=f"GitHub's government list is not here ({GOVERNMENTS})"
)
def test_bundled_file_matches_the_public_list() -> None:
    """The bundled file is exactly what the builder derives from GitHub's government list."""
    assert (
        build_default_registry(GOVERNMENTS.read_text(encoding="utf-8")) == default_registry_text()
    )
