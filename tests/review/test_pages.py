"""The review pages over HTTP (TestClient): login, CSRF, roles, editor messages, approval, audit log."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from curbside.config import Settings
from curbside.review.service import ReviewService
from curbside.web.app import create_app
from tests.review.factories import PASSWORD, users

HTN = "What is the first-line treatment for hypertension?"


@pytest.fixture
def client(db, engine, tmp_path):
    app = create_app(Settings(data_dir=tmp_path, web={"rate_limit_per_minute": 1_000_000}))
    app.state.review = app.state.engine = ReviewService(db, engine)
    users(db)
    with TestClient(app, follow_redirects=False) as c:
        yield c


def csrf(client, path: str) -> str:
    html = client.get(path).text
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)


def login(client, role: str) -> None:
    r = client.post("/login", data={"email": f"{role}@example.org", "password": PASSWORD, "next": "/review",
                                    "csrf_token": csrf(client, "/login")})
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/review"


def ask(client, question: str = HTN) -> dict:
    return client.post("/api/v1/answers", json={"question": question}).json()


def test_session_cookie_is_httponly_and_samesite(client):
    r = client.post("/login", data={"email": "reviewer@example.org", "password": PASSWORD,
                                    "csrf_token": csrf(client, "/login")})
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("curbside_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Secure" not in cookie  # development; production sets it (below)


def test_secure_cookie_outside_development(db, engine, tmp_path):
    app = create_app(Settings(data_dir=tmp_path, environment="production", web={"secret_key": "x" * 40}))
    app.state.review = app.state.engine = ReviewService(db, engine)
    users(db)
    with TestClient(app, follow_redirects=False, base_url="https://testserver") as c:
        r = c.post("/login", data={"email": "editor@example.org", "password": PASSWORD,
                                   "csrf_token": csrf(c, "/login")})
        cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("curbside_session="))
        assert "Secure" in cookie


def test_readers_are_sent_to_login_and_cannot_post(client):
    article = ask(client)["review"]["article_id"]
    r = client.get("/review")
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    token = csrf(client, "/login")
    r = client.post(f"/review/articles/{article}/approve", data={"version": "1", "csrf_token": token})
    assert r.status_code == 403
    assert "Traceback" not in r.text


def test_form_post_without_csrf_token_is_refused(client):
    article = ask(client)["review"]["article_id"]
    r = client.post("/login", data={"email": "reviewer@example.org", "password": PASSWORD})
    assert r.status_code == 403 and "security token" in r.text
    login(client, "reviewer")
    r = client.post(f"/review/articles/{article}/approve", data={"version": "1"})
    assert r.status_code == 403
    r = client.post(f"/review/articles/{article}/approve", data={"version": "1", "csrf_token": "0" * 64})
    assert r.status_code == 403
    assert ask(client)["review"]["status"] == "submitted"


def test_wrong_password_is_401_and_lockout_follows(client):
    for _ in range(5):
        r = client.post("/login", data={"email": "reviewer@example.org", "password": "nope nope nope",
                                        "csrf_token": csrf(client, "/login")})
        assert r.status_code == 401 and "Wrong email or password" in r.text
    r = client.post("/login", data={"email": "reviewer@example.org", "password": PASSWORD,
                                    "csrf_token": csrf(client, "/login")})
    assert r.status_code == 401 and "locked" in r.text


def test_login_refuses_offsite_next(client):
    r = client.post("/login", data={"email": "editor@example.org", "password": PASSWORD, "next": "//evil.example/x",
                                    "csrf_token": csrf(client, "/login")})
    assert r.headers["location"] == "/review"


def test_editor_cannot_approve(client):
    article = ask(client)["review"]["article_id"]
    login(client, "editor")
    token = csrf(client, f"/review/articles/{article}")
    r = client.post(f"/review/articles/{article}/approve", data={"version": "1", "csrf_token": token})
    assert r.status_code == 403 and "only reviewers" in r.text


def test_queue_article_edit_approve_and_public_page(client):
    answer = ask(client)
    assert "content pending human review" in client.get(f"/a/{answer['slug']}").text
    article = answer["review"]["article_id"]
    login(client, "reviewer")
    queue = client.get("/review?status=submitted").text
    assert f"/review/articles/{article}" in queue and answer["title"] in queue
    assert f"/review/articles/{article}" not in client.get("/review?status=approved").text
    page = client.get(f"/review/articles/{article}").text
    first_ref = answer["references"][0]["title"]
    assert 'class="claim-sources"' in page and first_ref in page
    token = csrf(client, f"/review/articles/{article}/edit")
    r = client.post(f"/review/articles/{article}/edit",
                    data={"version": "1", "csrf_token": token, "bottom_line": "<b>Bold</b> claim'); DROP TABLE users;--",
                          "comment": "tightened"})
    assert r.status_code == 303
    page = client.get(f"/review/articles/{article}").text
    assert "&lt;b&gt;Bold&lt;/b&gt; claim&#39;); DROP TABLE users;--" in page and "<b>Bold</b>" not in page
    diff = client.get(f"/review/articles/{article}/diff?old=1&new=2").text
    assert "<ins>" in diff and "<del>" in diff
    token = csrf(client, f"/review/articles/{article}")
    r = client.post(f"/review/articles/{article}/approve", data={"version": "2", "comment": "ok", "csrf_token": token})
    assert r.status_code == 303
    public = client.get(f"/a/{answer['slug']}").text
    assert "content pending human review" not in public
    assert '<li class="step current" aria-current="step">Approved</li>' in public
    assert "&lt;b&gt;Bold&lt;/b&gt;" in public
    again = ask(client, "first line tx for HTN?")
    assert again["review"] == {**again["review"], "status": "approved", "article_id": article, "version": 2}


def test_edit_that_breaks_a_citation_is_refused_with_a_message(client):
    answer = ask(client)
    article = answer["review"]["article_id"]
    login(client, "editor")
    token = csrf(client, f"/review/articles/{article}/edit")
    r = client.post(f"/review/articles/{article}/edit",
                    data={"version": "1", "csrf_token": token, "bottom_line_cites": "99", "bottom_line": "My text"})
    assert r.status_code == 400
    assert "cites [99], which is not in the reference list" in r.text
    assert ">My text</textarea>" in r.text  # the editor's text is kept
    r = client.post(f"/review/articles/{article}/edit", data={"version": "1", "csrf_token": token, "s0_b0_cites": ""})
    assert r.status_code == 400 and "needs a citation" in r.text


def test_bad_input_is_a_clear_4xx(client):
    login(client, "reviewer")
    assert client.get("/review/articles/99999").status_code == 404
    assert client.get("/review/articles/abc").status_code == 422
    assert client.get("/review?status=bogus").status_code == 422
    article = ask(client)["review"]["article_id"]
    token = csrf(client, "/review")
    r = client.post(f"/review/articles/{article}/approve", data={"version": "x", "csrf_token": token})
    assert r.status_code == 422 and "Traceback" not in r.text
    r = client.post(f"/review/articles/{article}/request-changes", data={"version": "1", "csrf_token": token})
    assert r.status_code == 400 and "comment is required" in r.text


def test_audit_log_is_for_admins_and_exports_jsonl(client):
    ask(client)
    login(client, "reviewer")
    assert client.get("/review/audit").status_code == 403
    client.post("/logout", data={"csrf_token": csrf(client, "/review")})
    assert client.get("/review").status_code == 303  # logged out
    login(client, "admin")
    assert "created" in client.get("/review/audit").text
    lines = client.get("/review/audit.jsonl").text.splitlines()
    actions = [json.loads(line)["action"] for line in lines]
    assert {"user_added", "created", "login", "logout"} <= set(actions)


def test_production_refuses_the_default_secret(db, engine, tmp_path):
    from curbside.errors import UsageError

    app = create_app(Settings(data_dir=tmp_path, environment="production"))
    app.state.review = app.state.engine = ReviewService(db, engine)
    with pytest.raises(UsageError, match="CURBSIDE_WEB__SECRET_KEY"), TestClient(app):
        pass


def test_out_of_range_numbers_and_nul_bytes_are_4xx_not_500(client):
    login(client, "reviewer")
    assert client.get("/review/articles/99999999999999999999").status_code == 422
    assert client.get("/review/articles/1/diff?old=1&new=99999999999999999999").status_code == 422
    r = client.post("/api/v1/answers", json={"question": "first-line treatment for hypertension\x00?"})
    assert r.status_code == 200 and r.json()["review"]["article_id"]
    article = r.json()["review"]["article_id"]
    token = csrf(client, f"/review/articles/{article}/edit")
    r = client.post(f"/review/articles/{article}/edit",
                    data={"version": "1", "csrf_token": token, "bottom_line": "Nul\x00 byte", "comment": "c\x00"})
    assert r.status_code == 303
    r = client.post(f"/review/articles/{article}/approve",
                    data={"version": "99999999999999999999", "csrf_token": token})
    assert r.status_code == 422
    client.post("/logout", data={"csrf_token": csrf(client, "/review")})
    r = client.post("/login", data={"email": "a\x00@example.org", "password": "x\x00",
                                    "csrf_token": csrf(client, "/login")})
    assert r.status_code == 401
