"""Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): a pure function over ranked lists."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)

#: RRF's k: damps the weight of the very first ranks. The paper's default is 60; with the lexical list
#: weighted down (below), k=10 did as well on a MedQuAD tuning sample and keeps a lexical-only first hit
#: (an exact drug name or score the model does not know) in the top dozen (docs/retrieval.md).
RRF_K = 10
#: Weights of the (lexical, dense) lists in hybrid search, tuned on MedQuAD questions disjoint from the
#: reported evaluation sample: BM25 alone ranks MedQuAD answers clearly worse than MiniLM does.
HYBRID_WEIGHTS = (0.5, 1.0)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[T]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[T, float]]:
    """Fuse ranked lists (best first) into one: score(d) = sum_i w_i / (k + rank_i(d)), rank from 1.

    Ties are broken by the best single rank, then by first appearance, so the output is deterministic.

    >>> reciprocal_rank_fusion([["a", "b"], ["b", "c"]], k=1)
    [('b', 0.8333333333333333), ('a', 0.5), ('c', 0.3333333333333333)]
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[T, float] = {}
    best: dict[T, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            if rank < best.get(item, 1 << 30):
                best[item] = rank
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], best[kv[0]], order[kv[0]]))
