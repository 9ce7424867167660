"""Lexical search: BM25 (bm25s, Lucene variant) over PyStemmer-stemmed tokens, memory-mapped on load."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from curbside.index.tokenize import StemCache, tokenize

LEXICAL_DIR = "lexical"


def build_lexical(texts: Sequence[str], folder: Path, progress: Callable[[int], None] | None = None) -> None:
    """Index ``texts`` (row i = passage i) with BM25 and save it under ``folder``."""
    import bm25s

    cache = StemCache()
    corpus_tokens = []
    for i, text in enumerate(texts):
        toks = tokenize(text, cache)
        corpus_tokens.append(toks or ["\u2205"])  # bm25s wants no empty documents
        if progress and i % 1000 == 999:
            progress(1000)
    if progress:
        progress(len(texts) % 1000)
    retriever = bm25s.BM25()
    _quiet_bm25s()
    retriever.index(corpus_tokens, show_progress=False)
    retriever.save(str(folder), show_progress=False)


class LexicalIndex:
    """A loaded BM25 index; ``search`` returns (rows, scores), best first.

    >>> idx = LexicalIndex.open(Path("gen/lexical"))   # doctest: +SKIP
    >>> rows, scores = idx.search("gout treatment", 10)  # doctest: +SKIP
    """

    def __init__(self, retriever) -> None:
        self._bm25 = retriever
        self.size = int(retriever.scores["num_docs"])

    @classmethod
    def open(cls, folder: Path) -> LexicalIndex:
        import bm25s

        _quiet_bm25s()
        return cls(bm25s.BM25.load(str(folder), mmap=True, load_corpus=False))

    def token_ids(self, query: str) -> list[int]:
        """The query's tokens that the index knows, as vocabulary ids."""
        return self._bm25.get_tokens_ids(tokenize(query))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros when no query word is indexed)."""
        ids = self.token_ids(query)
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return self._bm25.get_scores_from_ids(ids)

    def search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` passage rows with a positive score, and their scores, best first."""
        return top_k(self.scores(query), k)


def top_k(scores: np.ndarray, k: int, positive: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the ``k`` highest (positive, unless told) scores, best first (ties by row)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    order = np.lexsort((part, -scores[part]))
    rows = part[order]
    if not positive:
        return rows.astype(np.int64), scores[rows].astype(np.float32)
    keep = scores[rows] > 0
    return rows[keep].astype(np.int64), scores[rows][keep].astype(np.float32)


def _quiet_bm25s() -> None:
    logging.getLogger("bm25s").setLevel(logging.WARNING)
