"""Follow-up threads: our thread set (eval/threads) keeps topic and facet per turn at 90% or more."""

from __future__ import annotations

from pathlib import Path

from curbside.evaluation import evaluate_file

THREADS = Path(__file__).resolve().parents[2] / "eval" / "threads" / "threads.jsonl"


def test_thread_set_is_big_enough_and_passes(engine):
    lines = [line for line in THREADS.read_text().splitlines() if line.strip()]
    assert len(lines) >= 40
    report = evaluate_file(THREADS, engine)
    assert report.turns >= 80
    correct = report.routing_total - len(report.routing_misses)
    assert correct / report.routing_total >= 0.90, report.routing_misses


def test_a_new_subject_does_not_drag_the_old_topic(engine):
    first = engine.ask("What is the first-line treatment for migraine?")
    second = engine.ask("How is gout treated?", thread_id=first.thread_id)
    assert second.topics[0].startswith("gout@")
    assert all(not t.startswith("migraine@") for t in second.topics)


def test_constraint_follow_up_keeps_topic(engine):
    first = engine.ask("How is hypertension treated?")
    follow = engine.ask("What if she is pregnant?", thread_id=first.thread_id)
    assert follow.topics[0].startswith("hypertension@") and follow.facet == "pregnancy"
    assert "hypertension" in follow.normalized_question.lower()
