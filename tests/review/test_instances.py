"""Many instances: two real `curbside serve` processes on one PostgreSQL database share every state change."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from curbside.review.accounts import add_user
from curbside.store.db import Database
from tests.store.pg import fresh_postgres_database

pytestmark = pytest.mark.postgres
PASSWORD = "correct horse battery"
HTN = "What is the first-line treatment for hypertension?"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(database_url: str, data_dir: Path) -> Iterator[str]:
    """A real `curbside serve` on a free port; yields its base URL."""
    port = _free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CURBSIDE_")}
    env.update(CURBSIDE_DATA_DIR=str(data_dir), CURBSIDE_DATABASE_URL=database_url,
               CURBSIDE_WEB__RATE_LIMIT_PER_MINUTE="1000000")
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "curbside", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited {proc.returncode}: {(data_dir / 'server.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:  # /login needs the database
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not start within 90 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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
