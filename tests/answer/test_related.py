"""Related questions: 5-12 per answer, and every one of them is answered by curbside."""

from __future__ import annotations

from tests.conftest import MODEL_QUESTION


def test_every_suggested_question_is_answered(engine):
    """Follow every related question of every topic's answer: none may be a dead end."""
    suggested = set()
    short = []
    for topic in engine.kb.topics.values():
        related = engine.ask(topic.title).related_questions
        suggested.update(related)
        if not 5 <= len(related) <= 12:
            short.append((topic.id, len(related)))
    assert not short
    uncovered = [q for q in sorted(suggested) if engine.ask(q).coverage == "not_covered"]
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


def test_personal_or_misspelt_questions_are_never_suggested_to_others(tmp_path):
    from curbside.config import Settings
    from curbside.engine import Engine

    engine = Engine(Settings(data_dir=tmp_path))
    for _ in range(4):
        engine.ask("I'm 34 and pregnant, how can gout attacks be prevented?")
        engine.ask("How can gowt attackz be prevented?")
    related = engine.ask("How is gout treated?").related_questions
    assert not any("pregnant" in q or "attackz" in q for q in related)
