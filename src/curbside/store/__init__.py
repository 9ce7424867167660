"""The store: articles, versions, accounts and the audit log in SQLite (default) or PostgreSQL.

SQLAlchemy is imported only by the modules below, never by ``curbside`` itself, so ``curbside ask``
starts fast when nothing needs the database.

    db.py          Database: engine + sessions for settings; upgrade() runs the Alembic migrations
    models.py      the tables (SQLAlchemy 2 declarative)
    articles.py    store functions for articles and versions (keyword-only, no HTTP)
    accounts.py    store functions for users and login sessions
    audit.py       append-only audit log: record, list, export as JSONL
    backup.py      backup and restore of the database and the data directory
    cli.py         `curbside db upgrade`, `users add`, `backup`, `restore`, `audit export`
"""
