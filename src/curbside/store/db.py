"""The database for a ``Settings``: an engine, a session factory, and the migrations.

SQLite file ``<data_dir>/curbside.db`` by default; PostgreSQL (psycopg 3) when ``database_url`` names one.
Migrations run when a :class:`Database` is opened (and with ``curbside db upgrade``); Alembic is imported
only when the schema is behind, so opening an up-to-date database stays fast.

>>> from curbside.config import Settings
>>> db = Database.open(Settings(data_dir="/tmp/curbside-doc-db"))    # doctest: +SKIP
>>> with db.transaction() as s:                                       # doctest: +SKIP
...     s.scalar(select(Article).limit(1))
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from curbside.config import Settings, get_settings
from curbside.errors import CurbsideError, UsageError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The newest migration; a test checks it equals Alembic's head.
HEAD_REVISION = "0001"
_PG_MIGRATION_LOCK = 7_264_031  # pg_advisory_lock key: one process migrates at a time


class StoreError(CurbsideError):
    """The database cannot be reached or is not usable."""


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL: ``settings.database_url``, else the SQLite file in the data directory."""
    url = settings.database_url or settings.sqlite_url
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]  # psycopg 3, not psycopg2
    return url


class Database:
    """An engine and a session factory for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise UsageError(f"unsupported database {self.dialect!r}: use SQLite or PostgreSQL")
        kwargs: dict = {"future": True}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin_immediate)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, settings: Settings | None = None, *, migrate: bool = True) -> Database:
        """The database for ``settings``, its schema brought up to date when ``migrate``."""
        db = cls(database_url(settings or get_settings()))
        if migrate:
            db.upgrade()
        return db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back if it raises."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise _store_error(exc) from exc
        finally:
            session.close()

    def revision(self) -> str | None:
        """The schema's Alembic revision (None for an empty database)."""
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError as exc:
            raise _store_error(exc) from exc

    def upgrade(self) -> str:
        """Runs the migrations up to head (a no-op when current); returns the revision."""
        if self.revision() == HEAD_REVISION:
            return HEAD_REVISION
        with _migration_lock, self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            from alembic import command

            command.upgrade(alembic_config(conn), "head")
        return HEAD_REVISION

    def dispose(self) -> None:
        """Closes every pooled connection."""
        self.engine.dispose()


_migration_lock = threading.Lock()


def alembic_config(connection=None):
    """An Alembic config for the migrations shipped in this package (bound to ``connection`` if given)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # let the "begin" listener start transactions (BEGIN IMMEDIATE)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin_immediate(conn) -> None:
    # Take the write lock at the start, so two writers queue instead of failing half-way.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _store_error(exc: SQLAlchemyError) -> CurbsideError:
    from sqlalchemy.exc import DataError, IntegrityError, OperationalError

    if isinstance(exc, DataError):  # a value the column cannot hold (too long, out of range)
        return UsageError("the input cannot be stored: a value is too long or out of range")

    if isinstance(exc, IntegrityError):
        from curbside.errors import Conflict

        return Conflict("the change conflicts with data already stored (it may have been made already)")
    if isinstance(exc, OperationalError):
        return StoreError(f"the database is not available: {str(exc.orig).splitlines()[0] if exc.orig else exc}")
    return StoreError(f"database error: {type(exc).__name__}")

