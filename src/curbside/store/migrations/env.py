"""Alembic environment: runs migrations on the connection that curbside.store.db.upgrade hands over."""

from __future__ import annotations

from alembic import context

from curbside.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` run by hand: connect to the URL in the config
        from sqlalchemy import create_engine

        with create_engine(config.get_main_option("sqlalchemy.url")).begin() as conn:
            _run(conn)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("curbside runs its migrations online only: curbside db upgrade")
run_migrations_online()
