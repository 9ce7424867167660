"""Train the subject-and-facet ranker on the training questions and write ``answer/data/ranker.npz``.

    python -m curbside.answer.ranker_train [training/routing] [--out PATH] [--check 0.1]

Training questions (`training/routing/*.jsonl`) are labelled like the evaluation sets
({"question", "topic" | "drugs", "facet"}) under docs/routing-labels.md and are written apart
from them; the evaluation sets are never read here. Multinomial logistic regression over each
question's candidates (softmax), AdaGrad with L2, fixed seeds: the same data gives the same model,
up to floating-point noise in the question embeddings (weights differ by at most about 0.02 between runs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np

from curbside.answer.ranker import (
    DIM,
    EXAMPLES_PATH,
    FEATURE_VERSION,
    MODEL_PATH,
    ExampleSpace,
    candidate_facets,
    candidate_topics,
    candidates_for,
    rare_hits,
)
from curbside.answer.text import clean_text
from curbside.answer.understand import understand
from curbside.index.cache import write_npz_atomic

EPOCHS = 10
SEEDS = 3  # the model is the average of this many runs over differently shuffled data: steadier than one
RATE = 0.02  # small steps generalise better here: held-out 83.0% against 80.1% at 0.1
L2 = 1e-6


def read_examples(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    row = json.loads(line)
                    row["_source"] = path.name  # one writer's batch: its questions are not each other's neighbours
                    rows.append(row)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{n}: not JSON ({exc.msg})") from None
    return rows


def data_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def usable(rows: list[dict], kb) -> tuple[list[tuple[dict, str, str]], int]:
    """(record, subject, facet) of the records whose subject is a topic and whose facet it has; the count skipped."""
    out, skipped = [], 0
    for rec in rows:
        subject = (rec.get("drugs") or [rec.get("topic")])[0]
        facet = rec.get("facet")
        topic = kb.topics.get(subject)
        if topic is None or not facet or facet not in candidate_facets(topic, 2):
            skipped += 1
            continue
        out.append((rec, subject, facet))
    return out, skipped


def example_space(records: list[tuple[dict, str, str]], engine) -> ExampleSpace | None:
    """The training questions embedded, with their labels (None without the model)."""
    space = engine.claim_space
    if space is None:
        return None
    topics = [s for _, s, _ in records]
    vectors = space.embedder.embed([clean_text(r["question"]) for r, _, _ in records])
    return ExampleSpace(vectors, topics, [f for _, _, f in records], [engine.kb.topics[s].kind for s in topics])


def build(records: list[tuple[dict, str, str]], engine, examples: ExampleSpace | None,
          rows_in_space: list[int] | None = None, sources: list[str] | None = None) -> list:
    """Each example as (candidate features, index of the gold candidate). ``rows_in_space[i]`` is record i's
    row in ``examples``; ``sources[j]`` the file row j of ``examples`` came from. A question's neighbours are
    never from its own file: written by the same hand at the same time, they are closer to it than any new
    question will be to the training set, and the model would learn to trust them too much."""
    kb = engine.kb
    space = engine.claim_space
    by_source: dict[str, np.ndarray] = {}
    if sources is not None:
        for name in set(sources):
            by_source[name] = np.flatnonzero(np.asarray(sources) == name)
    out = []
    for n, (rec, gold_topic, facet) in enumerate(records):
        query = understand(rec["question"], engine.vocab)
        lexical = engine.index.search(query.expanded)
        qvec = examples.vectors[rows_in_space[n]] if examples is not None and rows_in_space is not None else (
            space.embed_question(query.text) if space is not None else None)
        exclude = by_source.get(rec.get("_source"), np.zeros(0, dtype=np.int64)) if sources is not None else None
        if exclude is not None and rows_in_space is not None:
            exclude = np.append(exclude, rows_in_space[n])
        sims = examples.similarities(qvec, exclude) if examples is not None and qvec is not None else None
        named = candidate_topics(query, engine.index, lexical, examples.near_topics(sims) if sims is not None else [])
        topics = named if gold_topic in {t.id for t in named} else [kb.topics[gold_topic]]
        cands, feats = candidates_for(query, topics, lexical, space, qvec, examples, sims,
                                      rare_hits(query, engine.index.rare_words))
        gold = next((i for i, c in enumerate(cands) if c.topic.id == gold_topic and c.facet == facet), None)
        if gold is not None:
            out.append((feats, gold))
    return out


def train(examples: list, epochs: int = EPOCHS, seed: int = 0) -> np.ndarray:
    """AdaGrad on the softmax loss over each example's candidates."""
    w = np.zeros(DIM, dtype=np.float64)
    g2 = np.full(DIM, 1e-8)
    order = list(range(len(examples)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            feats, gold = examples[k]
            scores = np.array([w[i] @ v for i, v in feats])
            p = np.exp(scores - scores.max())
            p /= p.sum()
            p[gold] -= 1.0
            idx = np.concatenate([i for i, _ in feats])
            grad = np.concatenate([v * p[c] for c, (_, v) in enumerate(feats)])
            uniq, inv = np.unique(idx, return_inverse=True)
            g = np.bincount(inv, weights=grad) + L2 * w[uniq]
            g2[uniq] += g * g
            w[uniq] -= RATE * g / np.sqrt(g2[uniq])
    return w


def train_averaged(examples: list, seeds: int = SEEDS) -> np.ndarray:
    """The mean of the weights of several training runs (different shuffles)."""
    return sum(train(examples, seed=s) for s in range(seeds)) / seeds


def accuracy(w: np.ndarray, examples: list) -> float:
    hits = sum(int(np.argmax([w[i] @ v for i, v in feats]) == gold) for feats, gold in examples)
    return hits / len(examples) if examples else 0.0


def save(w: np.ndarray, path: Path, source_hash: str) -> int:
    index = np.flatnonzero(np.abs(w) > 1e-4).astype(np.int32)
    write_npz_atomic(path, compressed=True, index=index, value=w[index].astype(np.float16),
                     feature_version=np.asarray(FEATURE_VERSION), training_data=np.asarray(source_hash))
    return len(index)


def main(argv: list[str] | None = None) -> int:
    from curbside.engine import get_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="training/routing", type=Path)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--check", type=float, default=0.0, help="hold out this share to report accuracy first")
    args = parser.parse_args(argv)
    rows = read_examples(args.folder)
    if not rows:
        print(f"no training questions in {args.folder}", file=sys.stderr)
        return 1
    engine = get_engine()
    records, skipped = usable(rows, engine.kb)
    print(f"{len(rows)} training questions, {len(records)} usable, {skipped} skipped (unknown topic or facet)")
    if args.check:
        order = list(range(len(records)))
        random.Random(1).shuffle(order)
        cut = int(len(order) * args.check)
        held, kept_rows = [records[i] for i in order[:cut]], [records[i] for i in order[cut:]]
        space = example_space(kept_rows, engine)
        kept_sources = [r["_source"] for r, _, _ in kept_rows]
        train_set = build(kept_rows, engine, space, list(range(len(kept_rows))), kept_sources)
        w = train_averaged(train_set)
        test_set = build(held, engine, space, sources=kept_sources)
        print(f"held-out check: {accuracy(w, test_set):.1%} of {len(test_set)} (train {accuracy(w, train_set):.1%})")
    space = example_space(records, engine)
    examples = build(records, engine, space, list(range(len(records))), [r["_source"] for r, _, _ in records])
    w = train_averaged(examples)
    kept = save(w, args.out, data_hash(args.folder))
    if space is not None and args.out == MODEL_PATH:
        space.save(EXAMPLES_PATH)
    print(f"wrote {args.out} ({kept} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
