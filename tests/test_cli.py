"""The real command line, as a user runs it."""

from __future__ import annotations

import json

from tests.conftest import MODEL_QUESTION, run_cli


def test_ask_prints_the_answer_page():
    r = run_cli("ask", MODEL_QUESTION)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Back Pain" in out and "References" in out and "Treatment algorithm" in out
    assert "pending human review" in out
    assert "Traceback" not in out + r.stderr


def test_json_format_is_the_spec_shape():
    r = run_cli("ask", MODEL_QUESTION, "--format", "json")
    a = json.loads(r.stdout)
    for key in ("question", "normalized_question", "audience", "title", "bottom_line", "sections", "algorithm",
                "pitfalls", "references", "related_questions", "review", "disclaimer", "coverage"):
        assert key in a
    assert a["review"]["status"] == "submitted"


def test_markdown_format_has_numbered_references():
    r = run_cli("ask", "What is the first-line drug for chronic back pain?", "-f", "markdown")
    assert r.returncode == 0
    assert "### References" in r.stdout and "\n1. " in r.stdout


def test_empty_question_is_a_usage_error():
    r = run_cli("ask", "")
    assert r.returncode == 2
    assert "empty" in r.stderr and "Traceback" not in r.stderr


def test_missing_question_is_a_usage_error():
    r = run_cli("ask")
    assert r.returncode == 2


def test_bad_format_and_audience_are_usage_errors():
    assert run_cli("ask", MODEL_QUESTION, "-f", "pdf").returncode == 2
    r = run_cli("ask", MODEL_QUESTION, "--audience", "robot")
    assert r.returncode == 2 and "audience" in r.stderr


def test_non_medical_question_is_refused_politely():
    r = run_cli("ask", "What is the capital of France?", "-f", "json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["coverage"] == "not_covered"


def test_100kb_question_from_stdin_is_handled():
    r = run_cli("ask", "-", "-f", "json", input="chronic low back pain treatment? " * 3200)
    assert r.returncode == 0, r.stderr
    assert "only the first" in r.stderr
    assert json.loads(r.stdout)["coverage"] in ("covered", "partial")


def test_red_flag_question_leads_with_urgent_message():
    r = run_cli("ask", "back pain and I suddenly cannot pass urine and my groin is numb")
    assert r.returncode == 0
    assert r.stdout.index("URGENT") < r.stdout.index("References")


def test_follow_up_through_the_cli():
    first = json.loads(run_cli("ask", "How is gout treated?", "-f", "json").stdout)
    follow = json.loads(run_cli("ask", "what if that fails?", "--thread", first["thread_id"], "-f", "json").stdout)
    assert follow["topics"][0].startswith("gout@")
    r = run_cli("ask", "and in pregnancy?", "--thread", "no-such-thread-id")
    assert r.returncode == 3 and "no such thread" in r.stderr


def test_eval_reports_coverage_and_citation_validity(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text('{"question": "How is gout treated?", "topic": "gout", "facet": "management"}\n'
                 '{"question": "What is the capital of France?"}\n')
    r = run_cli("eval", str(f))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "citation validity: 100.0%" in r.stdout
    assert "topic routing accuracy: 1/1" in r.stdout


def test_eval_rejects_malformed_files(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text("{not json\n")
    r = run_cli("eval", str(f))
    assert r.returncode == 2 and "not valid JSON" in r.stderr
