"""docs/review.md keeps up with the code: every store command, review route and setting is described."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from curbside.store.cli import register
from curbside.web.routes import auth, review

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text(encoding="utf-8")


def test_every_store_command_is_documented():
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """root"""

    for command in ("db upgrade", "db recheck", "users add", "users list", "users disable", "backup", "restore", "audit export"):
        assert f"curbside {command}" in DOCS, command
        assert CliRunner().invoke(app, [*command.split(), "--help"]).exit_code == 0
    assert "--role" in DOCS and "--password-stdin" in DOCS


def test_every_review_route_is_documented():
    for router in (auth.router, review.router):
        for route in router.routes:
            path = re.sub(r"\{(\w+)\}", r"<\1>", route.path)
            short = path.rsplit("/", 1)[-1]
            assert path in DOCS or f"`/{short}`" in DOCS, f"{route.path} is not in docs/review.md"


def test_settings_are_documented():
    for env in ("CURBSIDE_DATABASE_URL", "CURBSIDE_DATA_DIR", "CURBSIDE_WEB__SECRET_KEY", "CURBSIDE_ENVIRONMENT"):
        assert env in DOCS
