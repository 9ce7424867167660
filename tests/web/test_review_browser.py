"""The medical advisory board in a real browser: log in, review, edit, approve, and the public banner goes.

Debian's Chromium driven by Playwright against a real `curbside serve` whose database holds a reviewer
and an editor made beforehand (as `curbside users add` would).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import running_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CURBSIDE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
PASSWORD = "correct horse battery"
QUESTION = "What is the first-line treatment for gout flares?"


@pytest.fixture(scope="module")
def review_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `curbside serve` with a reviewer and an editor account; yields its base URL."""
    from curbside.config import Settings
    from curbside.review.accounts import add_user
    from curbside.store.db import Database

    data = tmp_path_factory.mktemp("review-serve")
    db = Database.open(Settings(data_dir=data))
    for role in ("reviewer", "editor"):
        add_user(db, email=f"{role}@example.org", password=PASSWORD, role=role)
    db.dispose()
    with running_server(data, ready_path="/login") as base:
        yield base


def in_browser(base_url: str, scenario) -> None:
    """Runs ``scenario(new_page)`` with its own Chromium, in a thread of its own.

    Playwright's sync API allows one instance per thread, and tests/web/test_browser.py keeps one open
    for the whole session; a separate thread keeps the two apart. Failures are re-raised here.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    failure: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

                def new_page():
                    context = browser.new_context(base_url=base_url, viewport={"width": 1100, "height": 900})
                    pg = context.new_page()
                    pg.set_default_timeout(15_000)
                    pg.problems = []
                    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
                    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
                    return pg

                try:
                    scenario(new_page)
                finally:
                    browser.close()
        except BaseException as exc:  # handed to the test's own thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="playwright")
    thread.start()
    thread.join(timeout=300)
    if thread.is_alive():
        pytest.fail("the browser scenario did not finish within 300 s")
    if failure:
        raise failure[0]


def _login(page, role: str, password: str = PASSWORD) -> None:
    page.goto("/review")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("#email", f"{role}@example.org")
    page.fill("#password", password)
    page.click(".login-form button[type=submit]")


def _ask(page, question: str) -> str:
    page.goto("/")
    page.fill("#q", question)
    page.click(".ask-form button[type=submit]")
    page.wait_for_url(re.compile(r"/a/[a-z0-9.-]+$"))
    return page.url


def test_login_refuses_a_wrong_password_then_lets_the_reviewer_in(review_server):
    in_browser(review_server, _login_scenario)


def _login_scenario(new_page) -> None:
    page = new_page()
    _login(page, "reviewer", password="not the password")
    assert "Wrong email or password" in page.inner_text(".form-error")
    page.fill("#password", PASSWORD)
    page.click(".login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/review$"))
    assert page.inner_text("h1") == "Review queue"
    assert "reviewer@example.org" in page.inner_text(".review-nav")
    page.click(".review-nav .link-button")  # log out
    page.wait_for_url(re.compile(r"/login$"))
    page.goto("/review")
    page.wait_for_url(re.compile(r"/login\?next="))
    assert [p for p in page.problems if "status of 401" not in p] == []  # the wrong password's 401 is expected


def test_review_edit_approve_and_the_banner_disappears(review_server):
    in_browser(review_server, _review_scenario)


def _review_scenario(new_page) -> None:
    reader = new_page()
    public_url = _ask(reader, QUESTION)
    assert reader.is_visible(".banner")
    assert "content pending human review" in reader.inner_text(".banner")

    editor = new_page()
    _login(editor, "editor")
    editor.wait_for_url(re.compile(r"/review$"))
    editor.click("text=Submitted (")
    editor.click(".queue-table a")
    editor.wait_for_url(re.compile(r"/review/articles/\d+$"))
    assert editor.locator(".claims-table .claim").count() >= 3
    assert editor.locator(".claim-sources .source").count() >= 3  # each claim's sources beside it
    assert editor.locator("#approve").count() == 0  # editors cannot approve
    article_url = editor.url
    editor.click("text=Edit bullets and bottom line")
    editor.fill("#bottom_line_cites", "")
    editor.click("#save-edit")
    assert "needs a citation" in editor.inner_text("#edit-error")
    editor.fill("#bottom_line_cites", "1")
    editor.fill("#bottom_line", "Treat a gout flare early <em>with</em> colchicine, an NSAID or a corticosteroid.")
    editor.fill("#comment", "plainer bottom line")
    editor.click("#save-edit")
    editor.wait_for_url(re.compile(r"/review/articles/\d+\?done=edited$"))
    assert editor.inner_text("#article-status") == "Under review"
    editor.click("text=changes from version 1")
    assert "<em>with</em> colchicine" in editor.inner_text(".diff-added")
    assert editor.locator(".diff-lines em").count() == 0  # HTML in an edit is shown as text

    reviewer = new_page()
    _login(reviewer, "reviewer")
    reviewer.goto(article_url)
    reviewer.fill("#decision-comment", "Checked against the sources.")
    reviewer.click("#approve")
    reviewer.wait_for_url(re.compile(r"\?done=approved$"))
    assert reviewer.inner_text("#article-status") == "Approved"
    assert "Checked against the sources." in reviewer.inner_text(".history")

    reader.goto(public_url)
    assert reader.locator(".banner").count() == 0
    assert reader.inner_text(".stepper .current") == "Approved"
    assert "Reviewed by" in reader.inner_text(".updated")
    assert "<em>with</em> colchicine" in reader.inner_text(".bottom-line")
    assert reader.problems == [] and reviewer.problems == []
    assert [p for p in editor.problems if "status of 400" not in p] == []  # the refused edit's 400 is expected
