"""Escaping, security headers, and no stack traces in any response."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from curbside.web.app import create_app

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> back pain'


@pytest.mark.parametrize("path", ["/", "/editorial-policy", "/sources", "/api/v1/health", "/static/css/site.css",
                                  "/no-such-page"])
def test_security_headers_everywhere(client, path):
    h = client.get(path).headers
    csp = h["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"]
    assert h["x-frame-options"] == "DENY"


def test_question_text_is_escaped(client):
    r = client.get("/ask", params={"q": XSS})
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert "<img src=x" not in r.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in r.text


def test_pages_have_no_inline_script_or_style(client):
    r = client.get("/ask", params={"q": "chronic back pain"})
    html = r.text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag
    assert all(not body.strip() for body in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S))
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_htmx_is_vendored_not_from_a_cdn(client):
    html = client.get("/").text
    assert '/static/vendor/htmx.min.js' in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    r = client.get("/static/vendor/htmx.min.js")
    assert r.status_code == 200 and "htmx" in r.text[:200]
    assert "Zero-Clause BSD" in client.get("/static/vendor/htmx.LICENSE").text


class _Broken:
    """An engine that fails the way a bug would."""

    def ask(self, question, audience="clinician", thread_id=None):
        raise RuntimeError("secret internal detail /etc/passwd")

    def topics(self):
        raise RuntimeError("secret internal detail")


@pytest.mark.parametrize("path", ["/api/v1/topics", "/", "/ask?q=back+pain"])
def test_unexpected_errors_show_no_trace(settings, path):
    app = create_app(settings, engine=_Broken())
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get(path)
    assert r.status_code == 500
    assert "Traceback" not in r.text and "secret internal detail" not in r.text and "RuntimeError" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    if path.startswith("/api/"):
        assert r.json()["error"] == "server_error"


def test_audience_cookie_is_httponly_and_validated(client):
    client.get("/ask", params={"q": "chronic back pain"})
    r = client.post("/a/chronic-back-pain/audience", data={"audience": "patient"}, follow_redirects=False)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "curbside_audience=patient" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    r = client.post("/a/chronic-back-pain/audience", data={"audience": "<b>admin</b>"})
    assert r.status_code == 422
    assert "<b>admin</b>" not in r.text
    client.cookies.clear()
