"""The HTML pages, read as HTML: home, the answer page in the model page's order, policy, sources."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

# The model page's elements, in its order (SPEC.md, seed/answer-page.txt).
ORDER = [
    'class="question"', 'class="advisory"', 'class="banner"', 'class="stepper"', 'href="/editorial-policy"',
    'class="personalize"', 'class="answer-title"', 'class="bottom-line"', 'class="answer-section"',
    'class="answer-section algorithm"', 'class="answer-section pitfalls"', 'class="references"', 'class="related"',
    'class="disclaimer"', 'class="follow-up"',
]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def _answer_page(client, question):
    r = client.get("/ask", params={"q": question}, follow_redirects=False)
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith("/a/")
    page = client.get(location)
    assert page.status_code == 200
    return location, page.text


def test_home_has_a_question_box_and_examples(client):
    html = client.get("/").text
    assert '<form class="ask-form" method="get" action="/ask"' in html
    assert '<textarea id="q" name="q"' in html
    assert html.count('href="/ask?q=') >= 3


def test_answer_page_follows_the_model_order(client, model_question):
    location, html = _answer_page(client, model_question)
    main = html[html.index('<main'):]
    positions = [main.find(marker) for marker in ORDER]
    missing = [m for m, p in zip(ORDER, positions, strict=True) if p < 0]
    assert not missing, missing
    assert positions == sorted(positions)
    assert "Educational purpose only • content pending human review" in html
    assert "Which best describes you?" in html
    assert "Have a follow-up question?" in html
    assert re.search(r'<li class="step[^"]*current" aria-current="step">', html)
    assert re.search(r'<h2 class="answer-title">[^<]*Back Pain', html)
    assert re.search(r"<strong class=\"when\">[^<]+:</strong>", html)  # algorithm steps carry time frames


def test_every_citation_resolves_to_a_listed_reference(client, model_question):
    _, html = _answer_page(client, model_question)
    parser = _Links()
    parser.feed(html)
    cites = [h for h in parser.hrefs if h.startswith("#ref-")]
    assert len(cites) >= 5
    assert all(h[1:] in parser.ids for h in cites)
    refs = set(re.findall(r'<li id="(ref-\d+)"', html))
    assert {h[1:] for h in cites} == refs  # and every listed reference is cited
    assert re.search(r'<sup class="cites"><a href="#ref-\d+" class="cite" data-ref="[^"]+" aria-label="Reference \d+: ', html)


def test_related_questions_are_links_that_ask(client, model_question):
    _, html = _answer_page(client, model_question)
    related = html[html.index('class="related"'):html.index('class="disclaimer"')]
    links = re.findall(r'href="(/ask\?q=[^"]+)"', related)
    assert len(links) >= 3
    question = parse_qs(urlparse(links[0].replace("&amp;", "&")).query)["q"][0]
    r = client.get(links[0].replace("&amp;", "&"), follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert f'<h1 class="question">{question}</h1>' in page.replace("&#39;", "'")


def test_audience_is_remembered_in_a_cookie(client, model_question):
    location, html = _answer_page(client, model_question)
    assert "Professional Medical Disclaimer" in html
    r = client.post(f"{location}/audience", data={"audience": "patient"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == location
    html = client.get(location).text
    assert "Patient Disclaimer" in html
    assert 'value="patient" id="audience-patient" aria-pressed="true"' in html
    partial = client.post(f"{location}/audience", data={"audience": "student"}, headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<article id="answer"')  # htmx gets just the answer
    assert "<html" not in partial.text
    client.cookies.clear()


def test_follow_up_form_carries_the_thread(client, model_question):
    location, html = _answer_page(client, model_question)
    thread = re.search(r'<input type="hidden" name="thread_id" value="([^"]+)">', html).group(1)
    r = client.post("/ask", data={"q": "What if she is pregnant?", "thread_id": thread}, follow_redirects=False)
    assert r.status_code == 303
    follow = r.headers["location"]
    assert follow != location
    page = client.get(follow).text
    assert '<h1 class="question">What if she is pregnant?</h1>' in page


def test_empty_question_goes_home(client):
    r = client.get("/ask", params={"q": "  "}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_safety_message_comes_first(client):
    _, html = _answer_page(client, "crushing chest pain spreading to my left arm and sweating")
    assert 'role="alert"' in html
    assert html.index('class="safety') < html.index('class="advisory"')


def test_not_covered_question_says_so(client):
    _, html = _answer_page(client, "What is the capital of France?")
    assert 'class="coverage coverage-not_covered"' in html


def test_editorial_policy_page(client):
    html = client.get("/editorial-policy").text
    for heading in ("How content is written", "How content is sourced", "How content is reviewed",
                    "How content is updated"):
        assert heading in html


def test_sources_page_lists_licences_and_references(client):
    html = client.get("/sources").text
    assert "CC BY 4.0" in html and "Asma Ben Abacha and Dina Demner-Fushman" in html
    assert "open-medicine" in html and "K-QA" in html and "Apache-2.0" in html and "0BSD" in html
    assert html.count('class="source-topic"') >= 5


def test_print_and_phone_styles_are_linked(client):
    html = client.get("/").text
    assert 'href="/static/css/print.css?v=' in html and 'media="print"' in html
    assert 'name="viewport" content="width=device-width' in html
    assert client.get("/static/css/print.css").status_code == 200


class _ApprovedEngine:
    """The real engine, with every answer marked approved (as the review store will do)."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def ask(self, question, audience="clinician", thread_id=None):
        answer = self.engine.ask(question, audience=audience, thread_id=thread_id)
        return answer.model_copy(update={"review": answer.review.model_copy(update={"status": "approved"})})

    def topics(self):
        return self.engine.topics()


def test_approved_answers_lose_the_banner(app, settings, model_question):
    from fastapi.testclient import TestClient

    from curbside.web.app import create_app
    from curbside.web.deps import engine_for

    approved = create_app(settings, engine=_ApprovedEngine(engine_for(app)))
    with TestClient(approved) as c:
        _, html = _answer_page(c, model_question)
    assert "content pending human review" not in html
    assert '<li class="step current" aria-current="step">Approved</li>' in html
    assert html.count('class="step done"') == 2
