"""The shipped MedQuAD embedding shard covers every passage the current chunker cuts from MedQuAD.

If this fails, the chunker or the indexed text changed: rebuild the shard with
``python -m curbside.index.prebuilt ../shared/data/medquad/medquad.jsonl.gz`` or the first
``curbside ingest medquad`` will embed every passage (minutes instead of seconds).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from curbside.corpus.chunk import chunk_document
from curbside.corpus.importers.medquad import import_medquad
from curbside.corpus.model import index_text
from curbside.index.cache import PACKAGED_DIR, content_key
from curbside.index.embed import MINILM_ID

MEDQUAD = Path(__file__).resolve().parents[3] / "shared" / "data" / "medquad" / "medquad.jsonl.gz"
SHARD = PACKAGED_DIR / f"emb-{MINILM_ID}-medquad.npz"


@pytest.mark.skipif(not MEDQUAD.is_file(), reason="shared MedQuAD data not present")
def test_packaged_shard_covers_current_medquad_passages():
    with np.load(SHARD) as data:
        raw = np.ascontiguousarray(data["keys"]).tobytes()
        assert data["vectors"].shape[1] == 384 and data["vectors"].dtype == np.float16
    shipped = {raw[i : i + 16] for i in range(0, len(raw), 16)}
    missing = 0
    for doc in import_medquad(MEDQUAD).documents:
        for p in chunk_document(doc):
            missing += content_key(MINILM_ID, index_text(doc.meta.title, p.text)) not in shipped
    assert missing == 0, f"{missing} MedQuAD passages have no prebuilt vector"
