"""Migrations on both backends: upgrade from empty, idempotent, head matches, downgrade works, audit triggers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from curbside.store import audit
from curbside.store.db import HEAD_REVISION, Database, alembic_config, database_url
from curbside.store.models import Base


def test_head_revision_constant_matches_alembic():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_upgrade_creates_every_table_and_is_idempotent(database_url):
    db = Database(database_url)
    assert db.revision() is None
    assert db.upgrade() == HEAD_REVISION
    assert db.upgrade() == HEAD_REVISION
    tables = set(sa.inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    db.dispose()


def test_migrations_match_the_models(db):
    """Autogenerate finds no difference between the migrated schema and the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_to_empty_and_up_again(db):
    from alembic import command

    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert not set(Base.metadata.tables) & set(sa.inspect(db.engine).get_table_names())
    db.upgrade()
    assert db.revision() == HEAD_REVISION


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_audit_log_refuses_update_and_delete_in_the_database(db, statement):
    with db.transaction() as s:
        audit.record(s, actor="a@example.org", action="login")
    with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
        conn.execute(sa.text(statement))
    with db.transaction() as s:
        assert [e.actor for e in audit.entries(s)] == ["a@example.org"]


def test_database_url_defaults_to_sqlite_in_data_dir(tmp_path):
    from curbside.config import Settings

    assert database_url(Settings(data_dir=tmp_path)) == f"sqlite:///{tmp_path / 'curbside.db'}"
    pg = Settings(data_dir=tmp_path, database_url="postgresql://u@h/db")
    assert database_url(pg) == "postgresql+psycopg://u@h/db"


def test_unsupported_database_is_a_usage_error():
    from curbside.errors import UsageError

    with pytest.raises(UsageError, match="unsupported"):
        Database("mysql://u@h/db")
