"""Store functions for user accounts and login sessions. Keyword-only, HTTP-free."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from curbside.store.models import LoginSession, User, no_nul, utcnow

ROLES = ("reviewer", "editor", "admin")


def get_user_by_email(session: Session, *, email: str) -> User | None:
    """The user with this email (case-insensitive), or None."""
    return session.scalar(select(User).where(User.email == no_nul(email.strip().lower())))


def create_user(session: Session, *, email: str, password_hash: str, role: str) -> User:
    """A new active user."""
    user = User(email=no_nul(email.strip().lower()), password_hash=password_hash, role=role, active=True, failed_logins=0,
                created_at=utcnow())
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    """Every user, by email."""
    return list(session.scalars(select(User).order_by(User.email)))


def add_login_session(session: Session, *, token_hash: str, user: User, lifetime: dt.timedelta) -> LoginSession:
    """Records a signed-in browser."""
    now = utcnow()
    row = LoginSession(token_hash=token_hash, user_id=user.id, created_at=now, expires_at=now + lifetime)
    session.add(row)
    session.flush()
    return row


def get_login_session(session: Session, *, token_hash: str) -> LoginSession | None:
    """The unexpired session with this token hash, or None."""
    row = session.get(LoginSession, token_hash)
    if row is None or row.expires_at <= utcnow():
        return None
    return row


def delete_login_session(session: Session, *, token_hash: str) -> None:
    """Signs a browser out."""
    session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash))


def delete_expired_sessions(session: Session) -> None:
    """Forgets sessions past their expiry."""
    session.execute(delete(LoginSession).where(LoginSession.expires_at <= utcnow()))


def delete_user_sessions(session: Session, *, user: User) -> None:
    """Signs every browser of ``user`` out."""
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
