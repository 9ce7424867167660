"""Read-only views of the store for the review pages: the queue, one article with its history, a diff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from curbside.answer.model import Answer
from curbside.review.diff import diff_answers
from curbside.store import articles, audit
from curbside.store.db import Database


@dataclass(frozen=True)
class QueueRow:
    id: int
    title: str
    question: str
    audience: str
    status: str
    updated: str
    versions: int


@dataclass(frozen=True)
class ArticleView:
    """One article as a reviewer reads it: the newest version, every version, and its audit trail."""

    id: int
    key: str
    status: str
    reviewed_by: str | None
    audience: str
    question: str
    answer: Answer
    version: int
    versions: list[dict[str, Any]]
    history: list[dict[str, Any]]


def queue(db: Database, *, status: str | None = None) -> tuple[list[QueueRow], dict[str, int]]:
    """(articles in ``status`` or all, newest change first; counts by status)."""
    with db.transaction() as s:
        rows = []
        for a in articles.list_articles(s, status=status):
            latest = articles.latest_version(s, article_id=a.id)
            rows.append(QueueRow(a.id, a.title, a.question, a.audience, a.status, a.updated_at.isoformat(),
                                 latest.number if latest else 0))
        return rows, articles.count_by_status(s)


def article_view(db: Database, *, article_id: int) -> ArticleView:
    """The article, its newest version's answer, all versions and its history; raises ``NotFound``."""
    with db.transaction() as s:
        a = articles.get_article(s, article_id=article_id)
        versions = articles.list_versions(s, article_id=article_id)
        latest = versions[-1]
        return ArticleView(
            id=a.id, key=a.key, status=a.status, reviewed_by=a.reviewed_by, audience=a.audience, question=a.question,
            answer=Answer.model_validate_json(latest.answer_json), version=latest.number,
            versions=[{"number": v.number, "author": v.author, "at": v.created_at.isoformat(), "note": v.note}
                      for v in reversed(versions)],
            history=[audit.as_dict(e) for e in audit.entries(s, article_id=article_id)],
        )


def version_answer(db: Database, *, article_id: int, number: int) -> Answer:
    """The answer of one version; raises ``NotFound``."""
    with db.transaction() as s:
        return Answer.model_validate_json(articles.get_version(s, article_id=article_id, number=number).answer_json)


def version_diff(db: Database, *, article_id: int, old: int, new: int) -> list[tuple[str, str]]:
    """The line diff from version ``old`` to version ``new``."""
    return diff_answers(version_answer(db, article_id=article_id, number=old),
                        version_answer(db, article_id=article_id, number=new))
