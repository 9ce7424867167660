"""The audit log: who did what, when, from which version to which. Append-only: there is no update or
delete function here, and database triggers refuse UPDATE and DELETE on the table (migration 0001)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from curbside.store.models import AuditEntry, no_nul, utcnow


def record(session: Session, *, actor: str, action: str, article_id: int | None = None,
           from_version: int | None = None, to_version: int | None = None, from_status: str | None = None,
           to_status: str | None = None, detail: str | None = None) -> AuditEntry:
    """Appends one entry."""
    entry = AuditEntry(at=utcnow(), actor=no_nul(actor), action=action, article_id=article_id,
                       from_version=from_version, to_version=to_version, from_status=from_status, to_status=to_status,
                       detail=no_nul(detail))
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, *, article_id: int | None = None, limit: int | None = None,
            newest_first: bool = True) -> list[AuditEntry]:
    """Entries, optionally for one article."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc() if newest_first else AuditEntry.id)
    if article_id is not None:
        stmt = stmt.where(AuditEntry.article_id == article_id)
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    """One entry as JSON-ready data."""
    return {"id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
            "article_id": entry.article_id, "from_version": entry.from_version, "to_version": entry.to_version,
            "from_status": entry.from_status, "to_status": entry.to_status, "detail": entry.detail}


def jsonl(session: Session) -> Iterator[str]:
    """The whole log, oldest first, one JSON object per line."""
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=500)):
        yield json.dumps(as_dict(entry), ensure_ascii=False) + "\n"
