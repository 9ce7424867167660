"""Routing on our labelled question sets (eval/routing, eval/drugs): a regression floor.

The issues ask for 95% topic and 85% facet accuracy; we are not there (docs/evaluation.md has
the figures). These floors sit a few points under today's figures so a change that makes
routing worse fails here, while the figures in the docs say how far we are from the target.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.evaluation import evaluate_file

EVAL = Path(__file__).resolve().parents[2] / "eval"


def _tally(engine, folder: str):
    files = sorted((EVAL / folder).glob("*.jsonl"))
    assert files
    reports = [evaluate_file(f, engine) for f in files]
    total = sum(r.routing_total for r in reports)
    return (total, sum(r.routing_correct for r in reports) / total,
            sum(r.facet_correct for r in reports) / sum(r.facet_total for r in reports),
            min(r.citation_validity for r in reports))


@pytest.mark.parametrize(("folder", "min_questions", "topic_floor", "facet_floor"),
                         [("routing", 300, 0.80, 0.45), ("drugs", 300, 0.78, 0.52)])
def test_routing_does_not_regress(engine, folder, min_questions, topic_floor, facet_floor):
    total, topic, facet, citations = _tally(engine, folder)
    assert total >= min_questions
    assert citations == 1.0
    assert topic >= topic_floor, f"topic routing {topic:.1%}"
    assert facet >= facet_floor, f"facet {facet:.1%}"
