"""Reciprocal rank fusion is a pure function over ranked lists."""

from __future__ import annotations

import pytest

from curbside.index.fusion import RRF_K, reciprocal_rank_fusion


def test_items_in_both_lists_beat_items_in_one():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "d", "b"]])
    assert [item for item, _ in fused][:2] == ["b", "c"] or [item for item, _ in fused][:2] == ["c", "b"]
    assert {item for item, _ in fused} == {"a", "b", "c", "d"}


def test_scores_follow_the_formula():
    fused = dict(reciprocal_rank_fusion([["x", "y"], ["y"]], k=RRF_K))
    assert fused["x"] == pytest.approx(1 / (RRF_K + 1))
    assert fused["y"] == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))


def test_pure_and_deterministic():
    rankings = [[3, 1, 2], [2, 3, 4]]
    copy = [list(r) for r in rankings]
    assert reciprocal_rank_fusion(rankings) == reciprocal_rank_fusion(rankings)
    assert rankings == copy  # inputs untouched


def test_ties_break_by_best_rank_then_first_seen():
    assert [i for i, _ in reciprocal_rank_fusion([["a", "b"], ["b", "a"]])] == ["a", "b"]
    assert [i for i, _ in reciprocal_rank_fusion([["p"], ["q"]])] == ["p", "q"]


def test_weights_and_empty_lists():
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], ["a"]]) == [("a", pytest.approx(1 / (RRF_K + 1)))]
    assert [i for i, _ in reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 2.0])] == ["b", "a"]
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 1.0])
