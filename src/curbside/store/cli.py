"""Command-line tools of the store: ``db upgrade``, ``users add``, ``backup``, ``restore``, ``audit export``.

Registered on the main CLI with ``register(app)``; SQLAlchemy and Alembic load only when one of them runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from curbside.errors import CurbsideError


def _fail(exc: CurbsideError) -> None:
    typer.echo(f"Error: {exc.message}", err=True)
    raise typer.Exit(exc.exit_code)


def _db():
    from curbside.config import get_settings
    from curbside.store.db import Database, database_url

    return Database(database_url(get_settings()))


def register(app: typer.Typer) -> None:
    """Adds the ``db``, ``users`` and ``audit`` groups and the ``backup`` and ``restore`` commands to ``app``."""
    db_app = typer.Typer(help="The article database (SQLite by default, PostgreSQL with CURBSIDE_DATABASE_URL).",
                         no_args_is_help=True)
    users_app = typer.Typer(help="Accounts of the medical advisory board.", no_args_is_help=True)
    audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")

    @db_app.command("upgrade")
    def db_upgrade() -> None:
        """Create or migrate the database schema to the newest revision."""
        try:
            db = _db()
            revision = db.upgrade()
        except CurbsideError as exc:
            _fail(exc)
        typer.echo(f"database at revision {revision} ({db.dialect})")

    @users_app.command("add")
    def users_add(
        email: Annotated[str, typer.Argument(help="The account's email address")],
        role: Annotated[str, typer.Option("--role", help="reviewer, editor or admin")] = "reviewer",
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input "
                                                     "(one line) instead of prompting")] = False,
    ) -> None:
        """Add an account; prompts twice for its password (hidden)."""
        from curbside.review.accounts import add_user, check_new_password

        try:
            if password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = typer.prompt("Password", hide_input=True)
                if typer.prompt("Repeat the password", hide_input=True) != password:
                    raise CurbsideError("the passwords do not match")
            check_new_password(password)
            db = _db()
            db.upgrade()
            account = add_user(db, email=email, password=password, role=role)
        except CurbsideError as exc:
            _fail(exc)
        typer.echo(f"added {account.email} as {account.role}")

    @users_app.command("list")
    def users_list() -> None:
        """List the accounts: email, role, and whether each is active or locked."""
        from curbside.review.accounts import list_accounts

        try:
            db = _db()
            db.upgrade()
            rows = list_accounts(db)
        except CurbsideError as exc:
            _fail(exc)
        for row in rows:
            state = "active" if row["active"] else "disabled"
            if row["locked_until"]:
                state += f", locked until {row['locked_until'][:16]}"
            typer.echo(f"{row['email']}\t{row['role']}\t{state}")

    @users_app.command("disable")
    def users_disable(email: Annotated[str, typer.Argument(help="The account's email address")]) -> None:
        """Disable an account and sign it out everywhere (its history stays in the audit log)."""
        from curbside.review.accounts import disable_user

        try:
            db = _db()
            db.upgrade()
            disable_user(db, email=email)
        except CurbsideError as exc:
            _fail(exc)
        typer.echo(f"disabled {email.strip().lower()}")

    @audit_app.command("export")
    def audit_export(file: Annotated[Path, typer.Argument(help="Where to write the JSONL ('-' for standard output)")]) -> None:
        """Write the whole audit log, oldest first, one JSON object per line."""
        from curbside.store import audit

        try:
            db = _db()
            db.upgrade()
            with db.transaction() as s:
                lines = list(audit.jsonl(s))
        except CurbsideError as exc:
            _fail(exc)
        if str(file) == "-":
            sys.stdout.write("".join(lines))
            return
        tmp = file.with_name(f".{file.name}.tmp")
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.replace(file)
        typer.echo(f"wrote {len(lines)} audit entries to {file}", err=True)

    @db_app.command("recheck")
    def db_recheck() -> None:
        """Re-ask every approved article; those whose cited topics or documents changed go back to review."""
        from curbside.config import get_settings
        from curbside.engine import get_engine
        from curbside.review.service import ReviewService

        try:
            db = _db()
            db.upgrade()
            result = ReviewService(db, get_engine(get_settings())).recheck_all()
        except CurbsideError as exc:
            _fail(exc)
        typer.echo(f"checked {result.checked} approved articles; {len(result.invalidated)} went back to review"
                   + (f": {', '.join(map(str, result.invalidated))}" if result.invalidated else ""))

    @app.command("backup")
    def backup_cmd(file: Annotated[Path, typer.Argument(help="The backup file to write (.zip)")]) -> None:
        """Back up the database and the data directory into one file."""
        from curbside.config import get_settings
        from curbside.store.backup import backup

        try:
            db = _db()
            db.upgrade()
            counts = backup(db, data_dir=get_settings().data_dir, file=file)
        except CurbsideError as exc:
            _fail(exc)
        typer.echo(f"backed up {counts.get('articles', 0)} articles, {counts.get('article_versions', 0)} versions, "
                   f"{counts.get('audit_log', 0)} audit entries and the data directory to {file}")

    @app.command("restore")
    def restore_cmd(file: Annotated[Path, typer.Argument(help="A file written by `curbside backup`")]) -> None:
        """Restore a backup into an empty database and data directory."""
        from curbside.config import get_settings
        from curbside.store.backup import restore

        try:
            counts = restore(_db(), data_dir=get_settings().data_dir, file=file)
        except CurbsideError as exc:
            _fail(exc)
        typer.echo(f"restored {counts.get('articles', 0)} articles and {counts.get('article_versions', 0)} versions "
                   f"from {file}")
