"""Store functions for articles and their versions. Keyword-only, HTTP-free; the caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curbside.errors import NotFound
from curbside.store.models import Article, ArticleVersion, no_nul, utcnow


def get_article(session: Session, *, article_id: int, for_update: bool = False) -> Article:
    """The article with this id; raises ``NotFound``. ``for_update`` locks its row until commit (PostgreSQL)."""
    stmt = select(Article).where(Article.id == article_id)
    if for_update:
        stmt = stmt.with_for_update()
    article = session.scalar(stmt)
    if article is None:
        raise NotFound(f"no article {article_id}")
    return article


def find_article(session: Session, *, key: str) -> Article | None:
    """The article for an equivalence key, or None."""
    return session.scalar(select(Article).where(Article.key == no_nul(key)))


def find_article_by_slug(session: Session, *, slug: str) -> Article | None:
    """The oldest article first asked at this slug, or None."""
    return session.scalar(select(Article).where(Article.slug == no_nul(slug)).order_by(Article.id).limit(1))


def create_article(session: Session, *, key: str, slug: str, question: str, title: str, audience: str,
                   status: str = "submitted") -> Article:
    """A new article (no versions yet)."""
    now = utcnow()
    article = Article(key=no_nul(key), slug=no_nul(slug[:200]), question=no_nul(question), title=no_nul(title),
                      audience=audience, status=status,
                      created_at=now, updated_at=now)
    session.add(article)
    session.flush()
    return article


def add_version(session: Session, *, article: Article, answer_json: str, author: str, sources: list[str],
                note: str | None = None, at: dt.datetime | None = None) -> ArticleVersion:
    """Appends the next version to ``article`` and bumps its ``updated_at``."""
    number = (session.scalar(select(func.max(ArticleVersion.number)).where(ArticleVersion.article_id == article.id))
              or 0) + 1
    at = at or utcnow()
    version = ArticleVersion(article_id=article.id, number=number, answer_json=no_nul(answer_json), author=no_nul(author),
                             sources=json.dumps(sorted(sources)), note=no_nul(note), created_at=at)
    session.add(version)
    article.updated_at = at
    session.flush()
    return version


def latest_version(session: Session, *, article_id: int) -> ArticleVersion | None:
    """The newest version of an article."""
    return session.scalar(select(ArticleVersion).where(ArticleVersion.article_id == article_id)
                          .order_by(ArticleVersion.number.desc()).limit(1))


def get_version(session: Session, *, article_id: int, number: int) -> ArticleVersion:
    """Version ``number`` of an article; raises ``NotFound``."""
    version = session.scalar(select(ArticleVersion).where(ArticleVersion.article_id == article_id,
                                                          ArticleVersion.number == number))
    if version is None:
        raise NotFound(f"article {article_id} has no version {number}")
    return version


def list_versions(session: Session, *, article_id: int) -> list[ArticleVersion]:
    """Every version of an article, oldest first."""
    return list(session.scalars(select(ArticleVersion).where(ArticleVersion.article_id == article_id)
                                .order_by(ArticleVersion.number)))


def list_articles(session: Session, *, status: str | None = None, limit: int = 500) -> list[Article]:
    """Articles, most recently updated first, optionally only those in ``status``."""
    stmt = select(Article).order_by(Article.updated_at.desc(), Article.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(Article.status == status)
    return list(session.scalars(stmt))


def count_by_status(session: Session) -> dict[str, int]:
    """Number of articles in each status."""
    return dict(session.execute(select(Article.status, func.count()).group_by(Article.status)).all())


def version_sources(version: ArticleVersion) -> list[str]:
    """The sources a version was built from ('topic@hash', 'doc:<id>@<hash>')."""
    return list(json.loads(version.sources or "[]"))
