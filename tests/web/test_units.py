"""The small parts on their own: rate limiter, recent-question map, `serve` registration, docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from curbside.errors import RateLimited
from curbside.web.cli import register
from curbside.web.ratelimit import RateLimiter
from curbside.web.recent import RecentQuestions, question_for_slug
from curbside.web.render import date_long

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_refills_over_time_and_keeps_clients_apart():
    clock = _Clock()
    limiter = RateLimiter(per_minute=60, clock=clock)
    for _ in range(60):
        limiter.hit("a")
    with pytest.raises(RateLimited) as exc:
        limiter.hit("a")
    assert exc.value.retry_after == 1
    limiter.hit("b")  # another client has its own budget
    clock.now += 1.0  # one token a second
    limiter.hit("a")
    with pytest.raises(RateLimited):
        limiter.hit("a")


def test_rate_limiter_memory_is_bounded():
    clock = _Clock()
    limiter = RateLimiter(per_minute=10, max_clients=100, clock=clock)
    for i in range(1000):
        limiter.hit(f"10.0.{i // 256}.{i % 256}")
        clock.now += 0.001
    assert len(limiter._buckets) <= 100


def test_recent_questions_are_bounded_and_fall_back_to_the_slug():
    recent = RecentQuestions(maxsize=2)
    recent.remember("a", "Question A?", thread_id=None)
    recent.remember("b", "Question B?", thread_id="t1")
    recent.remember("c", "Question C?", thread_id=None)
    assert len(recent) == 2
    assert question_for_slug("b", recent).thread_id == "t1"
    assert question_for_slug("a", recent).question == "a"  # forgotten: asked from its words
    assert question_for_slug("chronic-low-back-pain", recent).question == "chronic low back pain"


def test_dates_read_as_words():
    assert date_long("2026-01-21") == "January 21, 2026"
    assert date_long("soon") == "soon"


def test_register_adds_serve_with_its_options():
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """test root"""

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--data-dir"):
        assert option in result.output


def _route_paths(routes, prefix: str = "") -> list[str]:
    """Every path the app serves, walking into included routers (FastAPI wraps them without a path)."""
    out = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            out += _route_paths(included.routes, prefix + (route.include_context.prefix or ""))
        elif getattr(route, "path", None):
            out.append(prefix + route.path)
    return out


def test_docs_cover_every_route_and_option(app):
    text = DOCS.read_text(encoding="utf-8") + (DOCS.parent / "review.md").read_text(encoding="utf-8")
    paths = _route_paths(app.routes)
    assert len(paths) >= 15 and "/api/v1/answers" in paths and "/" in paths  # the walk really found the routes
    for path in paths:
        if path.startswith("/static") or path in {"/api/v1/openapi.json"}:
            continue
        shown = re.sub(r"\{(\w+)\}", r"<\1>", path) if not path.startswith("/api/") else path
        assert shown in text or path in text, f"{path} is not in docs/web.md or docs/review.md"
    for option in ("--host", "--port", "--data-dir", "rate_limit_per_minute", "max_question_chars"):
        assert option in text
