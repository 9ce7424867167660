"""Related questions: 5-12 per answer, and every one of them is answered by curbside."""

from __future__ import annotations

import random

from tests.conftest import MODEL_QUESTION


def test_every_suggested_question_is_answered(engine):
    topics = sorted(engine.kb.topics.values(), key=lambda t: t.id)
    sample = random.Random(7).sample(topics, min(25, len(topics)))
    suggested = set()
    for topic in sample:
        answer = engine.ask(topic.related_questions[0] if topic.related_questions else topic.title)
        suggested.update(answer.related_questions)
    assert suggested
    uncovered = [q for q in suggested if engine.ask(q).coverage == "not_covered"]
    assert uncovered == []


def test_model_answer_has_five_to_twelve_full_questions(engine):
    related = engine.ask(MODEL_QUESTION).related_questions
    assert 5 <= len(related) <= 12
    assert all(q.endswith("?") and len(q.split()) >= 4 for q in related)


def test_questions_users_really_asked_come_first(tmp_path):
    from curbside.config import Settings
    from curbside.engine import Engine

    engine = Engine(Settings(data_dir=tmp_path))
    for _ in range(3):
        engine.ask("How can gout attacks be prevented?")
    related = engine.ask("How is gout treated?").related_questions
    assert related[0] == "How can gout attacks be prevented?"
    # the history survives a restart
    assert Engine(Settings(data_dir=tmp_path)).ask("How is gout treated?").related_questions[0] == related[0]
