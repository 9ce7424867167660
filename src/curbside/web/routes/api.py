"""The JSON API under ``/api/v1``: answers, topics and health. Answers have SPEC.md's shape."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from curbside import __version__
from curbside.answer.model import Answer, Audience
from curbside.web import answers
from curbside.web.deps import EngineDep, RateLimit, RecentDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["curbside"])

SLUG_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"  # what curbside.answer.text.slugify produces


class ErrorBody(BaseModel):
    """Every API error: a machine-readable code and a message for people."""

    error: str = Field(description="Snake-case error kind, e.g. 'usage_error', 'rate_limited'")
    message: str
    details: list[dict[str, Any]] | None = Field(None, description="Which fields were invalid (422 only)")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        description="A clinical question in free text (at most 8,000 characters by default)",
        examples=["What is the first-line treatment for hypertension in adults?"],
    )
    audience: Audience = Field("clinician", description="Who the answer is worded for")
    thread_id: str | None = Field(
        None, max_length=64, description="An earlier answer's thread_id, to follow it up (404 if unknown)"
    )


class TopicSummary(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    kind: str
    area: str | None = None


class Health(BaseModel):
    status: str = Field(description="'ok' when the server is up")
    version: str


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {400: "Bad input (e.g. an empty question)", 404: "Not found", 413: "Question or body too large",
            422: "Invalid request fields", 429: "Rate limit exceeded; see Retry-After"}
    return {c: {"model": ErrorBody, "description": text[c]} for c in codes}


@router.post("/answers", response_model=Answer, dependencies=[RateLimit], responses=_errors(400, 404, 413, 422, 429))
def create_answer(body: AskRequest, engine: EngineDep, recent: RecentDep, settings: SettingsDep) -> Answer:
    """Answer a question; pass ``thread_id`` from an earlier answer to ask a follow-up."""
    return answers.ask(
        engine=engine, recent=recent, settings=settings, question=body.question, audience=body.audience,
        thread_id=body.thread_id,
    )


@router.get("/answers/{slug}", response_model=Answer, dependencies=[RateLimit], responses=_errors(400, 422, 429))
def get_answer(
    slug: Annotated[str, Path(pattern=SLUG_PATTERN, max_length=200, description="An answer's slug")], engine: EngineDep, recent: RecentDep,
    audience: Annotated[Audience, Query(description="Who the answer is worded for")] = "clinician",
) -> Answer:
    """The answer at a slug (an answer's ``slug``); unknown slugs are answered from their words."""
    return answers.answer_for_slug(engine=engine, recent=recent, slug=slug, audience=audience)


@router.get("/topics", response_model=list[TopicSummary], dependencies=[RateLimit], responses=_errors(429))
def list_topics(engine: EngineDep) -> list[dict[str, Any]]:
    """The knowledge base's curated topics."""
    return engine.topics()


@router.get("/health", response_model=Health)
def health() -> Health:
    """Liveness: answers without loading the knowledge base."""
    return Health(status="ok", version=__version__)
