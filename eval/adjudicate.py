"""Settle the routing sets' labels by majority vote of the original writer and two blind annotators.

    python eval/adjudicate.py            # report agreement, rewrite nothing
    python eval/adjudicate.py --write    # rewrite eval/routing and eval/drugs with the voted labels
    python eval/adjudicate.py --training [--write]   # the same for training/routing (labels in training/labels)

The questions of `eval/routing` and `eval/drugs` were labelled by the writers of each topic, who
followed different habits. Two annotators then labelled every question again under
docs/routing-labels.md, each blind to the original label, to each other and to the engine
(`eval/labels/blind-*.jsonl`; ids are `<file>:<line index>`). A vote on (first subject, facet)
decides: the label two of the three give wins; with three different labels the original stays.
A changed record keeps its original label under "original", so both can be scored.

The training set went through the same vote for the questions whose label the ranker, trained on
the other writers' files, disagreed with (`training/labels/`): the annotators saw neither the
label nor the ranker's choice, only the question, the convention and the knowledge base.

A second round (`*/labels/boundary-<annotator>.jsonl`) followed when the convention gained its section on
questions that name both a drug and a condition ("Where rules 3 and 4 meet"). Every question of the three
sets in which `understand` finds both a drug and a condition name was labelled again by two new annotators
(first the 1,053 that ask about a treatment choice or name two drugs, found by a pattern over the question
text, then the other 2,612; never chosen by the engine's answers). They saw the questions shuffled across the
three sets under opaque ids, so they knew neither the set, the label nor the engine's answer. The same vote
then runs with the label after the first round in place of the original.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ("eval/routing", "eval/drugs")
TRAINING_SETS = ("training/routing",)


def subjects(rec: dict) -> list[str]:
    return list(rec.get("drugs") or ([rec["topic"]] if rec.get("topic") else []))


def key(rec: dict) -> tuple[str | None, str | None]:
    subj = subjects(rec)
    return (subj[0] if subj else None, rec.get("facet"))


def load_blind(folder: Path) -> list[dict[str, dict]]:
    """Each annotator's labels by question id (an annotator's work may be split over several files)."""
    by_annotator: dict[str, dict[str, dict]] = collections.defaultdict(dict)
    for path in sorted(folder.glob("blind-*.jsonl")):
        annotator = path.stem.split("-")[1]  # blind-<annotator>-<part>.jsonl
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                by_annotator[annotator][rec["id"]] = rec
    return list(by_annotator.values())


def vote(original: dict, blind: list[dict], writer: dict | None = None) -> dict:
    """The record with the majority label (the original when there is no majority or it is in it).
    ``writer``: the first writer's label, kept under "original" when a later round changes a label again."""
    counts = collections.Counter([key(original)] + [key(b) for b in blind])
    winner, n = counts.most_common(1)[0]
    if n < 2 or winner == key(original) or winner[0] is None:
        return original
    source = next(b for b in blind if key(b) == winner)
    new = {"question": original["question"]}
    subj = subjects(source)
    if "drugs" in source or "drugs" in original:
        new["drugs"] = subj
    else:
        new["topic"] = subj[0]
    new["facet"] = winner[1]
    writer = writer or original
    new["original"] = {k: v for k, v in writer.items() if k not in ("question", "original")}
    return new


def load_round(folder: Path, prefix: str) -> list[dict[str, dict]]:
    """Each annotator's labels of one later round (``<prefix>-<annotator>.jsonl``), by question id."""
    out = []
    for path in sorted(folder.glob(f"{prefix}-*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        out.append({r["id"]: r for r in rows})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--training", action="store_true", help="the training set instead of the evaluation sets")
    args = parser.parse_args()
    labels = ROOT / ("training" if args.training else "eval") / "labels"
    annotators = load_blind(labels)
    boundary = load_round(labels, "boundary")
    totals = collections.Counter()
    for folder in TRAINING_SETS if args.training else SETS:
        for path in sorted((ROOT / folder).glob("*.jsonl")):
            rel = path.relative_to(ROOT).as_posix()
            out = []
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                if not line.strip():
                    continue
                rec = json.loads(line)
                original = {"question": rec["question"], **(rec.get("original") or {k: v for k, v in rec.items() if k != "question"})}
                blind = [a[f"{rel}:{i}"] for a in annotators if f"{rel}:{i}" in a]
                second = [a[f"{rel}:{i}"] for a in boundary if f"{rel}:{i}" in a]
                if not blind and not second:
                    out.append(rec)
                    continue
                if not blind:  # only in the second round
                    voted = vote(original, second)
                    totals["boundary round: questions"] += 1
                    totals["boundary round: labels changed"] += "original" in voted
                    out.append(voted)
                    continue
                totals["questions"] += 1
                totals["blind labels"] += len(blind)
                for b in blind:
                    totals["blind agrees with original: subject"] += key(b)[0] in subjects(original)
                    totals["blind agrees with original: subject and facet"] += key(b)[0] in subjects(original) and key(b)[1] == original.get("facet")
                if len(blind) == 2:
                    totals["the two blind annotators agree"] += key(blind[0]) == key(blind[1])
                voted = vote(original, blind)
                totals["labels changed by the vote"] += "original" in voted
                if second:
                    again = vote({k: v for k, v in voted.items() if k != "original"}, second, writer=original)
                    totals["boundary round: questions"] += 1
                    totals["boundary round: labels changed"] += key(again) != key(voted)
                    voted = again if key(again) != key(voted) else voted
                out.append(voted)
            if args.write:
                path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    n, b = totals["questions"], totals["blind labels"] or 1
    print(f"questions relabelled: {n}, blind labels: {totals['blind labels']}")
    for name in ("blind agrees with original: subject", "blind agrees with original: subject and facet"):
        print(f"{name}: {totals[name] / b:.1%}")
    print(f"the two blind annotators agree (subject and facet): {totals['the two blind annotators agree'] / max(n, 1):.1%}")
    print(f"labels changed by the vote: {totals['labels changed by the vote']} ({totals['labels changed by the vote'] / max(n, 1):.1%})")
    if totals["boundary round: questions"]:
        print(f"boundary round: {totals['boundary round: questions']} questions, "
              f"{totals['boundary round: labels changed']} labels changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
