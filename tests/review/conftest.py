import pytest  # noqa: E402

from tests.store.pg import database_url, db, postgres_url  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Cheap argon2 parameters in tests (the hashing itself is argon2-cffi's; its cost is not under test)."""
    from argon2 import PasswordHasher

    from curbside.review import accounts

    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", fast)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", fast.hash("dummy"))
