"""Dense search: cosine similarity against a memory-mapped float32 matrix of passage vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from curbside.index.lexical import top_k

DENSE_DIR = "dense"
VECTORS_FILE = "vectors.npy"


class DenseIndex:
    """Unit vectors, one row per passage; ``search`` takes an already embedded query vector.

    >>> idx = DenseIndex(np.eye(3, dtype=np.float32))
    >>> idx.search(np.array([0, 1, 0], dtype=np.float32), 1)[0].tolist()
    [1]
    """

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors

    @classmethod
    def open(cls, folder: Path) -> DenseIndex:
        return cls(np.load(folder / VECTORS_FILE, mmap_mode="r"))

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every passage to the query."""
        return self.vectors @ query_vector.astype(np.float32)

    def search(self, query_vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` rows by cosine similarity (only positive similarities), best first."""
        return top_k(self.scores(query_vector), k)
