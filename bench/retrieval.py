"""Scale benchmark: ingest and search at 100,000 passages.

    .venv/bin/python bench/retrieval.py [--passages 100000] [--data-dir DIR] [--queries 300]

Corpus: all of MedQuAD (30,356 passages) and the open-medicine guideline summaries (1,723), grown to
the target with a documented synthetic expansion: each synthetic document is 3-6 real MedQuAD sentences
drawn at random (seeded) from different passages, titled after the first one's document. Embedding
68,000 synthetic passages would take about 25 minutes on 2 cores, so their vectors are the normalised
mean of their source passages' real vectors, put in the embedding cache before ingest: the benchmark
measures the cost of indexing and searching 100,000 vectors, not their quality (eval/retrieval.py does
that). Embedding throughput is measured separately with the real model on 512 real passages.

Prints: ingest throughput (lexical and embedding separately), index size on disk, resident memory of
a fresh search process, and query latency p50/p95 per mode (dense and hybrid include embedding the query).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from curbside.config import Settings  # noqa: E402
from curbside.corpus.chunk import chunk_document, sentence_spans  # noqa: E402
from curbside.corpus.importers.jsonl import fingerprint_jsonl, import_jsonl  # noqa: E402
from curbside.corpus.importers.medquad import fingerprint_medquad, import_medquad  # noqa: E402
from curbside.corpus.importers.open_medicine import (  # noqa: E402
    fingerprint_open_medicine,
    guidelines_dir,
    import_open_medicine,
)
from curbside.corpus.ingest import SourceSpec, ingest  # noqa: E402
from curbside.corpus.model import index_text  # noqa: E402
from curbside.index.cache import EmbeddingCache, content_key  # noqa: E402
from curbside.index.embed import OnnxEmbedder  # noqa: E402
from curbside.index.store import corpus_dir, current_generation  # noqa: E402

MEDQUAD = REPO.parent / "shared" / "data" / "medquad" / "medquad.jsonl.gz"


def rss_mb() -> float:
    """This process's resident set size in MiB (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def build(args: argparse.Namespace, settings: Settings) -> None:
    embedder = OnnxEmbedder.load(threads=2)
    path = args.medquad
    t = time.perf_counter()
    r = ingest(SourceSpec("medquad", "medquad", str(path), lambda: fingerprint_medquad(path),
                          lambda: import_medquad(path, "medquad")), settings, embedder=embedder)
    print(f"medquad: {r.total_passages} passages, {r.status} in {time.perf_counter() - t:.1f} s "
          f"({r.embedded} embedded, {r.reused_vectors} from the prebuilt cache)")
    folder = guidelines_dir()
    t = time.perf_counter()
    r = ingest(SourceSpec("open-medicine", "open-medicine", str(folder), lambda: fingerprint_open_medicine(folder),
                          lambda: import_open_medicine("open-medicine", folder)), settings, embedder=embedder)
    print(f"open-medicine: {r.passages} passages, {r.status} in {time.perf_counter() - t:.1f} s ({r.embedded} embedded)")
    have = r.total_passages

    # Synthetic expansion, with mean-of-sources vectors placed in the embedding cache.
    cache = EmbeddingCache(corpus_dir(settings.data_dir) / "embcache", dim=embedder.dim, model_id=embedder.model_id)
    docs = import_medquad(path).documents
    pool = []
    for d in docs:
        for p in chunk_document(d):
            key = content_key(embedder.model_id, index_text(d.meta.title, p.text))
            sentences = [p.text[s:e] for s, e in sentence_spans(p.text) if 40 <= e - s <= 300]
            if sentences and cache.get(key) is not None:
                pool.append((d.meta.title, key, sentences))
    rng = random.Random(11)
    synth = Path(args.data_dir or settings.data_dir) / "synthetic.jsonl"
    need = max(0, args.passages - have)
    keys, vecs = [], []
    t = time.perf_counter()
    with open(synth, "w", encoding="utf-8") as fh:
        for i in range(need):
            picks = [rng.choice(pool) for _ in range(rng.randint(3, 6))]
            text = " ".join(rng.choice(s) for _, _, s in picks)[:950]
            text = re.sub(r"\s+\S*$", "", text) if len(text) == 950 else text
            title = f"{picks[0][0]} (synthetic {i})"
            fh.write(json.dumps({"id": f"s{i}", "title": title, "text": text, "publisher": "synthetic"}) + "\n")
            mean = np.mean([cache.get(k) for _, k, _ in picks], axis=0)
            keys.append((title, text))
            vecs.append(mean / np.linalg.norm(mean))
    # Key by the exact passage text the importer and chunker will produce.
    result = import_jsonl(synth, "synthetic")
    rows = {d.meta.doc_id: i for i, d in enumerate(result.documents)}
    put_keys, put_vecs = [], []
    for d in result.documents:
        for p in chunk_document(d):
            put_keys.append(content_key(embedder.model_id, index_text(d.meta.title, p.text)))
            put_vecs.append(vecs[rows[d.meta.doc_id]])
    cache.put(put_keys, np.asarray(put_vecs, dtype=np.float32))
    cache.flush()
    print(f"synthetic: {need} documents, {len(put_keys)} passages generated in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    r = ingest(SourceSpec("synthetic", "jsonl", str(synth), lambda: fingerprint_jsonl(synth),
                          lambda: import_jsonl(synth, "synthetic")), settings, embedder=embedder)
    wall = time.perf_counter() - t
    n = r.total_passages
    tm = r.timings
    print(f"\ningest of the synthetic source into a {n}-passage index: {wall:.1f} s "
          f"(import {tm['import']:.1f}, chunk {tm['chunk']:.1f}, carry {tm['carry']:.1f}, vectors {tm['embed']:.1f}, "
          f"lexical {tm['lexical']:.1f}, write {tm['write']:.1f}); {r.embedded} embedded")
    print(f"lexical indexing: {n / tm['lexical']:,.0f} passages/s (whole index rebuilt: tokenise, stem, BM25)")
    sample = [text for _, text in keys[:512]]
    t = time.perf_counter()
    embedder.embed(sample)
    dt = time.perf_counter() - t
    print(f"embedding (real model, 2 threads, 512 passages, no cache): {len(sample) / dt:,.1f} passages/s")
    print(f"ingest process peak RSS: {peak_rss_mb():,.0f} MiB")


def query(args: argparse.Namespace, settings: Settings) -> None:
    from curbside.index.search import CorpusSearcher

    base = rss_mb()
    t = time.perf_counter()
    searcher = CorpusSearcher.open(settings)
    opened = time.perf_counter() - t
    records = [json.loads(line) for line in gzip.open(args.medquad, "rt", encoding="utf-8")]
    questions = [r["question"] for r in random.Random(3).sample(records, args.queries)]
    searcher.search("warm up the model", k=8, mode="hybrid")
    for q in questions[:10]:
        searcher.search(q, k=8, mode="hybrid")
    print(f"\n{len(searcher)} passages; open {opened * 1000:.0f} ms; {args.queries} MedQuAD questions, k=8\n")
    print("| mode | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    for mode in ("lexical", "dense", "hybrid"):
        lat = []
        for q in questions:
            t = time.perf_counter()
            searcher.search(q, k=8, mode=mode)
            lat.append((time.perf_counter() - t) * 1000)
        print(f"| {mode} | {np.percentile(lat, 50):.1f} | {np.percentile(lat, 95):.1f} |")
    if searcher.dense is not None and searcher.dense.reduced is not None:
        overlap = []
        for q in questions:
            qv = searcher.embed_query(q)
            exact, _ = searcher.dense.search(qv, 10, exact=True)
            fast, _ = searcher.dense.search(qv, 10)
            overlap.append(len(set(exact.tolist()) & set(fast.tolist())) / max(1, len(exact)))
        print(f"\ntwo-stage dense search (reduced vectors, then exact rescoring) found "
              f"{np.mean(overlap):.3f} of the exact top 10")
    gen = current_generation(corpus_dir(settings.data_dir))
    print(f"\nsearch process RSS: {rss_mb():,.0f} MiB (interpreter and imports before opening: {base:,.0f} MiB; "
          f"peak {peak_rss_mb():,.0f} MiB)")
    print(f"index size on disk: {dir_mb(gen):,.0f} MiB (generation), of which dense vectors "
          f"{dir_mb(gen / 'dense'):,.0f} MiB, lexical {dir_mb(gen / 'lexical'):,.0f} MiB; "
          f"embedding cache {dir_mb(corpus_dir(settings.data_dir) / 'embcache'):,.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--medquad", type=Path, default=MEDQUAD)
    ap.add_argument("--data-dir", type=Path, default=None, help="keep the index here (default: a temp dir)")
    ap.add_argument("--query-only", action="store_true", help="only the search half (a fresh process)")
    args = ap.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="curbside-bench-"))
    settings = Settings(data_dir=data_dir)
    if args.query_only:
        query(args, settings)
        return 0
    print(f"bench data dir: {data_dir}; CPUs: {os.cpu_count()}")
    build(args, settings)
    # Search in a fresh process, so its resident memory is what a server holding the index would use.
    cmd = [sys.executable, __file__, "--query-only", "--data-dir", str(data_dir), "--queries", str(args.queries),
           "--medquad", str(args.medquad)]
    return subprocess.call(cmd)


if __name__ == "__main__":
    raise SystemExit(main())
