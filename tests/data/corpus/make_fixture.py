"""Rebuild medquad-sample.jsonl.gz: a few hundred real MedQuAD records for fast tests.

    python tests/data/corpus/make_fixture.py ../shared/data/medquad/medquad.jsonl.gz

Keeps every record of a fixed list of topics (so answers have several documents and facets to draw on),
plus a seeded random sample of other records (so search has distractors).
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

TOPICS = {"gout", "cystic fibrosis", "kidney stones", "kidney stones in adults", "what i need to know about kidney stones",
          "psoriasis", "glaucoma", "migraine", "asthma", "celiac disease", "anemia", "osteoporosis"}
SAMPLE = 220
SEED = 5


def main(src: str) -> None:
    records = [json.loads(line) for line in gzip.open(src, "rt", encoding="utf-8")]
    keep = [r for r in records if r["focus"].strip().lower() in TOPICS]
    rest = [r for r in records if r["focus"].strip().lower() not in TOPICS]
    keep += random.Random(SEED).sample(rest, SAMPLE)
    keep.sort(key=lambda r: records.index(r))
    out = Path(__file__).with_name("medquad-sample.jsonl.gz")
    with gzip.GzipFile(out, "wb", mtime=0) as gz:
        for r in keep:
            gz.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
    print(f"wrote {out} ({len(keep)} records)")


if __name__ == "__main__":
    main(sys.argv[1])
