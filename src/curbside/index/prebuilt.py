"""Rebuild the shipped MedQuAD embedding shard (``curbside/index/data/emb-<model>-medquad.npz``).

    python -m curbside.index.prebuilt ../shared/data/medquad/medquad.jsonl.gz [--work DIR]

It imports and cuts MedQuAD exactly as ``curbside ingest medquad`` does, embeds every passage with the
real model (11 to 19 minutes on 2 cores; resumable: work is flushed to DIR every 1,024 passages), and
writes one shard holding exactly the vectors of the current MedQuAD passages. With the shard installed a
first ``curbside ingest medquad`` only looks vectors up by content hash; a passage whose text (or the
chunker) changed misses the cache and is embedded at ingest time, so a stale shard costs time, never
correctness.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from curbside.corpus.chunk import chunk_document
from curbside.corpus.importers.medquad import import_medquad
from curbside.corpus.model import index_text
from curbside.index.cache import PACKAGED_DIR, EmbeddingCache, _safe, content_key, write_npz_atomic
from curbside.index.embed import OnnxEmbedder

_STEP = 1024


def main(argv: list[str] | None = None) -> int:
    """Build the shard; returns a process exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("medquad", type=Path)
    ap.add_argument("--work", type=Path, default=Path(".data/prebuilt-work"), help="resumable scratch cache")
    ap.add_argument("--out", type=Path, default=None, help="output shard (default: the packaged one)")
    ap.add_argument("--threads", type=int, default=None, help="onnxruntime threads (default: up to 8)")
    args = ap.parse_args(argv)
    embedder = OnnxEmbedder.load(threads=args.threads)
    result = import_medquad(args.medquad)
    texts: dict[bytes, str] = {}
    for doc in result.documents:
        for p in chunk_document(doc):
            t = index_text(doc.meta.title, p.text)
            texts[content_key(embedder.model_id, t)] = t
    work = EmbeddingCache(args.work, dim=embedder.dim, model_id=embedder.model_id, packaged=False)
    missing = [k for k in texts if work.get(k) is None]
    print(f"{len(texts)} passages, {len(missing)} to embed", file=sys.stderr)
    start = time.perf_counter()
    for i in range(0, len(missing), _STEP):
        keys = missing[i : i + _STEP]
        work.put(keys, embedder.embed([texts[k] for k in keys]))
        work.flush()
        done = i + len(keys)
        rate = done / (time.perf_counter() - start)
        print(f"{done}/{len(missing)} embedded ({rate:.0f}/s)", file=sys.stderr)
    keys = sorted(texts)
    vectors = np.stack([work.get(k) for k in keys]).astype(np.float16)
    out = args.out or PACKAGED_DIR / f"emb-{_safe(embedder.model_id)}-medquad.npz"
    write_npz_atomic(out, keys=np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 16), vectors=vectors)
    print(f"wrote {out} ({len(keys)} vectors)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
