"""Pages about curbside itself: the editorial policy (F17) and the sources with their licences."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from curbside.web.deps import SettingsDep, engine_for

router = APIRouter(include_in_schema=False)


def _knowledge_base(request: Request, settings):
    """The curated topics, from the engine when it exposes them, else loaded (and kept) here."""
    state = request.app.state
    kb = getattr(engine_for(request.app), "kb", None)
    if kb is None or not hasattr(kb, "topics"):
        kb = getattr(state, "knowledge_base", None)
        if kb is None:
            from curbside.knowledge.loader import load_knowledge_base

            kb = state.knowledge_base = load_knowledge_base(tuple(settings.kb_dirs))
    return kb


@router.get("/editorial-policy", response_class=HTMLResponse)
def editorial_policy(request: Request) -> Response:
    return request.app.state.templates.TemplateResponse(request, "editorial-policy.html", {})


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request, settings: SettingsDep) -> Response:
    kb = _knowledge_base(request, settings)
    topics = sorted(kb.topics.values(), key=lambda t: t.title.lower())
    return request.app.state.templates.TemplateResponse(request, "sources.html", {"topics": topics})
