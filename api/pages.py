"""Rendering helpers for the pages: templates with the page language, safe links, safe highlights.

Jinja2 autoescaping is on for every template; the only HTML from data that is ever marked safe
is a search highlight that, apart from ``<mark>`` tags, holds escaped text (checked here, not
trusted), and only links with an http(s) scheme become ``href`` values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from api.findings_text import finding_message
from api.i18n import PAGE_LANGUAGES, translate
from schemas.findings import Finding

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
# Pages load nothing from elsewhere (no third-party requests that would tell a forge or a CDN
# who reads which page) and run no inline script: the only scripts are files from /static, each
# a progressive enhancement of a page that works without it.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
STYLE_URL = "/static/style.css"
"""The style sheet of every page (`api.app` mounts `STATIC_DIR` at ``/static``). A constant,
not ``url_path_for("static", ...)``: that walks every route of the app on each page (about
5 % of a software page's CPU)."""
_MARK_TAG = re.compile(r"</?mark>")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#x27|#39|#34);")


def make_templates() -> Jinja2Templates:
    """The page templates, with autoescaping forced on for every file."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=environment)


def safe_highlight(html: str | None, fallback: str | None) -> Markup | str | None:
    """A backend highlight as markup when it is escaped text with ``<mark>`` only; else plain text.

    Anything else (a tag, a raw ``<``, ``>`` or ``&`` that is not an entity) means the backend
    broke its contract, and the fallback text is shown escaped instead.
    """
    if not html:
        return fallback
    stripped = _ENTITY.sub("", _MARK_TAG.sub("", html))
    if any(character in stripped for character in "<>&"):
        return fallback
    return Markup(html)


def safe_href(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL (so never ``javascript:``), else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in {"http", "https"} and parts.netloc:
        return url.strip()
    return None


def page_url(path: str, pairs: list[tuple[str, str]]) -> str:
    """`path` with the query `pairs` (names repeated for lists)."""
    return f"{path}?{urlencode(pairs)}" if pairs else path


def language_links(request: Request, current: str) -> list[dict[str, Any]]:
    """The same page in each page language (query kept, ``lang`` replaced)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return [
        {
            "code": code,
            "label": LANGUAGE_NAMES[code],
            "href": page_url(request.url.path, [*kept, ("lang", code)]),
            "current": code == current,
        }
        for code in PAGE_LANGUAGES
    ]


def render(
    templates: Jinja2Templates,
    request: Request,
    name: str,
    language: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    policy: str = CONTENT_SECURITY_POLICY,
) -> HTMLResponse:
    """Render template `name` in `language` with the shared page context.

    ``context["scripts"]`` lists same-origin script URLs for the page's head (deferred).
    """

    def t(key: str, **values: Any) -> str:
        return translate(language, key, **values)

    def finding_text(finding: Finding) -> str:
        return finding_message(finding, language)

    full = {
        "request": request,
        "lang": language,
        "t": t,
        "finding_text": finding_text,
        "language_links": language_links(request, language),
        "static_url": STYLE_URL,
        "script_urls": list(context.get("scripts", ())),
        "feed_url": "/feeds/software.atom",
        **context,
    }
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    response.headers.update(page_headers(language, policy))
    return response


def page_headers(language: str, policy: str = CONTENT_SECURITY_POLICY) -> dict[str, str]:
    """The headers of every page: its language, the content security policy, Vary."""
    return {
        "Content-Language": language,
        "Content-Security-Policy": policy,
        "Vary": "Accept-Language",
    }


def error_page(
    templates: Jinja2Templates,
    request: Request,
    language: str,
    status_code: int,
    detail: str | None,
) -> HTMLResponse:
    """An error page in the page language: title and advice localised by status code.

    The technical `detail` (English, from the API's problem) is kept below the advice, marked
    ``lang="en"`` on non-English pages, for whoever reports the problem.
    """
    title = translate(language, f"error.title.{status_code}")
    if title == f"error.title.{status_code}":
        title = translate(language, "error.title.500" if status_code >= 500 else "error.title.400")
    advice = translate(language, f"error.detail.{status_code}")
    if advice == f"error.detail.{status_code}":
        advice = translate(language, "error.detail.default")
    return render(
        templates,
        request,
        "error.html",
        language,
        {"status_code": status_code, "title": title, "advice": advice, "detail": detail},
        status_code=status_code,
    )
