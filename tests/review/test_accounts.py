"""Accounts: argon2 hashes, roles, lockout after repeated failures, login sessions."""

from __future__ import annotations

import pytest

from curbside.errors import Conflict, UsageError
from curbside.review import accounts
from curbside.store import accounts as store
from curbside.store import audit
from tests.review.factories import PASSWORD


def test_password_is_stored_as_argon2id(db):
    accounts.add_user(db, email="Doc@Example.org", password=PASSWORD, role="reviewer")
    with db.transaction() as s:
        user = store.get_user_by_email(s, email="doc@example.org")
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


@pytest.mark.parametrize(("email", "password", "role", "match"), [
    ("x@example.org", PASSWORD, "superuser", "unknown role"),
    ("not-an-email", PASSWORD, "editor", "not an email"),
    ("x@example.org", "short", "editor", "at least"),
])
def test_bad_accounts_are_refused(db, email, password, role, match):
    with pytest.raises(UsageError, match=match):
        accounts.add_user(db, email=email, password=password, role=role)


def test_duplicate_account_is_a_conflict(db):
    accounts.add_user(db, email="a@example.org", password=PASSWORD, role="editor")
    with pytest.raises(Conflict):
        accounts.add_user(db, email="A@example.org", password=PASSWORD, role="editor")


def test_login_and_session_round_trip(db):
    accounts.add_user(db, email="a@example.org", password=PASSWORD, role="editor")
    account = accounts.authenticate(db, email="a@example.org", password=PASSWORD)
    token = accounts.start_session(db, account=account)
    assert accounts.account_for_token(db, token=token) == account
    accounts.end_session(db, token=token)
    assert accounts.account_for_token(db, token=token) is None
    assert accounts.account_for_token(db, token="forged") is None


def test_lockout_after_repeated_failures(db):
    accounts.add_user(db, email="a@example.org", password=PASSWORD, role="reviewer")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.LoginFailed, match="Wrong email or password"):
            accounts.authenticate(db, email="a@example.org", password="wrong password!")
    with pytest.raises(accounts.LoginFailed, match="locked"):
        accounts.authenticate(db, email="a@example.org", password=PASSWORD)  # even the right password
    with db.transaction() as s:
        assert "account_locked" in [e.action for e in audit.entries(s)]


def test_unknown_email_fails_like_a_wrong_password(db):
    with pytest.raises(accounts.LoginFailed, match="Wrong email or password"):
        accounts.authenticate(db, email="nobody@example.org", password=PASSWORD)


def test_disabled_account_cannot_log_in_and_its_sessions_end(db):
    account = accounts.add_user(db, email="a@example.org", password=PASSWORD, role="editor")
    token = accounts.start_session(db, account=account)
    accounts.disable_user(db, email="A@example.org")
    assert accounts.account_for_token(db, token=token) is None
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate(db, email="a@example.org", password=PASSWORD)
    assert accounts.list_accounts(db) == [{"email": "a@example.org", "role": "editor", "active": False,
                                          "locked_until": None}]
