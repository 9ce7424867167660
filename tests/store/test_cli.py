"""The store's commands as a user runs them: `db upgrade`, `users add`, `backup`, `restore`, `audit export`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.store.pg import BACKENDS, fresh_postgres_database

HTN = "What is the first-line treatment for hypertension?"
PASSWORD = "correct horse battery"


def cli(*args: str, data_dir, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real `curbside` command, without a controlling terminal (so hidden prompts read standard input)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("CURBSIDE_")}
    full.update({"CURBSIDE_DATA_DIR": str(data_dir), "COLUMNS": "200", **(env or {})})
    return subprocess.run([sys.executable, "-m", "curbside", *args], input=input, capture_output=True, text=True,
                          env=full, timeout=120, start_new_session=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_db_upgrade_and_users_add(backend, tmp_path, request):
    env = {}
    if backend == "postgresql":
        url, drop = fresh_postgres_database(request.getfixturevalue("postgres_url"))
        request.addfinalizer(drop)
        env["CURBSIDE_DATABASE_URL"] = url
    r = cli("db", "upgrade", data_dir=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert f"revision 0001 ({backend})" in r.stdout
    r = cli("users", "add", "Doc@Example.org", "--role", "reviewer", data_dir=tmp_path, env=env,
            input=f"{PASSWORD}\n{PASSWORD}\n")
    assert r.returncode == 0, r.stderr
    assert "added doc@example.org as reviewer" in r.stdout
    assert PASSWORD not in r.stdout + r.stderr
    r = cli("users", "add", "doc@example.org", "--role", "reviewer", data_dir=tmp_path, env=env,
            input=f"{PASSWORD}\n{PASSWORD}\n")
    assert r.returncode == 7 and "already exists" in r.stderr
    r = cli("users", "list", data_dir=tmp_path, env=env)
    assert r.stdout.split() == ["doc@example.org", "reviewer", "active"]
    r = cli("users", "disable", "doc@example.org", data_dir=tmp_path, env=env)
    assert r.returncode == 0 and "disabled doc@example.org" in r.stdout
    assert "disabled" in cli("users", "list", data_dir=tmp_path, env=env).stdout
    r = cli("users", "add", "x@example.org", data_dir=tmp_path, env=env, input=f"{PASSWORD}\nsomething else\n")
    assert r.returncode != 0 and "do not match" in r.stderr
    r = cli("users", "add", "x@example.org", "--role", "god", data_dir=tmp_path, env=env, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert r.returncode == 2 and "unknown role" in r.stderr and "Traceback" not in r.stderr


def test_ask_backup_restore_audit_export(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    first = json.loads(cli("ask", HTN, "-f", "json", data_dir=src).stdout)
    assert first["review"]["status"] == "submitted" and first["review"]["article_id"] == 1
    again = json.loads(cli("ask", "first line tx for HTN?", "-f", "json", data_dir=src).stdout)
    assert again["review"]["article_id"] == 1
    r = cli("backup", str(tmp_path / "b.zip"), data_dir=src)
    assert r.returncode == 0 and "backed up 1 articles, 1 versions" in r.stdout, r.stderr
    r = cli("restore", str(tmp_path / "b.zip"), data_dir=dst)
    assert r.returncode == 0 and "restored 1 articles and 1 versions" in r.stdout, r.stderr
    restored = json.loads(cli("ask", HTN, "-f", "json", data_dir=dst).stdout)
    assert restored["review"] == first["review"]
    r = cli("restore", str(tmp_path / "b.zip"), data_dir=dst)
    assert r.returncode == 7 and "not empty" in r.stderr
    r = cli("audit", "export", str(tmp_path / "audit.jsonl"), data_dir=dst)
    assert r.returncode == 0, r.stderr
    entries = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [e["action"] for e in entries] == ["created"] and entries[0]["actor"] == "engine"
