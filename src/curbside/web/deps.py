"""What routes depend on, as annotated aliases: settings, the engine, the reader's audience, the rate limit.

Routes stay thin: they take these, call the engine, and hand the ``Answer`` to a template or to JSON.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request

from curbside.answer.model import AUDIENCES, Answer
from curbside.config import Settings
from curbside.web.ratelimit import RateLimiter
from curbside.web.recent import RecentQuestions

AUDIENCE_COOKIE = "curbside_audience"


class AnswerEngine(Protocol):
    """The part of ``curbside.engine`` the web app uses (a seam: a stand-in engine can be passed to create_app)."""

    def ask(self, question: str, audience: str = "clinician", thread_id: str | None = None) -> Answer: ...

    def topics(self) -> list[dict[str, Any]]: ...


_engine_lock = threading.Lock()


def engine_for(app: Any) -> AnswerEngine:
    """The app's engine, loaded on first use (the knowledge base and indexes take a moment to load)."""
    engine = app.state.engine
    if engine is None:
        with _engine_lock:
            engine = app.state.engine
            if engine is None:
                from curbside.engine import get_engine

                engine = app.state.engine = get_engine(app.state.settings)
    return engine


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _engine(request: Request) -> AnswerEngine:
    return engine_for(request.app)


def _recent(request: Request) -> RecentQuestions:
    return request.app.state.recent


def _audience(request: Request) -> str:
    value = request.cookies.get(AUDIENCE_COOKIE, "")
    return value if value in AUDIENCES else "clinician"


def client_key(request: Request) -> str:
    """Who a request counts against for rate limiting: the peer address (proxies are not trusted)."""
    return request.client.host if request.client else "unknown"


def rate_limit(request: Request) -> None:
    """Counts the request against its client's budget; raises ``RateLimited`` when it is spent."""
    limiter: RateLimiter = request.app.state.limiter
    limiter.hit(client_key(request))


SettingsDep = Annotated[Settings, Depends(_settings)]
EngineDep = Annotated[AnswerEngine, Depends(_engine)]
RecentDep = Annotated[RecentQuestions, Depends(_recent)]
AudienceDep = Annotated[str, Depends(_audience)]
RateLimit = Depends(rate_limit)
