"""``/api/docs``: the API reference, rendered by Swagger UI from our own origin.

Swagger UI's files come from the ``fastapi-offline`` package on PyPI (installed like any other
dependency, never fetched from a CDN at run time) and are mounted at ``/api/docs/assets``; a
same-origin script starts it, so the page keeps the strict Content-Security-Policy (no inline
script or style) and only adds ``connect-src 'self'`` to read the OpenAPI document and to try
requests out. Without JavaScript the page still links the OpenAPI document.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.deps import ContextDep, PageLanguageDep
from api.pages import CONTENT_SECURITY_POLICY, render

router = APIRouter(include_in_schema=False)
ASSETS_PATH = "/api/docs/assets"
OPENAPI_URL = "/api/v1/openapi.json"
DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("img-src", "connect-src 'self'; img-src")


def swagger_assets() -> StaticFiles:
    """Swagger UI's bundle and stylesheet as shipped by the ``fastapi-offline`` package."""
    return StaticFiles(directory=Path(str(files("fastapi_offline").joinpath("static"))))


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs_page(request: Request, context: ContextDep, language: PageLanguageDep) -> HTMLResponse:
    """The interactive API reference (Swagger UI) with a link to the raw OpenAPI document."""
    return render(
        context.templates,
        request,
        "api_docs.html",
        language,
        {
            "nav": "api",
            "openapi_url": OPENAPI_URL,
            "stylesheets": [f"{ASSETS_PATH}/swagger-ui.css"],
            "scripts": [f"{ASSETS_PATH}/swagger-ui-bundle.js", "/static/api-docs.js"],
        },
        policy=DOCS_POLICY,
    )
