"""Test helpers: a stand-in engine that wraps the real one and can change its sources, and accounts."""

from __future__ import annotations

from curbside.answer.model import Answer
from curbside.review.accounts import Account, add_user

PASSWORD = "correct horse battery"


class ChangingEngine:
    """The real engine, except that topic hashes can be changed (as if a topic file was edited)."""

    def __init__(self, engine) -> None:
        self.inner = engine
        self.kb = engine.kb
        self.changed: dict[str, str] = {}  # topic id -> new hash
        self.calls = 0

    def ask(self, question: str, audience: str = "clinician", thread_id: str | None = None) -> Answer:
        self.calls += 1
        answer = self.inner.ask(question, audience=audience, thread_id=thread_id)
        topics = [f"{t.split('@')[0]}@{self.changed.get(t.split('@')[0], t.split('@')[1])}" for t in answer.topics]
        return answer.model_copy(update={"topics": topics})

    def topics(self):
        return self.inner.topics()


def users(db) -> dict[str, Account]:
    """One account per role."""
    return {role: add_user(db, email=f"{role}@example.org", password=PASSWORD, role=role)
            for role in ("reviewer", "editor", "admin")}
