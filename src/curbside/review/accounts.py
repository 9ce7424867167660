"""Accounts: argon2 password hashes, roles, login with lockout, and login sessions.

Roles: ``reviewer`` (medical advisory board: the only role that approves), ``editor`` (edits and
submits), ``admin`` (manages accounts, reads the audit log). Readers need no account.

After :data:`MAX_FAILURES` wrong passwords in a row an account is locked for :data:`LOCKOUT`; a
correct password resets the count. Unknown emails cost the same hashing time as known ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from curbside.errors import Conflict, CurbsideError, PermissionDenied, UsageError
from curbside.store import accounts as store
from curbside.store import audit
from curbside.store.db import Database
from curbside.store.models import utcnow

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=12)
MIN_PASSWORD = 10

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("curbside-dummy-password")


class LoginFailed(CurbsideError):
    """Wrong email or password, or a locked account (the message does not say which email exists)."""

    exit_code = 6
    http_status = 401


@dataclass(frozen=True)
class Account:
    """A signed-in user, as the web layer and the workflow see it."""

    id: int
    email: str
    role: str

    @property
    def can_approve(self) -> bool:
        return self.role == "reviewer"

    @property
    def can_edit(self) -> bool:
        return self.role in ("reviewer", "editor")

    @property
    def can_audit(self) -> bool:
        return self.role == "admin"


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_new_password(password: str) -> None:
    """Raises ``UsageError`` for a password too weak to accept."""
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must be at least {MIN_PASSWORD} characters long")


def add_user(db: Database, *, email: str, password: str, role: str) -> Account:
    """Creates an account; raises ``UsageError`` for a bad email, role or password, ``Conflict`` if it exists."""
    email = email.strip().lower()
    if role not in store.ROLES:
        raise UsageError(f"unknown role {role!r}; choose one of {', '.join(store.ROLES)}")
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise UsageError(f"not an email address: {email!r}")
    check_new_password(password)
    with db.transaction() as s:
        if store.get_user_by_email(s, email=email) is not None:
            raise Conflict(f"a user {email} already exists")
        user = store.create_user(s, email=email, password_hash=hash_password(password), role=role)
        audit.record(s, actor="cli", action="user_added", detail=f"{email} as {role}")
        return Account(user.id, user.email, user.role)


def authenticate(db: Database, *, email: str, password: str) -> Account:
    """The account for these credentials; raises ``LoginFailed`` (also while locked out)."""
    now = utcnow()
    with db.transaction() as s:
        user = store.get_user_by_email(s, email=email or "")
        if user is None or not user.active:
            _verify(_DUMMY_HASH, password)
            raise LoginFailed("Wrong email or password.")
        if user.locked_until is not None and user.locked_until > now:
            raise LoginFailed("Too many failed attempts: this account is locked for a while. Try again later.")
        if not _verify(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                audit.record(s, actor=user.email, action="account_locked",
                             detail=f"{MAX_FAILURES} failed logins; locked for {LOCKOUT}")
            failure = LoginFailed("Wrong email or password.")
        else:
            user.failed_logins = 0
            user.locked_until = None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            audit.record(s, actor=user.email, action="login")
            return Account(user.id, user.email, user.role)
    raise failure  # after the commit, so the failure count is kept


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """What is stored for a session token (never the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Database, *, account: Account) -> str:
    """A new session token for ``account`` (the cookie's value)."""
    token = secrets.token_urlsafe(32)
    with db.transaction() as s:
        store.delete_expired_sessions(s)
        user = store.get_user_by_email(s, email=account.email)
        if user is None:
            raise PermissionDenied("no such account")
        store.add_login_session(s, token_hash=token_hash(token), user=user, lifetime=SESSION_LIFETIME)
    return token


def account_for_token(db: Database, *, token: str | None) -> Account | None:
    """The signed-in account for a session token, or None (unknown, expired, or deactivated)."""
    if not token or len(token) > 200:
        return None
    with db.transaction() as s:
        row = store.get_login_session(s, token_hash=token_hash(token))
        if row is None or not row.user.active:
            return None
        return Account(row.user.id, row.user.email, row.user.role)


def end_session(db: Database, *, token: str | None) -> None:
    """Signs the session out (nothing happens for an unknown token)."""
    if token:
        with db.transaction() as s:
            row = store.get_login_session(s, token_hash=token_hash(token))
            if row is not None:
                audit.record(s, actor=row.user.email, action="logout")
            store.delete_login_session(s, token_hash=token_hash(token))


def disable_user(db: Database, *, email: str, actor: str = "cli") -> None:
    """Deactivates an account and ends its sessions; raises ``NotFound`` for an unknown email."""
    from curbside.errors import NotFound

    with db.transaction() as s:
        user = store.get_user_by_email(s, email=email)
        if user is None:
            raise NotFound(f"no account {email.strip().lower()}")
        user.active = False
        store.delete_user_sessions(s, user=user)
        audit.record(s, actor=actor, action="user_disabled", detail=user.email)


def list_accounts(db: Database) -> list[dict]:
    """Every account: email, role, active, locked until (for ``curbside users list``)."""
    with db.transaction() as s:
        return [{"email": u.email, "role": u.role, "active": u.active,
                 "locked_until": u.locked_until.isoformat() if u.locked_until and u.locked_until > utcnow() else None}
                for u in store.list_users(s)]
