"""Embeddings cached by content hash, so re-ingesting unchanged text never re-embeds it.

The cache is a folder of shard files (``*.npz``: ``keys`` 16-byte digests as uint8 rows, ``vectors`` float16), each
written atomically. Shards shipped in ``curbside/index/data/`` (a prebuilt MedQuAD shard, reproducible
with ``python -m curbside.index.prebuilt``) are read as well, never written.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

PACKAGED_DIR = Path(__file__).parent / "data"
#: More shard files than this in the cache folder are merged into one after a flush.
MAX_SHARDS = 16


def content_key(model_id: str, text: str) -> bytes:
    """The cache key of one embedded text: 16 bytes of sha256 over the model id and the text."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).digest()[:16]


class EmbeddingCache:
    """Vectors by content key, loaded from shard files; ``put`` + ``flush`` write a new shard.

    >>> cache = EmbeddingCache(Path("/tmp/cb-cache"), dim=4, model_id="m")  # doctest: +SKIP
    >>> cache.get(content_key("m", "text"))                                 # doctest: +SKIP
    """

    def __init__(self, folder: Path, dim: int, model_id: str, packaged: bool = True) -> None:
        self.folder = Path(folder)
        self.dim = dim
        self.model_id = model_id
        self._index: dict[bytes, tuple[int, int]] = {}
        self._shards: list[np.ndarray] = []
        self._pending_keys: list[bytes] = []
        self._pending_vecs: list[np.ndarray] = []
        folders = [PACKAGED_DIR] if packaged else []
        folders.append(self.folder)
        for folder_ in folders:
            for path in sorted(folder_.glob(f"emb-{_safe(model_id)}-*.npz")):
                self._load_shard(path)

    def _load_shard(self, path: Path) -> None:
        try:
            with np.load(path) as data:
                keys, vecs = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError):
            return  # a damaged shard is only a cache miss
        if vecs.ndim != 2 or vecs.shape[1] != self.dim or len(keys) != len(vecs):
            return
        shard = len(self._shards)
        self._shards.append(vecs)
        raw = np.ascontiguousarray(keys, dtype=np.uint8).tobytes()
        for row in range(len(vecs)):
            self._index[raw[row * 16 : row * 16 + 16]] = (shard, row)

    def __len__(self) -> int:
        return len(self._index) + len(self._pending_keys)

    def get(self, key: bytes) -> np.ndarray | None:
        """The cached vector (float32) for a key, or None."""
        hit = self._index.get(key)
        if hit is None:
            return None
        return self._shards[hit[0]][hit[1]].astype(np.float32)

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> np.ndarray:
        """Remember vectors (stored as float16); returns them as they will be read back."""
        stored = vectors.astype(np.float16)
        self._pending_keys.extend(keys)
        self._pending_vecs.append(stored)
        shard = len(self._shards)
        self._shards.append(stored)
        for row, key in enumerate(keys):
            self._index[key] = (shard, row)
        return stored.astype(np.float32)

    def flush(self) -> Path | None:
        """Write the vectors put since the last flush as one new shard file (atomically)."""
        if not self._pending_keys:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = np.frombuffer(b"".join(self._pending_keys), dtype=np.uint8).reshape(-1, 16)
        vecs = np.concatenate(self._pending_vecs)
        name = hashlib.sha256(keys.tobytes()).hexdigest()[:16]
        final = self.folder / f"emb-{_safe(self.model_id)}-{name}.npz"
        write_npz_atomic(final, keys=keys, vectors=vecs)
        self._pending_keys, self._pending_vecs = [], []
        shards = sorted(self.folder.glob(f"emb-{_safe(self.model_id)}-*.npz"))
        if len(shards) > MAX_SHARDS:
            final = self._compact(shards)
        return final

    def _compact(self, shards: list[Path]) -> Path:
        """Merge shard files into one (written first, then the old ones removed: a crash loses nothing)."""
        keys, vecs = [], []
        for path in shards:
            try:
                with np.load(path) as data:
                    keys.append(np.asarray(data["keys"], dtype=np.uint8))
                    vecs.append(np.asarray(data["vectors"], dtype=np.float16))
            except (OSError, ValueError, KeyError):
                continue
        all_keys = np.concatenate(keys)
        _, first = np.unique(all_keys, axis=0, return_index=True)
        first.sort()
        merged_keys, merged_vecs = all_keys[first], np.concatenate(vecs)[first]
        name = hashlib.sha256(merged_keys.tobytes()).hexdigest()[:16]
        merged = self.folder / f"emb-{_safe(self.model_id)}-{name}.npz"
        write_npz_atomic(merged, keys=merged_keys, vectors=merged_vecs)
        for path in shards:
            if path != merged:
                path.unlink(missing_ok=True)
        return merged


def write_npz_atomic(path: Path, *, compressed: bool = False, **arrays: np.ndarray) -> None:
    """np.savez (or savez_compressed) to a temp file in the same folder, fsync, then rename into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as fh:
            (np.savez_compressed if compressed else np.savez)(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _safe(model_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)
