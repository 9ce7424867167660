"""``curbside serve``: the web app under Uvicorn. FastAPI and Uvicorn are imported only when it runs.

Registered on the main CLI with ``register(app)``; ``python -m curbside.web.cli`` runs it on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Adds the ``serve`` command to ``app``."""

    @app.command("serve")
    def serve(
        host: Annotated[str | None, typer.Option("--host", help="Address to bind (default: settings, 127.0.0.1)")] = None,
        port: Annotated[int | None, typer.Option("--port", help="Port to bind (default: settings, 8000)")] = None,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Where indexes and the database live")] = None,
    ) -> None:
        """Serve the web pages and the JSON API (/api/v1) with Uvicorn."""
        import uvicorn

        from curbside.config import get_settings
        from curbside.web.app import create_app

        settings = get_settings()
        web = settings.web.model_copy(update={k: v for k, v in (("host", host), ("port", port)) if v is not None})
        updates: dict = {"web": web}
        if data_dir is not None:
            updates["data_dir"] = data_dir
        settings = settings.model_copy(update=updates)
        typer.echo(f"curbside: serving on http://{web.host}:{web.port} (data in {settings.data_dir})", err=True)
        uvicorn.run(create_app(settings), host=web.host, port=web.port, log_level="warning", proxy_headers=False,
                    server_header=False)


def _standalone() -> typer.Typer:
    cli = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    register(cli)

    @cli.callback()
    def _root() -> None:
        """curbside web server."""

    return cli


if __name__ == "__main__":
    _standalone()()
