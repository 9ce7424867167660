"""`CorpusSearcher`: lexical, dense or hybrid (RRF) search over the ingested corpus, returning `Hit`s.

>>> searcher = CorpusSearcher.open(settings)                 # doctest: +SKIP
>>> hits = searcher.search("what causes gout?", k=5)         # doctest: +SKIP
>>> hits[0].title, hits[0].publisher, hits[0].url            # doctest: +SKIP
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from curbside.config import Settings, get_settings
from curbside.index.dense import DENSE_DIR, DenseIndex
from curbside.index.embed import MINILM_ID, DenseUnavailable, Embedder, OnnxEmbedder
from curbside.index.fusion import HYBRID_WEIGHTS, RRF_K, reciprocal_rank_fusion
from curbside.index.lexical import LEXICAL_DIR, LexicalIndex
from curbside.index.store import JsonlTable, corpus_dir, current_generation

SearchMode = Literal["hybrid", "lexical", "dense"]
#: How deep each retriever's list goes before fusion (at least; 5 x k when k is larger).
FUSION_DEPTH = 50


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved passage with everything needed to show and cite it."""

    passage_id: str
    text: str
    score: float
    section_path: tuple[str, ...]
    char_start: int
    char_end: int
    doc_id: str
    source: str
    title: str
    publisher: str
    type: str
    url: str | None = None
    year: int | None = None
    license: str | None = None
    doi: str | None = None
    facet: str | None = None
    collection: str = ""
    row: int = -1


class CorpusSearcher:
    """Searches one generation of the corpus index; cheap to open (everything is memory-mapped)."""

    def __init__(self, generation: Path, embedder: Embedder | None = None, dense: bool = True) -> None:
        self.generation = generation
        self.manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
        self.lexical = LexicalIndex.open(generation / LEXICAL_DIR)
        self.passages = JsonlTable.open(generation / "passages.jsonl")
        self.docs = JsonlTable.open(generation / "docs.jsonl")
        self.passage_doc = np.load(generation / "passage_doc.npy", mmap_mode="r")
        self.dense: DenseIndex | None = None
        self._embedder = embedder
        self._embedder_failed = False
        self._lock = threading.Lock()
        model = (self.manifest.get("dense") or {}).get("model_id")
        if dense and model and (embedder is None or embedder.model_id == model):
            if embedder is not None or model == MINILM_ID:
                self.dense = DenseIndex.open(generation / DENSE_DIR)

    @classmethod
    def open(cls, settings: Settings | None = None, embedder: Embedder | None = None) -> CorpusSearcher | None:
        """The searcher of the current index under ``settings.data_dir``; None when it holds no passage."""
        settings = settings or get_settings()
        generation = current_generation(corpus_dir(settings.data_dir))
        if generation is None:
            return None
        searcher = cls(generation, embedder=embedder, dense=settings.retrieval.dense)
        return searcher if len(searcher) else None

    def __len__(self) -> int:
        return len(self.passages)

    def is_current(self, settings: Settings | None = None) -> bool:
        """Whether this searcher still reads the current generation (a long-lived server reopens if not)."""
        settings = settings or get_settings()
        return current_generation(corpus_dir(settings.data_dir)) == self.generation

    @property
    def sources(self) -> dict[str, dict]:
        """The ingested collections, by name (kind, origin, counts)."""
        return self.manifest.get("sources", {})

    def _query_embedder(self) -> Embedder | None:
        if self.dense is None or self._embedder_failed:
            return None
        if self._embedder is None:
            with self._lock:
                if self._embedder is None and not self._embedder_failed:
                    try:
                        self._embedder = OnnxEmbedder.load(threads=2)
                    except DenseUnavailable:
                        self._embedder_failed = True
        return self._embedder

    @property
    def dense_available(self) -> bool:
        """Whether dense (and so hybrid) search can run; otherwise every mode is lexical."""
        return self._query_embedder() is not None

    def embed_query(self, query: str) -> np.ndarray | None:
        """The query's vector, or None when dense search is unavailable."""
        embedder = self._query_embedder()
        return None if embedder is None else embedder.embed([query])[0]

    def search_rows(
        self, query: str, k: int = 8, mode: SearchMode = "hybrid", query_vector: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(passage row, score) pairs, best first; hybrid and dense fall back to lexical without a model."""
        if mode not in ("hybrid", "lexical", "dense"):
            raise ValueError(f"unknown search mode {mode!r}")
        if not query.strip() or k <= 0:
            return []
        if mode != "lexical" and query_vector is None:
            query_vector = self.embed_query(query)
        if mode == "lexical" or query_vector is None or self.dense is None:
            rows, scores = self.lexical.search(query, k)
            return list(zip(rows.tolist(), scores.tolist(), strict=True))
        if mode == "dense":
            rows, scores = self.dense.search(query_vector, k)
            return list(zip(rows.tolist(), scores.tolist(), strict=True))
        depth = max(FUSION_DEPTH, 5 * k)
        lex_rows, _ = self.lexical.search(query, depth)
        dense_rows, _ = self.dense.search(query_vector, depth)
        fused = reciprocal_rank_fusion([lex_rows.tolist(), dense_rows.tolist()], k=RRF_K, weights=HYBRID_WEIGHTS)
        return fused[:k]

    def search(self, query: str, k: int = 8, mode: SearchMode = "hybrid") -> list[Hit]:
        """The ``k`` best passages for ``query``, best first, each with its document's metadata."""
        return [self.hit(row, score) for row, score in self.search_rows(query, k, mode)]

    def hit(self, row: int, score: float = 0.0) -> Hit:
        """The passage at ``row`` as a Hit."""
        p = self.passages.row(row)
        d = self.docs.row(int(self.passage_doc[row]))
        return Hit(
            passage_id=p["id"],
            text=p["text"],
            score=float(score),
            section_path=tuple(p["path"]),
            char_start=p["start"],
            char_end=p["end"],
            doc_id=d["doc_id"],
            source=d["source"],
            title=d["title"],
            publisher=d["publisher"],
            type=d["type"],
            url=d.get("url"),
            year=d.get("year"),
            license=d.get("license"),
            doi=d.get("doi"),
            facet=p.get("facet"),
            collection=d.get("collection", ""),
            row=row,
        )
