"""The embedding cache: content keys, float16 storage, atomic shards, compaction."""

from __future__ import annotations

import numpy as np

from curbside.index import cache as cache_mod
from curbside.index.cache import EmbeddingCache, content_key


def test_put_flush_and_reload(tmp_path):
    c = EmbeddingCache(tmp_path, dim=4, model_id="m", packaged=False)
    keys = [content_key("m", t) for t in ("a", "b")]
    back = c.put(keys, np.eye(2, 4, dtype=np.float32))
    assert back.dtype == np.float32 and c.get(keys[0]) is not None
    c.flush()
    again = EmbeddingCache(tmp_path, dim=4, model_id="m", packaged=False)
    assert np.array_equal(again.get(keys[1]), np.eye(2, 4, dtype=np.float32)[1])
    assert EmbeddingCache(tmp_path, dim=4, model_id="other", packaged=False).get(keys[0]) is None
    assert content_key("m", "a") != content_key("other", "a")


def test_keys_ending_in_zero_bytes_survive(tmp_path):
    c = EmbeddingCache(tmp_path, dim=2, model_id="m", packaged=False)
    key = b"\x01" * 14 + b"\x00\x00"
    c.put([key], np.ones((1, 2), dtype=np.float32))
    c.flush()
    assert EmbeddingCache(tmp_path, dim=2, model_id="m", packaged=False).get(key) is not None


def test_many_shards_are_compacted(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_mod, "MAX_SHARDS", 3)
    c = EmbeddingCache(tmp_path, dim=2, model_id="m", packaged=False)
    keys = [content_key("m", str(i)) for i in range(6)]
    for i, key in enumerate(keys):
        c.put([key], np.full((1, 2), i, dtype=np.float32))
        c.flush()
    assert len(list(tmp_path.glob("emb-m-*.npz"))) <= 3
    reloaded = EmbeddingCache(tmp_path, dim=2, model_id="m", packaged=False)
    assert [float(reloaded.get(k)[0]) for k in keys] == [0, 1, 2, 3, 4, 5]


def test_a_damaged_shard_is_only_a_miss(tmp_path):
    (tmp_path / "emb-m-broken.npz").write_bytes(b"not a zip")
    assert len(EmbeddingCache(tmp_path, dim=2, model_id="m", packaged=False)) == 0
