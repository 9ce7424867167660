"""Related questions: other facets of the same topic and neighbouring topics, all answerable."""

from __future__ import annotations

from curbside.answer.text import words
from curbside.knowledge.loader import KnowledgeBase
from curbside.knowledge.schema import Topic

MAX_RELATED = 10
MIN_RELATED = 5


def related_questions(topic: Topic, kb: KnowledgeBase, asked: str, supporting: tuple[Topic, ...] = (),
                      limit: int = MAX_RELATED) -> list[str]:
    """5-12 full questions: the topic's own related questions, then neighbours' (never the one asked)."""
    asked_words = set(words(asked))
    out: list[str] = []

    def add(q: str) -> None:
        w = set(words(q))
        if q in out or (w and len(w & asked_words) / len(w) > 0.9):
            return
        out.append(q)

    for q in topic.related_questions:
        add(q)
    neighbours = [*supporting, *(kb.topics[t] for t in topic.related_topics if t in kb.topics)]
    i = 0
    while len(out) < limit and any(i < len(n.related_questions) for n in neighbours):
        for n in neighbours:
            if i < len(n.related_questions) and len(out) < limit:
                add(n.related_questions[i])
        i += 1
        if len(out) >= limit and i >= 2:
            break
    return out[:limit]
