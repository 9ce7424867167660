"""Routing on our labelled question sets (eval/routing, eval/drugs) with the engine as shipped.

Both sets are held to their issues' gates: 95% routing and 85% facet for the drug set (issue 9)
and for the condition set (issue 4), on the voted labels (eval/adjudicate.py; docs/evaluation.md
has the figures, also on the writers' original labels). The ranker is trained on training/routing
only; a test below checks that no training question is an evaluation question.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from curbside.evaluation import evaluate_file

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "eval"
TRAINING = ROOT / "training" / "routing"


def _tally(engine, folder: str):
    files = sorted((EVAL / folder).glob("*.jsonl"))
    assert files
    reports = [evaluate_file(f, engine) for f in files]
    total = sum(r.routing_total for r in reports)
    return (total, sum(r.routing_correct for r in reports) / total,
            sum(r.facet_correct for r in reports) / sum(r.facet_total for r in reports),
            min(r.citation_validity for r in reports))


@pytest.mark.onnx
@pytest.mark.parametrize(("folder", "min_questions", "topic_min", "facet_min"),
                         [("drugs", 300, 0.95, 0.85), ("routing", 300, 0.95, 0.85)])
def test_routing_accuracy(shipped_engine, folder, min_questions, topic_min, facet_min):
    total, topic, facet, citations = _tally(shipped_engine, folder)
    assert total >= min_questions
    assert citations == 1.0
    assert topic >= topic_min, f"topic routing {topic:.1%}"
    assert facet >= facet_min, f"facet {facet:.1%}"


def test_routing_without_the_model_stays_useful(engine):
    """With dense off (no ONNX model) the ranker runs on its other features, a few points lower."""
    total, topic, facet, _ = _tally(engine, "drugs")
    assert topic >= 0.94 and facet >= 0.83, (topic, facet)


def _questions(folder: Path) -> set[str]:
    out = set()
    for path in folder.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                out.update(t["question"] for t in rec["turns"]) if "turns" in rec else out.add(rec.get("question", ""))
    out.discard("")
    return {" ".join(q.lower().split()) for q in out}


def test_training_questions_are_not_evaluation_questions():
    training = _questions(TRAINING)
    assert len(training) >= 3000
    overlap = training & _questions(EVAL)
    assert not overlap, sorted(overlap)[:5]


def test_shipped_ranker_was_trained_on_the_current_training_set():
    from curbside.answer.ranker import FEATURE_VERSION, MODEL_PATH
    from curbside.answer.ranker_train import data_hash

    data = np.load(MODEL_PATH)
    assert int(data["feature_version"]) == FEATURE_VERSION
    assert str(data["training_data"]) == data_hash(TRAINING), (
        "training/routing changed: retrain with `python -m curbside.answer.ranker_train`")


def test_shipped_claim_vectors_cover_the_knowledge_base(engine):
    """Every section text has a prebuilt vector, so a first run embeds nothing."""
    from curbside.answer.semantic import PREBUILT, _load_npz, section_texts
    from curbside.index.cache import content_key
    from curbside.index.embed import MINILM_ID

    known = _load_npz(PREBUILT)
    texts = {t for topic in engine.kb.topics.values() for _, t in section_texts(topic)}
    missing = [t for t in texts if content_key(MINILM_ID, t) not in known]
    assert not missing, f"{len(missing)} texts lack vectors: run `python -m curbside.answer.semantic`"
