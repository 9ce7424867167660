"""Asking and re-finding answers for the pages and the API (no HTTP here)."""

from __future__ import annotations

from curbside.answer.model import Answer
from curbside.config import Settings
from curbside.errors import InputTooLarge, NotFound, UsageError
from curbside.web.deps import AnswerEngine
from curbside.web.recent import Asked, RecentQuestions, question_for_slug


def check_question(question: str, *, settings: Settings) -> str:
    """The question, stripped; raises ``UsageError`` when empty and ``InputTooLarge`` over the limit."""
    if len(question) > settings.max_question_chars:
        raise InputTooLarge(
            f"The question is too long: {len(question)} characters; the limit is {settings.max_question_chars}."
        )
    question = question.strip()
    if not question:
        raise UsageError("Please type a question.")
    return question


def ask(
    *, engine: AnswerEngine, recent: RecentQuestions, settings: Settings, question: str, audience: str,
    thread_id: str | None = None,
) -> Answer:
    """Answers ``question`` and remembers it under the answer's slug so its URL works."""
    question = check_question(question, settings=settings)
    answer = engine.ask(question, audience=audience, thread_id=thread_id or None)
    recent.remember(answer.slug, question, thread_id=thread_id or None, answer=answer)
    return answer


def answer_for_slug(*, engine: AnswerEngine, recent: RecentQuestions, slug: str, audience: str) -> Answer:
    """The answer shown at ``slug`` for ``audience`` (the one just asked, else asked again)."""
    asked = question_for_slug(slug, recent, stored=getattr(engine, "question_for_slug", None))
    handed_over = asked.take(audience)
    if handed_over is not None:
        return handed_over
    if not asked.question:
        raise UsageError("This address does not name a question.")
    try:
        answer = engine.ask(asked.question, audience=audience, thread_id=asked.thread_id)
    except NotFound:  # the thread is gone (data dir wiped): answer the question on its own
        if asked.thread_id is None:
            raise
        asked = Asked(asked.question)
        answer = engine.ask(asked.question, audience=audience)
    recent.remember(slug, asked.question, thread_id=asked.thread_id)
    return answer
