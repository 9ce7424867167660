"""Backup and restore: every article, version, account and audit entry comes back, on both backends."""

from __future__ import annotations

import zipfile

import pytest

from curbside.errors import Conflict, UsageError
from curbside.review import accounts, workflow
from curbside.review.service import ReviewService
from curbside.store import articles, audit
from curbside.store.backup import backup, restore
from curbside.store.db import Database
from tests.store.pg import fresh_postgres_database

QUESTIONS = ["What is the first-line treatment for hypertension?", "How is gout treated?",
             "What is the best management approach for chronic low back pain?"]
PASSWORD = "correct horse battery"


def _snapshot(db: Database) -> dict:
    with db.transaction() as s:
        arts = articles.list_articles(s)
        return {
            "articles": sorted((a.id, a.key, a.status, a.reviewed_by, a.question) for a in arts),
            "versions": sorted((v.article_id, v.number, v.author, v.answer_json, v.sources, v.created_at)
                               for a in arts for v in articles.list_versions(s, article_id=a.id)),
            "audit": [audit.as_dict(e) for e in audit.entries(s, newest_first=False)],
        }


@pytest.fixture
def filled(db, engine, tmp_path):
    """A database with articles in several states and versions, and a data directory with a file in it."""
    reviewer = accounts.add_user(db, email="rev@example.org", password=PASSWORD, role="reviewer")
    service = ReviewService(db, engine)
    ids = [service.ask(q).review.article_id for q in QUESTIONS]
    workflow.edit(db, account=reviewer, article_id=ids[0], version=1, form={"bottom_line": "Edited 'quoted' <b>"})
    workflow.approve(db, account=reviewer, article_id=ids[0], version=2, comment="fine")
    workflow.request_changes(db, account=reviewer, article_id=ids[1], version=1, comment="needs work")
    data = tmp_path / "data"
    (data / "threads").mkdir(parents=True)
    (data / "threads" / "t1.json").write_text('{"turns": []}')
    return db, data


def _empty_twin(db: Database, request, tmp_path) -> Database:
    if db.dialect == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'restored' / 'curbside.db'}")
    url, drop = fresh_postgres_database(request.getfixturevalue("postgres_url"))
    request.addfinalizer(drop)
    return Database(url)


def test_restore_into_empty_directory_finds_every_article_and_version(filled, tmp_path, request):
    db, data = filled
    file = tmp_path / "backups" / "curbside.zip"
    counts = backup(db, data_dir=data, file=file)
    assert counts["articles"] == 3 and counts["article_versions"] == 4
    target_dir = tmp_path / "restored"
    target = _empty_twin(db, request, tmp_path)
    restored = restore(target, data_dir=target_dir, file=file)
    assert restored == counts
    assert _snapshot(target) == _snapshot(db)
    assert (target_dir / "threads" / "t1.json").read_text() == '{"turns": []}'
    assert accounts.authenticate(target, email="rev@example.org", password=PASSWORD).role == "reviewer"
    with target.transaction() as s:  # new rows get fresh ids after the restored ones
        assert audit.record(s, actor="t", action="after_restore").id > len(_snapshot(db)["audit"])
    target.dispose()


def test_restore_refuses_a_database_that_is_not_empty(filled, tmp_path):
    db, data = filled
    file = tmp_path / "b.zip"
    backup(db, data_dir=data, file=file)
    with pytest.raises(Conflict, match="not empty"):
        restore(db, data_dir=tmp_path / "elsewhere", file=file)


def test_restore_refuses_files_that_are_not_backups(db, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    with pytest.raises(UsageError, match="not a zip"):
        restore(db, data_dir=tmp_path / "d", file=junk)
    with pytest.raises(UsageError, match="no such backup"):
        restore(db, data_dir=tmp_path / "d", file=tmp_path / "missing.zip")
    evil = tmp_path / "evil.zip"
    backup(db, data_dir=tmp_path / "nothing", file=evil)
    with zipfile.ZipFile(evil, "a") as zf:
        zf.writestr("data/../../escape.txt", "x")
    with pytest.raises(UsageError, match="unsafe path"):
        restore(db, data_dir=tmp_path / "d", file=evil)
    assert not (tmp_path / "escape.txt").exists()
