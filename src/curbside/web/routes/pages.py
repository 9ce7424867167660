"""HTML pages for asking: home, ask (redirects to the answer's URL), the answer page, audience switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from curbside.answer.model import Audience
from curbside.web import answers
from curbside.web.deps import AUDIENCE_COOKIE, AudienceDep, EngineDep, RateLimit, RecentDep, SettingsDep
from curbside.web.render import EXAMPLE_QUESTIONS

router = APIRouter(include_in_schema=False)

_YEAR_S = 365 * 24 * 3600


def _templates(request: Request):
    return request.app.state.templates


def _is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, engine: EngineDep, audience: AudienceDep) -> Response:
    topics = sorted(engine.topics(), key=lambda t: str(t.get("title", "")).lower())
    groups = [("Conditions", [t for t in topics if t.get("kind") != "drug"]),
              ("Medicines", [t for t in topics if t.get("kind") == "drug"])]
    context = {"examples": EXAMPLE_QUESTIONS, "topic_groups": [g for g in groups if g[1]], "audience": audience}
    return _templates(request).TemplateResponse(request, "home.html", context)


def _ask_and_redirect(request: Request, engine, recent, settings, audience: str, q: str, thread_id: str | None):
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    answer = answers.ask(
        engine=engine, recent=recent, settings=settings, question=q, audience=audience, thread_id=thread_id
    )
    return RedirectResponse(request.url_for("answer_page", slug=answer.slug).path, status_code=303)


@router.get("/ask", dependencies=[RateLimit])
def ask_get(
    request: Request, engine: EngineDep, recent: RecentDep, settings: SettingsDep, audience: AudienceDep,
    q: Annotated[str, Query()] = "", thread_id: Annotated[str | None, Query()] = None,
) -> Response:
    return _ask_and_redirect(request, engine, recent, settings, audience, q, thread_id)


@router.post("/ask", dependencies=[RateLimit])
def ask_post(
    request: Request, engine: EngineDep, recent: RecentDep, settings: SettingsDep, audience: AudienceDep,
    q: Annotated[str, Form()] = "", thread_id: Annotated[str | None, Form()] = None,
) -> Response:
    return _ask_and_redirect(request, engine, recent, settings, audience, q, thread_id)


@router.get("/a/{slug}", response_class=HTMLResponse, dependencies=[RateLimit], name="answer_page")
def answer_page(request: Request, slug: str, engine: EngineDep, recent: RecentDep, audience: AudienceDep) -> Response:
    answer = answers.answer_for_slug(engine=engine, recent=recent, slug=slug, audience=audience)
    return _templates(request).TemplateResponse(request, "answer.html", {"answer": answer, "slug": slug})


@router.post("/a/{slug}/audience", dependencies=[RateLimit])
def choose_audience(
    request: Request, slug: str, audience: Annotated[Audience, Form()], engine: EngineDep, recent: RecentDep,
    settings: SettingsDep,
) -> Response:
    """Remembers the reader's audience in a cookie; htmx gets the re-worded answer, others a redirect."""
    if _is_htmx(request):
        answer = answers.answer_for_slug(engine=engine, recent=recent, slug=slug, audience=audience)
        response = _templates(request).TemplateResponse(request, "_answer.html", {"answer": answer, "slug": slug})
    else:
        response = RedirectResponse(request.url_for("answer_page", slug=slug).path, status_code=303)
    response.set_cookie(
        AUDIENCE_COOKIE, audience, max_age=_YEAR_S, httponly=True, samesite="lax",
        secure=settings.environment == "production",
    )
    return response
