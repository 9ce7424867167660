"""The real PostgreSQL server for the store tests, and a fresh database per test on each backend.

``scripts/test.sh`` starts PostgreSQL with ``scripts/postgres.sh`` and exports CURBSIDE_TEST_POSTGRES_URL.
Run locally without it, the session starts its own server with the same script (Debian's postgresql
packages are needed). It is read at import, before the autouse fixtures clear CURBSIDE_* variables.
Where the server is required (``scripts/test.sh`` sets CURBSIDE_TEST_REQUIRE_POSTGRES; also when ``CI``
is set) a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("CURBSIDE_TEST_POSTGRES_URL")
REQUIRED = bool(os.environ.get("CURBSIDE_TEST_REQUIRE_POSTGRES") or os.environ.get("CI"))
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server URL (the maintenance database), started here when the environment has none."""
    if POSTGRES_URL:
        yield POSTGRES_URL
        return
    proc = subprocess.run(["bash", str(REPO / "scripts" / "postgres.sh"), "start"], capture_output=True, text=True)
    if proc.returncode != 0:
        if REQUIRED:
            pytest.fail(f"PostgreSQL could not be started: {proc.stderr[-2000:]}")
        pytest.skip(f"no PostgreSQL: {proc.stderr.strip()[-300:]}")
    exports = dict(line.removeprefix("export ").split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
    url, pgdata = (exports[k].strip("'") for k in ("CURBSIDE_TEST_POSTGRES_URL", "CURBSIDE_TEST_PGDATA"))
    try:
        yield url
    finally:
        subprocess.run(["bash", str(REPO / "scripts" / "postgres.sh"), "stop", pgdata], capture_output=True)


def fresh_postgres_database(server_url: str) -> tuple[str, object]:
    """(url of a new empty database, a function that drops it)."""
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, then a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'curbside.db'}"
        return
    url, drop = fresh_postgres_database(request.getfixturevalue("postgres_url"))
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def db(database_url):
    """A migrated :class:`curbside.store.db.Database` on each backend."""
    from curbside.store.db import Database

    database = Database(database_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Cheap argon2 parameters in tests (the hashing itself is argon2-cffi's; its cost is not under test)."""
    from argon2 import PasswordHasher

    from curbside.review import accounts

    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", fast)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", fast.hash("dummy"))
