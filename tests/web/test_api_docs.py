"""The API reference: Swagger UI served from our origin under the strict policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import AppClient


def test_api_reference_page_loads_only_our_own_files(client: AppClient) -> None:
    """The page names only same-origin scripts and styles, and the assets are served."""
    response = client.get("/api/docs?lang=de")
    html = response.text
    assert "API-Referenz" in html and 'href="/api/v1/openapi.json"' in html
    assert '<script src="/api/docs/assets/swagger-ui-bundle.js" defer></script>' in html
    assert "connect-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe" not in response.headers["content-security-policy"]
    bundle = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert (200, True) == (bundle.status_code, "javascript" in bundle.headers["content-type"])


def test_every_page_links_the_rendered_reference(client: AppClient) -> None:
    """The navigation's API link opens the rendered reference, not the raw OpenAPI file."""
    html = client.get("/?lang=en").text
    assert 'href="/api/docs?lang=en"' in html and 'href="/api/v1/openapi.json"' not in html


@pytest.mark.browser
def test_swagger_ui_renders_the_operations_without_policy_violations(
    page: Any, base_url: str
) -> None:
    """In chromium the reference lists the operations and the browser reports no CSP refusal."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.goto(f"{base_url}/api/docs?lang=en")
    page.locator(".opblock").first.wait_for(timeout=10_000)
    assert page.locator(".opblock").count() > 10
    assert [] == [text for text in problems if "Content Security Policy" in text]
