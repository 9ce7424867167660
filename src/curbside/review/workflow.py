"""Status transitions and who may make them. Every change is a new version or an audited transition.

    Submitted ──start review──▶ Under Review ──approve (reviewer)──▶ Approved
    Submitted / Under Review / Approved ──request changes (reviewer, comment)──▶ Changes Requested
    Changes Requested / Submitted ──submit──▶ Under Review
    any ──edit (editor or reviewer; a new version)──▶ Under Review
    Approved ──a cited source changes (service.py)──▶ Under Review

Approving and requesting changes name the version the reviewer read; if the article gained a newer
version meanwhile, the action is refused (``Conflict``) rather than approving unseen text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from curbside.answer.model import Answer
from curbside.errors import Conflict, PermissionDenied, UsageError
from curbside.review.accounts import Account
from curbside.review.edits import apply_form
from curbside.review.service import stored_json
from curbside.store import articles, audit
from curbside.store.db import Database
from curbside.store.models import Article, ArticleVersion

STATUSES = ("submitted", "under_review", "changes_requested", "approved")
STATUS_LABELS = {"submitted": "Submitted", "under_review": "Under review", "changes_requested": "Changes requested",
                 "approved": "Approved"}
MAX_COMMENT = 4000


@dataclass(frozen=True)
class Outcome:
    """The article's status and newest version number after an action."""

    article_id: int
    status: str
    version: int


def _comment(comment: str | None, *, required: bool = False) -> str | None:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise UsageError(f"the comment is too long ({len(comment)} characters; the limit is {MAX_COMMENT})")
    if required and not comment:
        raise UsageError("say what needs to change: a comment is required when requesting changes")
    return comment or None


def _locked(s, article_id: int, seen_version: int | None) -> tuple[Article, ArticleVersion]:
    article = articles.get_article(s, article_id=article_id, for_update=True)
    latest = articles.latest_version(s, article_id=article_id)
    if latest is None:
        raise Conflict(f"article {article_id} has no version yet")
    if seen_version is not None and seen_version != latest.number:
        raise Conflict(f"article {article_id} changed while you were reading it: version {latest.number} is newer "
                       f"than the version {seen_version} you saw. Reload it and review again.")
    return article, latest


def _transition(db: Database, *, account: Account, article_id: int, action: str, to_status: str,
                allowed_from: tuple[str, ...], seen_version: int | None, comment: str | None) -> Outcome:
    with db.transaction() as s:
        article, latest = _locked(s, article_id, seen_version)
        if article.status not in allowed_from:
            raise Conflict(f"cannot {action.replace('_', ' ')} an article that is {STATUS_LABELS[article.status].lower()}")
        from_status = article.status
        article.status = to_status
        article.reviewed_by = account.email if to_status == "approved" else None
        audit.record(s, actor=account.email, action=action, article_id=article_id, from_version=latest.number,
                     to_version=latest.number, from_status=from_status, to_status=to_status, detail=comment)
        return Outcome(article_id, article.status, latest.number)


def start_review(db: Database, *, account: Account, article_id: int) -> Outcome:
    """Submitted → Under Review (a reviewer picks the article up)."""
    if not account.can_approve:
        raise PermissionDenied("only reviewers (the medical advisory board) start reviews")
    return _transition(db, account=account, article_id=article_id, action="start_review", to_status="under_review",
                       allowed_from=("submitted",), seen_version=None, comment=None)


def submit(db: Database, *, account: Account, article_id: int, comment: str | None = None) -> Outcome:
    """Changes Requested (or Submitted) → Under Review, by an editor or reviewer."""
    if not account.can_edit:
        raise PermissionDenied("only editors and reviewers submit articles for review")
    return _transition(db, account=account, article_id=article_id, action="submit", to_status="under_review",
                       allowed_from=("submitted", "changes_requested"), seen_version=None, comment=_comment(comment))


def approve(db: Database, *, account: Account, article_id: int, version: int, comment: str | None = None) -> Outcome:
    """Approves the version the reviewer read; only reviewers may."""
    if not account.can_approve:
        raise PermissionDenied("only reviewers (the medical advisory board) can approve an article")
    return _transition(db, account=account, article_id=article_id, action="approve", to_status="approved",
                       allowed_from=("submitted", "under_review"), seen_version=version, comment=_comment(comment))


def request_changes(db: Database, *, account: Account, article_id: int, version: int, comment: str) -> Outcome:
    """Sends the article back to its editors with a comment; only reviewers may."""
    if not account.can_approve:
        raise PermissionDenied("only reviewers (the medical advisory board) can request changes")
    return _transition(db, account=account, article_id=article_id, action="request_changes",
                       to_status="changes_requested", allowed_from=("submitted", "under_review", "approved"),
                       seen_version=version, comment=_comment(comment, required=True))


def edit(db: Database, *, account: Account, article_id: int, version: int, form: Mapping[str, str],
         comment: str | None = None) -> Outcome:
    """Saves an edit of bullets and bottom line as a new version and puts the article under review.

    Raises ``UsageError`` with a clear message when the edit would leave a claim uncited or cite a
    reference that is not listed, and ``Conflict`` when ``version`` is no longer the newest.
    """
    if not account.can_edit:
        raise PermissionDenied("only editors and reviewers can edit articles")
    with db.transaction() as s:
        article, latest = _locked(s, article_id, version)
        base = Answer.model_validate_json(latest.answer_json)
        edited = apply_form(base, form)
        if stored_json(edited) == stored_json(base):
            raise UsageError("nothing changed: the edit is the same as the current version")
        new = articles.add_version(s, article=article, answer_json=stored_json(edited), author=account.email,
                                   sources=articles.version_sources(latest), note=_comment(comment))
        from_status = article.status
        article.status = "under_review"
        article.reviewed_by = None
        audit.record(s, actor=account.email, action="edit", article_id=article_id, from_version=latest.number,
                     to_version=new.number, from_status=from_status, to_status=article.status,
                     detail=_comment(comment))
        return Outcome(article_id, article.status, new.number)
