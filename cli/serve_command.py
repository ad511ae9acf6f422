"""`codereuse serve`: the JSON API and the web pages over HTTP (uvicorn), on loopback by default.

Wires what `api` may not import itself: the store, the search backend and the crawler's forge
registration check (URL, kind, SSRF refusal) for ``POST /api/v1/forges``.
"""

from __future__ import annotations

import ipaddress

import typer

from cli import ui
from schemas.errors import CodereuseError
from schemas.settings import load_settings


def build_app(database_url: str | None = None):  # type: ignore[no-untyped-def]
    """The app with the real store, search backend and registration check, from the settings."""
    from api.app import create_app
    from crawler.registration import register
    from indexer.search.factory import create_search_backend
    from indexer.store import create_store

    overrides = {"database_url": database_url} if database_url else {}
    settings = load_settings(**overrides)
    store = create_store(settings.database_url)
    search = create_search_backend(settings, store)
    return create_app(settings, store=store, search=search, register_forge=register)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: str | None = typer.Option(
        None, "--host", help="Address to listen on (default: CODEREUSE_HOST or 127.0.0.1)."
    ),
    port: int | None = typer.Option(
        None, "--port", min=1, max=65535, help="Port (default: CODEREUSE_PORT or 8000)."
    ),
) -> None:
    """Serve the search pages and the JSON API (/api/v1) until Ctrl-C.

    Writes over the API (forge registration, crawl requests) need CODEREUSE_ADMIN_TOKEN.

    Example: codereuse serve --port 8080
    """
    import uvicorn

    settings = load_settings()
    chosen_host = host or settings.host
    chosen_port = port or settings.port
    try:
        app = build_app()
    except CodereuseError as error:
        typer.echo(f"codereuse: {error}", err=True)
        raise typer.Exit(1) from None
    if not _is_loopback(chosen_host):
        ui.say(f"listening on {chosen_host}: the pages and the API are reachable from the network")
    if settings.admin_token is None:
        ui.say("API writes are disabled (set CODEREUSE_ADMIN_TOKEN to enable them)")
    ui.say(f"serving on http://{chosen_host}:{chosen_port}/ (API: /api/v1, Ctrl-C stops)")
    uvicorn.run(
        app,
        host=chosen_host,
        port=chosen_port,
        log_level="warning" if ui.QUIET else "info",
        proxy_headers=False,
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    """Add `serve` to the codereuse command."""
    app.command("serve")(serve)
