"""Dense search: cosine similarity against a memory-mapped float32 matrix of passage vectors.

Scoring every vector is a matrix-vector product whose cost is reading the matrix (150 MB at 100,000
passages). Large indexes (``PREFILTER_MIN`` passages or more) also keep the vectors projected onto their
top ``REDUCED_DIM`` principal directions: a query first scores those (a third of the bytes), then the
best ``RESCORE`` candidates are rescored exactly with the full vectors, so scores are always exact
cosines and only the candidate set is approximate (bench/retrieval.py reports its recall).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from curbside.index.lexical import top_k

DENSE_DIR = "dense"
VECTORS_FILE = "vectors.npy"
REDUCED_FILE = "reduced.npy"
PROJECTION_FILE = "projection.npy"
#: Indexes at least this large get the two-stage search (below it, exact search is already fast).
PREFILTER_MIN = 50_000
REDUCED_DIM = 128
#: Candidates from the reduced vectors that are rescored exactly (at least 4 x k).
RESCORE = 400


def build_dense(vectors: np.ndarray, folder: Path) -> None:
    """Save the vectors (and, for a large index, the reduced vectors and projection) under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / VECTORS_FILE, vectors)
    if len(vectors) >= PREFILTER_MIN:
        projection = principal_directions(vectors, REDUCED_DIM)
        np.save(folder / PROJECTION_FILE, projection)
        np.save(folder / REDUCED_FILE, np.ascontiguousarray(vectors @ projection, dtype=np.float32))


def principal_directions(vectors: np.ndarray, dim: int) -> np.ndarray:
    """(d, dim) matrix of the top eigenvectors of V^T V (uncentred, so dot products are preserved best)."""
    gram = np.zeros((vectors.shape[1], vectors.shape[1]), dtype=np.float64)
    for i in range(0, len(vectors), 16384):
        block = np.asarray(vectors[i : i + 16384], dtype=np.float64)
        gram += block.T @ block
    _, eigvecs = np.linalg.eigh(gram)
    return np.ascontiguousarray(eigvecs[:, ::-1][:, :dim], dtype=np.float32)


class DenseIndex:
    """Unit vectors, one row per passage; ``search`` takes an already embedded query vector.

    >>> idx = DenseIndex(np.eye(3, dtype=np.float32))
    >>> idx.search(np.array([0, 1, 0], dtype=np.float32), 1)[0].tolist()
    [1]
    """

    def __init__(self, vectors: np.ndarray, reduced: np.ndarray | None = None, projection: np.ndarray | None = None) -> None:
        self.vectors = vectors
        self.reduced = reduced
        self.projection = projection

    @classmethod
    def open(cls, folder: Path) -> DenseIndex:
        vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")
        if (folder / REDUCED_FILE).is_file():
            return cls(vectors, np.load(folder / REDUCED_FILE, mmap_mode="r"), np.load(folder / PROJECTION_FILE))
        return cls(vectors)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Exact cosine similarity of every passage to the query."""
        return self.vectors @ query_vector.astype(np.float32)

    def search(self, query_vector: np.ndarray, k: int, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` rows by cosine similarity (only positive similarities), best first."""
        q = query_vector.astype(np.float32)
        if exact or self.reduced is None:
            return top_k(self.vectors @ q, k)
        candidates, _ = top_k(self.reduced @ (q @ self.projection), max(RESCORE, 4 * k), positive=False)
        candidates = np.sort(candidates)  # ascending rows read the memory map in order
        rows, scores = top_k(self.vectors[candidates] @ q, k)
        return candidates[rows], scores
