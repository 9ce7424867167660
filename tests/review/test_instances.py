"""Many instances: two real `curbside serve` processes on one PostgreSQL database share every state change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from curbside.review.accounts import add_user
from curbside.store.db import Database
from tests.servers import running_server
from tests.store.pg import fresh_postgres_database

pytestmark = pytest.mark.postgres
PASSWORD = "correct horse battery"
HTN = "What is the first-line treatment for hypertension?"


@contextmanager
def serve(database_url: str, data_dir: Path) -> Iterator[str]:
    """A real `curbside serve` on a free port sharing this database; yields its base URL."""
    with running_server(data_dir, ready_path="/login", env={"CURBSIDE_DATABASE_URL": database_url}) as base:
        yield base  # /login answers only once the database is reachable


def _csrf(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(path).text).group(1)


def test_two_servers_share_articles_sessions_and_approvals(postgres_url, tmp_path):
    url, drop = fresh_postgres_database(postgres_url)
    try:
        db = Database(url)
        db.upgrade()
        add_user(db, email="rev@example.org", password=PASSWORD, role="reviewer")
        db.dispose()
        with serve(url, tmp_path / "a") as a, serve(url, tmp_path / "b") as b, \
                httpx.Client(base_url=a, timeout=30) as ca, httpx.Client(base_url=b, timeout=30) as cb:
            asked = ca.post("/api/v1/answers", json={"question": HTN}).json()
            article, slug = asked["review"]["article_id"], asked["slug"]
            seen_by_b = cb.get(f"/api/v1/answers/{slug}").json()  # B never saw the question
            assert seen_by_b["review"]["article_id"] == article
            assert seen_by_b["review"]["status"] == "submitted"
            assert seen_by_b["question"] == HTN  # the slug was found in the shared store

            r = ca.post("/login", data={"email": "rev@example.org", "password": PASSWORD,
                                        "csrf_token": _csrf(ca, "/login")})
            assert r.status_code == 303
            token = _csrf(ca, f"/review/articles/{article}")
            r = ca.post(f"/review/articles/{article}/approve", data={"version": "1", "csrf_token": token})
            assert r.status_code == 303

            after = cb.get(f"/api/v1/answers/{slug}").json()  # at once, on the other instance
            assert after["review"]["status"] == "approved"
            assert after["review"]["reviewed_by"] == "rev@example.org"
            assert "content pending human review" not in cb.get(f"/a/{slug}").text

            # The login session lives in the database too: A's cookie works on B, and logging out on B ends it on A.
            cb.cookies.update({k: v for k, v in ca.cookies.items()})
            assert cb.get(f"/review/articles/{article}", follow_redirects=False).status_code == 200
            cb.post("/logout", data={"csrf_token": _csrf(cb, "/review")})
            assert ca.get("/review", follow_redirects=False).status_code == 303
    finally:
        drop()
