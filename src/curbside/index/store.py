"""On-disk layout of the corpus index, written atomically.

    <data_dir>/corpus/
        CURRENT                 {"generation": "gen-..."}: replaced with os.replace, the commit point
        gen-<id>/               one complete, immutable index
            manifest.json       sources, counts, dense model id, format version
            docs.jsonl          one document's metadata a line (+ "collection")
            docs.offsets.npy    byte offset of each line (memory-mapped)
            passages.jsonl      one passage a line
            passages.offsets.npy, passage_doc.npy
            lexical/            bm25s files
            dense/vectors.npy   float32 (passages x dim), absent when dense search is off
        embcache/               embedding cache shards (curbside.index.cache)
        .lock                   held by the one ingest allowed at a time

A generation is built in ``tmp-<id>/``, renamed to ``gen-<id>/`` and only then named in CURRENT, so a
process killed at any moment leaves the previous generation current and complete; leftovers are swept
by the next ingest. The previous generation is kept until the one after, so a reader that just read
CURRENT can still open it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import mmap
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from curbside.errors import Conflict

FORMAT_VERSION = 1
CURRENT = "CURRENT"


def corpus_dir(data_dir: Path) -> Path:
    """Where the corpus index lives under a data directory."""
    return Path(data_dir) / "corpus"


def current_generation(root: Path) -> Path | None:
    """The folder of the current generation, or None when nothing has been ingested."""
    try:
        name = json.loads((root / CURRENT).read_text(encoding="utf-8"))["generation"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    path = root / name
    return path if (path / "manifest.json").is_file() else None


@contextlib.contextmanager
def ingest_lock(root: Path) -> Iterator[None]:
    """Hold the corpus's write lock; a second concurrent ingest gets a Conflict error."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Conflict(f"another ingest is running on {root}") from exc
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def new_build_dir(root: Path) -> Path:
    """A fresh temporary folder to build a generation in."""
    gen_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    path = root / f"tmp-{gen_id}"
    path.mkdir(parents=True)
    return path


def commit(root: Path, build: Path) -> Path:
    """Make a fully written build folder the current generation (atomically); returns its final path."""
    _fsync_tree(build)
    final = root / build.name.replace("tmp-", "gen-", 1)
    os.rename(build, final)
    tmp = root / f".{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"generation": final.name}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)
    return final


def sweep(root: Path) -> None:
    """Remove unfinished builds and generations older than the current and the one before it."""
    current = current_generation(root)
    gens = sorted((p for p in root.glob("gen-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    keep = {current.name} if current else set()
    older = [g for g in gens if g.name not in keep]
    if older:
        keep.add(older[-1].name)  # the previous one, for readers that opened it a moment ago
    for p in [*root.glob("tmp-*"), *gens, *root.glob(f".{CURRENT}.*.tmp")]:
        if p.name in keep:
            continue
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows as JSON lines plus ``<name>.offsets.npy`` (line start offsets, then the file size)."""
    offsets = [0]
    with open(path, "wb") as fh:
        for row in rows:
            line = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            fh.write(line)
            offsets.append(offsets[-1] + len(line))
    np.save(path.with_suffix(".offsets.npy"), np.asarray(offsets, dtype=np.int64))
    return len(offsets) - 1


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Every row of a JSON-lines file."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


@dataclass
class JsonlTable:
    """Random access to the rows of a JSON-lines file through its memory-mapped offsets."""

    data: mmap.mmap | bytes
    offsets: np.ndarray

    @classmethod
    def open(cls, path: Path) -> JsonlTable:
        offsets = np.load(path.with_suffix(".offsets.npy"), mmap_mode="r")
        with open(path, "rb") as fh:
            data: mmap.mmap | bytes = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if offsets[-1] else b""
        return cls(data, offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def row(self, i: int) -> dict[str, Any]:
        return json.loads(self.data[int(self.offsets[i]) : int(self.offsets[i + 1])])


def _fsync_tree(folder: Path) -> None:
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
