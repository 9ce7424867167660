"""Store and review tests run on SQLite and on a real PostgreSQL server (see tests/store/pg.py)."""

from tests.store.pg import database_url, db, fast_password_hashing, postgres_url  # noqa: F401  (fixtures)
