"""Question-to-section similarity in the MiniLM embedding space, a signal for the ranker.

Every section's heading and claims are embedded once; a question is embedded when asked, and for
each candidate topic the ranker gets, per facet, the cosine of the question with the section text
closest to it. Paraphrases that share no word ("can he detox at home?" and "outpatient withdrawal
management suits…") meet here.

The vectors of the shipped knowledge base come prebuilt in ``answer/data/claim-vectors.npz``
(rebuild: ``python -m curbside.answer.semantic``); texts added or changed since are embedded at
first use and kept in the data folder's cache. Without onnxruntime or the model the ranker runs
without this signal.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np

from curbside.index.cache import content_key, write_npz_atomic
from curbside.knowledge.loader import KnowledgeBase
from curbside.knowledge.schema import Topic

log = logging.getLogger(__name__)

PREBUILT = Path(__file__).resolve().parent / "data" / "claim-vectors.npz"


def section_texts(topic: Topic) -> list[tuple[str, str]]:
    """(facet, text) for every heading, intro and claim of the topic's sections."""
    out = []
    for sec in topic.sections:
        if sec.facet.value == "algorithm":
            continue
        out.append((sec.facet.value, sec.heading))
        if sec.intro:
            out.append((sec.facet.value, sec.intro.text))
        out.extend((sec.facet.value, c.text) for c in sec.claims)
    return out


def _load_npz(path: Path) -> dict[bytes, np.ndarray]:
    try:
        data = np.load(path)
        keys, vectors = data["keys"], data["vectors"]
    except (OSError, KeyError, ValueError):
        return {}
    return {bytes(k): vectors[i] for i, k in enumerate(keys)}


class ClaimSpace:
    """The embedded section texts of a knowledge base and the embedder for questions."""

    def __init__(self, embedder, kb: KnowledgeBase, cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        texts: list[str] = []
        self._rows: dict[str, dict[str, np.ndarray]] = {}
        for topic in kb.topics.values():
            by_facet: dict[str, list[int]] = {}
            for facet, text in section_texts(topic):
                by_facet.setdefault(facet, []).append(len(texts))
                texts.append(text)
            self._rows[topic.id] = {f: np.asarray(r) for f, r in by_facet.items()}
        keys = [content_key(embedder.model_id, t) for t in texts]
        known = _load_npz(PREBUILT)
        cache = cache_dir / f"claim-vectors-{kb.fingerprint}.npz" if cache_dir else None
        if cache is not None and cache.exists():
            known.update(_load_npz(cache))
        missing = sorted({i for i, k in enumerate(keys) if k not in known}, key=texts.__getitem__)
        if missing:
            log.info("embedding %d knowledge-base texts not in the prebuilt vectors", len(missing))
            fresh = embedder.embed([texts[i] for i in missing])
            for i, vec in zip(missing, fresh, strict=True):
                known[keys[i]] = vec
            if cache is not None:
                try:
                    cache.parent.mkdir(parents=True, exist_ok=True)
                    write_npz_atomic(cache, keys=np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 16),
                                     vectors=np.stack([known[k] for k in keys]).astype(np.float16))
                except OSError as exc:  # a read-only data folder costs time on the next start, nothing else
                    log.warning("could not cache knowledge-base vectors: %s", exc)
        self.matrix = np.stack([known[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, embedder.dim))
        self.keys = keys

    def embed_question(self, text: str) -> np.ndarray:
        return self.embedder.embed([text])[0]

    def similarity(self, qvec: np.ndarray, topic: Topic) -> dict[str, float]:
        """For each facet of the topic, the best cosine between the question and one of its section texts."""
        rows = self._rows.get(topic.id, {})
        return {facet: float((self.matrix[r] @ qvec).max()) for facet, r in rows.items() if len(r)}


def load_claim_space(kb: KnowledgeBase, cache_dir: Path | None, enabled: bool = True) -> ClaimSpace | None:
    """The claim space, or None when dense search is off or the model cannot be loaded."""
    from curbside.index.embed import load_embedder

    embedder = load_embedder(enabled)
    if embedder is None:
        return None
    return ClaimSpace(embedder, kb, cache_dir)


def main() -> int:
    """Rebuild the shipped vectors for the bundled knowledge base."""
    from curbside.index.embed import OnnxEmbedder
    from curbside.knowledge.loader import load_knowledge_base

    kb = load_knowledge_base()
    embedder = OnnxEmbedder.load()
    texts = sorted({t for topic in kb.topics.values() for _, t in section_texts(topic)})
    vectors = embedder.embed(texts)
    keys = [content_key(embedder.model_id, t) for t in texts]
    write_npz_atomic(PREBUILT, keys=np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 16),
                     vectors=vectors.astype(np.float16))
    print(f"wrote {PREBUILT} ({len(texts)} texts)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
