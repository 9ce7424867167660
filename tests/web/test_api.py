"""The JSON API: answers in SPEC.md's shape, slugs, topics, health, and JSON errors with the right 4xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from curbside.web.app import create_app

SPEC_FIELDS = {
    "question", "normalized_question", "audience", "title", "bottom_line", "sections", "algorithm", "pitfalls",
    "references", "related_questions", "review", "disclaimer", "safety", "coverage",
}


MODEL_QUESTION = "What is the best management approach for a patient with chronic back pain?"


def _ask(client: TestClient, question: str = MODEL_QUESTION, **extra):
    return client.post("/api/v1/answers", json={"question": question, **extra})


def test_post_answer_has_the_spec_shape(client):
    r = _ask(client)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert SPEC_FIELDS <= body.keys()
    assert "Back Pain" in body["title"]
    assert body["coverage"] == "covered"
    assert body["thread_id"]
    listed = {ref["n"] for ref in body["references"]}
    cited = {n for s in body["sections"] for b in s["bullets"] for n in b["citations"]}
    assert cited and cited <= listed


def test_audience_changes_the_wording_not_the_evidence(client):
    clinician = _ask(client, audience="clinician").json()
    patient = _ask(client, audience="patient").json()
    assert patient["audience"] == "patient"
    assert patient["disclaimer"] != clinician["disclaimer"]
    assert patient["references"]


def test_follow_up_keeps_the_thread(client):
    first = _ask(client).json()
    r = _ask(client, "What if she is pregnant?", thread_id=first["thread_id"])
    assert r.status_code == 200
    follow = r.json()
    assert follow["thread_id"] == first["thread_id"]
    assert follow["slug"] != first["slug"]


def test_get_by_slug_returns_the_same_answer(client):
    posted = _ask(client).json()
    r = client.get(f"/api/v1/answers/{posted['slug']}")
    assert r.status_code == 200
    assert r.json()["title"] == posted["title"]
    assert r.json()["question"] == posted["question"]


def test_unknown_slug_is_answered_from_its_words(app, settings):
    fresh = create_app(settings)  # a "restarted" server that remembers nothing
    with TestClient(fresh) as c:
        r = c.get("/api/v1/answers/chronic-low-back-pain-treatment", params={"audience": "patient"})
    assert r.status_code == 200
    assert "Back Pain" in r.json()["title"]
    assert r.json()["audience"] == "patient"


def test_topics_and_health(client):
    topics = client.get("/api/v1/topics").json()
    assert topics and {"id", "title", "kind"} <= topics[0].keys()
    assert client.get("/api/v1/health").json()["status"] == "ok"


def test_openapi_lists_the_api_only(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {"/api/v1/answers", "/api/v1/answers/{slug}", "/api/v1/topics", "/api/v1/health"}
    assert "413" in schema["paths"]["/api/v1/answers"]["post"]["responses"]


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [
        ({"question": ""}, 400, "usage_error"),
        ({"question": "   "}, 400, "usage_error"),
        ({"question": "x" * 8001}, 413, "input_too_large"),
        ({"question": "back pain", "audience": "doctor"}, 422, "validation_error"),
        ({"question": "back pain", "colour": "blue"}, 422, "validation_error"),
        ({}, 422, "validation_error"),
        ({"question": "back pain", "thread_id": "no-such-thread-123"}, 404, "not_found"),
    ],
)
def test_bad_requests_get_json_errors(client, payload, status, error):
    r = client.post("/api/v1/answers", json=payload)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == error
    assert body["message"]
    assert "Traceback" not in r.text


def test_invalid_json_is_a_400(client):
    r = client.post("/api/v1/answers", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"] == "usage_error"


def test_oversized_body_is_refused_before_parsing(client):
    r = client.post("/api/v1/answers", content=b"x" * 200_000, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"] == "input_too_large"


def test_streamed_oversized_body_is_refused(client):
    def chunks():
        for _ in range(50):
            yield b"x" * 4096

    r = client.post("/api/v1/answers", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_unknown_path_and_wrong_method_are_json(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.json() == {"error": "not_found", "message": "Not Found"}
    r = client.delete("/api/v1/answers")
    assert r.status_code == 405
    assert r.json()["error"] == "method_not_allowed"
    assert "POST" in r.headers["allow"]


def test_rate_limit_gives_429_with_retry_after(settings):
    limited = create_app(settings.model_copy(update={"web": settings.web.model_copy(update={"rate_limit_per_minute": 3})}))
    with TestClient(limited) as c:
        codes = [c.get("/api/v1/topics").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.post("/api/v1/answers", json={"question": "back pain"})
        assert r.status_code == 429
        assert r.json()["error"] == "rate_limited"
        assert int(r.headers["retry-after"]) >= 1
        assert c.get("/api/v1/health").status_code == 200  # liveness is never limited
        assert c.get("/ask", params={"q": "back pain"}, follow_redirects=False).status_code == 429


def test_follow_up_link_survives_a_lost_thread(client, settings):
    first = _ask(client).json()
    follow = _ask(client, "What if she is pregnant?", thread_id=first["thread_id"]).json()
    for f in (settings.data_dir / "threads").glob("*.json"):
        f.unlink()
    r = client.get(f"/api/v1/answers/{follow['slug']}")
    assert r.status_code == 200
    assert r.json()["question"] == "What if she is pregnant?"
