"""Answering through the articles: every answered question is stored as an article; an approved article
is what readers get for the same or an equivalent question; a changed source sends it back to review.

:class:`ReviewService` has the engine's ``ask``/``topics`` shape, so the web app and the CLI use it in
the engine's place (``curbside.web.deps.AnswerEngine``).

>>> service = ReviewService(Database.open(settings), get_engine(settings))   # doctest: +SKIP
>>> service.ask("first-line treatment for hypertension?").review.status      # doctest: +SKIP
'submitted'
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from curbside.answer.model import Answer, Review
from curbside.errors import Conflict
from curbside.review.keys import equivalence_key, should_store
from curbside.review.sources import fingerprint, topic_versions
from curbside.store import articles, audit
from curbside.store.db import Database, StoreError
from curbside.store.models import Article, ArticleVersion

log = logging.getLogger(__name__)

ENGINE = "engine"  # the author of generated versions and the actor of automatic changes


def stored_json(answer: Answer) -> str:
    """The JSON kept in a version: the answer without what belongs to one reader's visit."""
    return answer.model_copy(update={"thread_id": None}).model_dump_json()


def present(article: Article, version: ArticleVersion, asked: Answer | None = None) -> Answer:
    """The answer a reader sees for ``version``: its content, the article's review status, the asker's question."""
    stored = Answer.model_validate_json(version.answer_json)
    review = Review(status=article.status, last_updated=version.created_at.date().isoformat(),
                    reviewed_by=article.reviewed_by if article.status == "approved" else None,
                    article_id=article.id, version=version.number)
    update: dict[str, Any] = {"review": review}
    if asked is not None:
        update.update(question=asked.question, normalized_question=asked.normalized_question, slug=asked.slug,
                      thread_id=asked.thread_id)
    return stored.model_copy(update=update)


@dataclass
class SourceCheck:
    """What :meth:`ReviewService.recheck_topics` found."""

    checked: int
    invalidated: list[int]


class ReviewService:
    """The engine's ``ask`` and ``topics``, answered through the article store."""

    def __init__(self, db: Database, engine: Any | Callable[[], Any]) -> None:
        self.db = db
        self._engine = engine
        self._lock = threading.Lock()
        self._ready = False

    def ready(self) -> None:
        """Brings the database schema up to date, once per process (migrations run on start)."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self.db.upgrade()
                    self._ready = True

    @property
    def engine(self):
        """The answer engine (built on first use when a factory was given)."""
        if callable(self._engine) and not hasattr(self._engine, "ask"):
            with self._lock:
                if callable(self._engine) and not hasattr(self._engine, "ask"):
                    self._engine = self._engine()
        return self._engine

    # ---- the engine's interface -----------------------------------------------------
    def ask(self, question: str, audience: str = "clinician", thread_id: str | None = None) -> Answer:
        """The engine's answer, or the article's current version when one exists for its equivalence key."""
        answer = self.engine.ask(question, audience=audience, thread_id=thread_id)
        if not should_store(answer):
            return answer
        try:
            self.ready()
            try:
                return self._through_article(answer)
            except Conflict:  # another process created the same article at the same moment: use theirs
                return self._through_article(answer)
        except StoreError as exc:
            # The answer is still worth giving: unreviewed, with the pending-review banner, as the engine made it.
            log.warning("article store unavailable, answering without it: %s", exc.message)
            return answer

    def topics(self) -> list[dict[str, Any]]:
        """The knowledge base's topics (from the engine)."""
        return self.engine.topics()

    def question_for_slug(self, slug: str) -> str | None:
        """The question first asked at ``slug``, when an article was made for it."""
        self.ready()
        with self.db.transaction() as s:
            article = articles.find_article_by_slug(s, slug=slug)
            return article.question if article is not None else None

    # ---- the article path -----------------------------------------------------------
    def _through_article(self, answer: Answer) -> Answer:
        key = equivalence_key(answer)
        fresh = fingerprint(answer)
        with self.db.transaction() as s:
            article = articles.find_article(s, key=key)
            if article is None:
                article = articles.create_article(s, key=key, slug=answer.slug, question=answer.question,
                                                  title=answer.title, audience=answer.audience)
                version = articles.add_version(s, article=article, answer_json=stored_json(answer), author=ENGINE,
                                               sources=fresh)
                audit.record(s, actor=ENGINE, action="created", article_id=article.id, to_version=version.number,
                             to_status=article.status, detail=f"first asked as: {answer.question[:300]}")
                return present(article, version, answer)
            version = articles.latest_version(s, article_id=article.id)
            if version is not None and articles.version_sources(version) == fresh:
                return present(article, version, answer)
            article = articles.get_article(s, article_id=article.id, for_update=True)
            version = self._new_engine_version(s, article, answer, fresh, reason="sources_changed")
            return present(article, version, answer)

    def _new_engine_version(self, s, article: Article, answer: Answer, fresh: list[str], *, reason: str) -> ArticleVersion:
        """A new generated version because a source changed; an approved article goes back to review."""
        previous = articles.latest_version(s, article_id=article.id)
        old = set(articles.version_sources(previous)) if previous else set()
        version = articles.add_version(s, article=article, answer_json=stored_json(answer), author=ENGINE,
                                       sources=fresh, note="a cited source changed")
        from_status = article.status
        if article.status == "approved":
            article.status = "under_review"
            article.reviewed_by = None
        article.title = answer.title
        changed = sorted(old ^ set(fresh))
        audit.record(s, actor=ENGINE, action=reason, article_id=article.id,
                     from_version=previous.number if previous else None, to_version=version.number,
                     from_status=from_status, to_status=article.status,
                     detail="sources changed: " + ", ".join(changed)[:2000])
        return version

    def recheck_topics(self, current: dict[str, str]) -> SourceCheck:
        """Sends back to review every approved article citing a topic whose hash is no longer ``current[id]``.

        ``current`` maps topic id -> content hash (the loaded knowledge base). Cheap: nothing is re-asked;
        the new version is generated the next time the question is asked.
        """
        invalidated: list[int] = []
        with self.db.transaction() as s:
            approved = articles.list_articles(s, status="approved", limit=1_000_000)
            for article in approved:
                version = articles.latest_version(s, article_id=article.id)
                used = topic_versions(articles.version_sources(version)) if version else {}
                stale = sorted(t for t, h in used.items() if current.get(t) != h)
                if not stale:
                    continue
                article.status = "under_review"
                article.reviewed_by = None
                invalidated.append(article.id)
                audit.record(s, actor=ENGINE, action="sources_changed", article_id=article.id,
                             from_version=version.number if version else None,
                             to_version=version.number if version else None, from_status="approved",
                             to_status="under_review", detail="knowledge-base topic changed: " + ", ".join(stale))
        return SourceCheck(checked=len(approved), invalidated=invalidated)

    def recheck_all(self) -> SourceCheck:
        """Asks every approved article's question again, so any changed source (a topic, or an imported
        document re-ingested with other text) sends it back to review now rather than at the next reader."""
        with self.db.transaction() as s:
            approved = [(a.id, a.question, a.audience) for a in articles.list_articles(s, status="approved",
                                                                                     limit=1_000_000)]
        invalidated = []
        for article_id, question, audience in approved:
            answer = self.ask(question, audience=audience)
            if answer.review.article_id == article_id and answer.review.status != "approved":
                invalidated.append(article_id)
        return SourceCheck(checked=len(approved), invalidated=invalidated)


def current_topic_hashes(engine: Any) -> dict[str, str]:
    """topic id -> content hash for the engine's loaded knowledge base."""
    kb = getattr(engine, "kb", None)
    if kb is None:
        return {}
    return {t.id: t.content_hash() for t in kb.topics.values()}


def reviewed_engine(engine: Any, settings=None) -> ReviewService:
    """``engine`` answering through the article store of ``settings`` (the CLI's ``ask`` uses it)."""
    from curbside.config import get_settings
    from curbside.store.db import Database, database_url

    return ReviewService(Database(database_url(settings or get_settings())), engine)
