"""The FastAPI application: pages, the JSON API, static files, security middleware, one error handler.

>>> from curbside.config import Settings
>>> app = create_app(Settings(data_dir="/tmp/curbside-doc"))
>>> app.openapi_url
'/api/v1/openapi.json'
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from curbside import __version__
from curbside.config import Settings, get_settings
from curbside.web.deps import AnswerEngine
from curbside.web.errors import install_error_handler
from curbside.web.ratelimit import RateLimiter
from curbside.web.recent import RecentQuestions
from curbside.web.render import STATIC_DIR, make_templates
from curbside.web.routes import api, auth, info, pages, review
from curbside.web.security import BodySizeLimitMiddleware, SecurityHeadersMiddleware

_BODY_SLACK = 8 * 1024  # room for the JSON or form wrapping around the longest allowed question


def create_app(settings: Settings | None = None, *, engine: AnswerEngine | None = None) -> FastAPI:
    """The web app for ``settings``; ``engine`` replaces ``curbside.engine.get_engine(settings)`` if given."""
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Migrate the article store, load the knowledge base, re-check approved articles' topics.
        await run_in_threadpool(auth.warm, app)
        yield

    app = FastAPI(
        title="curbside API",
        version=__version__,
        description="Guideline-backed answers to clinical questions; every clinical statement is cited.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    auth.install(app)  # answers go through the reviewed articles (curbside.review)
    app.state.recent = RecentQuestions()
    app.state.limiter = RateLimiter(settings.web.rate_limit_per_minute)
    app.state.templates = make_templates()

    install_error_handler(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=4 * settings.max_question_chars + _BODY_SLACK)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(info.router)
    app.include_router(api.router)
    app.include_router(auth.router)
    app.include_router(review.router)
    return app
