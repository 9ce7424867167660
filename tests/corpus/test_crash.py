"""Crash safety: an ingest killed with SIGKILL at any moment leaves the previous index fully usable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from curbside.corpus.ingest import ingest, list_sources
from curbside.index import store
from curbside.index.embed import HashingEmbedder
from curbside.index.search import CorpusSearcher
from tests.corpus.conftest import DATA, MEDQUAD_SAMPLE, jsonl_spec

REPO = Path(__file__).resolve().parents[2]

# The child ingests the MedQuAD sample with a slowed-down embedder and tiny cache flushes, so the kill can
# land while embedding, while writing the lexical index, or while committing.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import curbside.corpus.ingest as ingest_mod
    from curbside.config import Settings
    from curbside.corpus.importers.medquad import fingerprint_medquad, import_medquad
    from curbside.index.embed import HashingEmbedder

    class Slow(HashingEmbedder):
        def embed(self, texts, progress=None):
            time.sleep(0.02)
            return super().embed(texts, progress)

    ingest_mod.FLUSH_EVERY = 40
    path = Path(sys.argv[2])
    spec = ingest_mod.SourceSpec("medquad", "medquad", str(path), lambda: fingerprint_medquad(path),
                                 lambda: import_medquad(path, "medquad"))
    print("start", flush=True)
    ingest_mod.ingest(spec, Settings(data_dir=sys.argv[1]), embedder=Slow(32))
    print("done", flush=True)
    """
)


def _assert_usable(settings, embedder) -> None:
    searcher = CorpusSearcher.open(settings, embedder=embedder)
    assert searcher is not None
    assert "sample" in searcher.sources
    hits = searcher.search("salt lowers blood pressure", k=3, mode="hybrid")
    assert hits and hits[0].doc_id == "sample:htn-2" and hits[0].publisher == "Example Heart Charity"
    for row in range(len(searcher)):  # every passage and its document resolve
        searcher.hit(row)


def test_sigkill_mid_ingest_leaves_previous_index_usable(settings):
    embedder = HashingEmbedder(32)
    ingest(jsonl_spec(DATA / "sample.jsonl"), settings, embedder=embedder)
    root = store.corpus_dir(settings.data_dir)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    killed_during_build = 0
    for delay in (0.0, 0.15, 0.3, 0.6, 0.9, 1.3):
        with subprocess.Popen([sys.executable, "-c", CHILD, str(settings.data_dir), str(MEDQUAD_SAMPLE)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
            assert child.stdout.readline().strip() == "start"
            time.sleep(delay)
            killed_during_build += any(root.glob("tmp-*"))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        _assert_usable(settings, embedder)
        if "medquad" in list_sources(settings):  # the kill came after the commit: the new index is whole
            break
    assert killed_during_build >= 1, "no kill landed while a generation was being built"
    # A later ingest sweeps the leftovers and succeeds, reusing the vectors flushed before the kills.
    from tests.corpus.conftest import medquad_spec

    report = ingest(medquad_spec(), settings, embedder=embedder)
    assert report.status in ("added", "unchanged")
    assert not list(root.glob("tmp-*"))
    _assert_usable(settings, embedder)
    assert set(list_sources(settings)) == {"sample", "medquad"}
