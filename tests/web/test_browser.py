"""The pages in a real browser: Debian's Chromium driven by Playwright against a real `curbside serve`."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CURBSIDE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
DOCS = Path(__file__).resolve().parents[2] / "docs"

# The model page's elements, in order (seed/answer-page.txt).
ORDER = [
    "h1.question", ".advisory", ".banner", ".stepper", ".updated a[href='/editorial-policy']", ".personalize",
    ".answer-title", ".bottom-line strong", ".answer-section", ".algorithm ol li", ".pitfalls", ".references",
    ".related", ".disclaimer", ".follow-up textarea",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server) -> Iterator:
    context = browser.new_context(base_url=server, viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.problems = problems  # console errors (a CSP violation shows here), script errors, dialogs
    yield pg
    context.close()


def _ask_from_home(page, question: str) -> None:
    page.goto("/")
    page.fill("#q", question)
    page.click(".ask-form button[type=submit]")
    page.wait_for_url(re.compile(r"/a/[a-z0-9.-]+$"))


def _in_document_order(page, selectors: list[str]) -> list[str]:
    """The selectors whose first matches are out of document order (empty when all are in order)."""
    return page.evaluate(
        """(sels) => {
            const els = sels.map(s => document.querySelector(s));
            const bad = [];
            els.forEach((el, i) => { if (!el) bad.push('missing ' + sels[i]); });
            for (let i = 1; i < els.length; i++) {
                if (els[i - 1] && els[i] &&
                    !(els[i - 1].compareDocumentPosition(els[i]) & Node.DOCUMENT_POSITION_FOLLOWING))
                    bad.push(sels[i - 1] + ' after ' + sels[i]);
            }
            return bad;
        }""",
        selectors,
    )


def test_model_question_page_has_every_element_in_order(page, model_question):
    _ask_from_home(page, model_question)
    assert page.inner_text("h1.question") == model_question
    assert _in_document_order(page, ORDER) == []
    assert "Back Pain" in page.inner_text(".answer-title")
    assert page.inner_text(".banner") == "Educational purpose only • content pending human review"
    assert page.locator(".stepper li").all_inner_texts() == ["Submitted", "Under Review", "Approved"]
    assert page.locator(".stepper li[aria-current=step]").count() == 1
    assert "Which best describes you?" in page.inner_text(".personalize")
    assert page.locator(".related a").count() >= 3
    assert page.inner_text(".disclaimer h2") == "Professional Medical Disclaimer"
    assert page.problems == []


def test_every_citation_lands_on_a_listed_reference(page, model_question):
    _ask_from_home(page, model_question)
    cites = page.locator("sup.cites a.cite")
    hrefs = cites.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(hrefs) >= 5
    listed = set(page.locator(".references li").evaluate_all("els => els.map(e => '#' + e.id)"))
    assert set(hrefs) <= listed
    # Following a citation scrolls to its reference, which is highlighted as the target.
    first = cites.first
    target = first.get_attribute("href")
    first.click()
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    assert page.evaluate("document.querySelector(':target').id") == target[1:]
    assert page.locator(target).is_visible()
    # The reference text shows on hover and on keyboard focus.
    label = first.get_attribute("data-ref")
    assert label and label.split(".")[0] in page.inner_text(target)
    first.focus()
    shown = first.evaluate("e => getComputedStyle(e, '::after').content")
    assert label in shown


def test_switching_audience_rewords_and_is_remembered(page, model_question):
    _ask_from_home(page, model_question)
    url = page.url
    page.click("#audience-patient")
    page.wait_for_selector("#audience-patient[aria-pressed=true]")
    assert page.inner_text(".disclaimer h2") == "Patient Disclaimer"
    assert page.url == url  # htmx swapped the answer in place
    assert any(c["name"] == "curbside_audience" and c["value"] == "patient" for c in page.context.cookies())
    page.reload()
    assert page.get_attribute("#audience-patient", "aria-pressed") == "true"
    assert page.inner_text(".disclaimer h2") == "Patient Disclaimer"
    page.click("#audience-student")
    page.wait_for_selector("#audience-student[aria-pressed=true]")
    assert page.inner_text(".disclaimer h2") == "Disclaimer for Students"
    assert page.problems == []


def test_follow_up_keeps_the_topic(page, model_question):
    _ask_from_home(page, model_question)
    first_url = page.url
    page.fill("#follow-up-q", "What if she is pregnant?")
    page.click(".follow-up button[type=submit]")
    page.wait_for_url(lambda u: u != first_url and "/a/" in u)
    assert page.inner_text("h1.question") == "What if she is pregnant?"
    assert "Back Pain" in page.inner_text(".answer-title")


def test_related_question_opens_its_own_answer(page, model_question):
    _ask_from_home(page, model_question)
    link = page.locator(".related a").first
    question = link.inner_text()
    first_url = page.url
    link.click()
    page.wait_for_url(lambda u: u != first_url and "/a/" in u)
    assert page.inner_text("h1.question") == question
    assert page.locator(".answer-title").count() == 1


def test_keyboard_only(page, model_question):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(10):  # Tab to the question box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(model_question)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Ask"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/a/"))
    # Tab to the first citation: its reference shows on focus, Enter jumps to it.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cite')"):
            break
    cite = page.evaluate("document.activeElement.getAttribute('href')")
    assert cite and cite.startswith("#ref-")
    assert page.evaluate("getComputedStyle(document.activeElement, '::after').content") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(cite) + "$"))
    # The audience choice works from the keyboard, and focus stays on the chosen button.
    page.focus("#audience-clinician")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "audience-student"
    page.keyboard.press("Enter")
    page.wait_for_selector("#audience-student[aria-pressed=true]")
    assert page.evaluate("document.activeElement.id") == "audience-student"


def test_script_in_a_question_is_shown_as_text(page):
    attack = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> chronic back pain'
    _ask_from_home(page, attack)
    assert page.inner_text("h1.question") == attack
    assert page.evaluate("window.__xss") is None
    assert page.locator("h1.question img, h1.question script").count() == 0
    assert not any(p.startswith("dialog") for p in page.problems)


def test_phone_layout_and_print(browser, server, model_question):
    context = browser.new_context(base_url=server, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        pg = context.new_page()
        _ask_from_home(pg, model_question)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
        DOCS.mkdir(exist_ok=True)
        pg.screenshot(path=str(DOCS / "screenshot-answer-phone.png"))
        pg.emulate_media(media="print")
        assert not pg.is_visible(".personalize")
        assert not pg.is_visible(".follow-up")
        assert pg.is_visible(".references")
    finally:
        context.close()


def test_screenshot_for_the_readme(browser, server, model_question):
    context = browser.new_context(base_url=server, viewport={"width": 1000, "height": 1400}, device_scale_factor=1)
    try:
        pg = context.new_page()
        _ask_from_home(pg, model_question)
        DOCS.mkdir(exist_ok=True)
        pg.screenshot(path=str(DOCS / "screenshot-answer.png"), full_page=False)
        assert (DOCS / "screenshot-answer.png").stat().st_size > 10_000
    finally:
        context.close()
