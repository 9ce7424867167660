"""Ingest a source into the corpus index: import, cut, embed what is new, index, swap atomically.

Sources are the unit of change: ingesting a source replaces that source's documents and keeps every
other source's as they were (their passages are carried over, their vectors come from the embedding
cache). An unchanged source (same input fingerprint, same chunker, same model) does nothing.

>>> spec = medquad_source(Path("../shared/data/medquad/medquad.jsonl.gz"))   # doctest: +SKIP
>>> report = ingest(spec, settings)                                         # doctest: +SKIP
>>> report.status, report.passages                                          # doctest: +SKIP
('added', 30356)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from curbside.config import Settings, get_settings
from curbside.corpus.chunk import CHUNKER_VERSION, chunk_document
from curbside.corpus.importers import ImportResult
from curbside.corpus.model import index_text
from curbside.errors import NotFound, UsageError
from curbside.index import store
from curbside.index.cache import EmbeddingCache, content_key
from curbside.index.dense import DENSE_DIR, build_dense
from curbside.index.embed import Embedder, load_embedder
from curbside.index.lexical import LEXICAL_DIR, build_lexical

#: Passages embedded between two cache flushes: a killed ingest loses at most this much embedding work.
FLUSH_EVERY = 2048


class Progress(Protocol):
    """Receives progress: a new stage with its total, then advances."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


class _NoProgress:
    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        pass


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """What to ingest: a collection name, its kind and origin, and how to fingerprint and import it."""

    name: str
    kind: str
    origin: str
    fingerprint: Callable[[], str]
    load: Callable[[], ImportResult]


@dataclass
class IngestReport:
    """What an ingest or removal did."""

    name: str
    status: str  # "added" | "updated" | "unchanged" | "removed"
    documents: int = 0
    passages: int = 0
    embedded: int = 0
    reused_vectors: int = 0
    total_passages: int = 0
    dense: bool = False
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


_DEFAULT = object()


def ingest(
    spec: SourceSpec,
    settings: Settings | None = None,
    embedder: Embedder | None | object = _DEFAULT,
    progress: Progress | None = None,
    force: bool = False,
) -> IngestReport:
    """Import ``spec`` and make a new index generation with it; a no-op when the source is unchanged."""
    settings = settings or get_settings()
    progress = progress or _NoProgress()
    if embedder is _DEFAULT:
        embedder = load_embedder(settings.retrieval.dense)
    started = time.perf_counter()
    root = store.corpus_dir(settings.data_dir)
    with store.ingest_lock(root):
        store.sweep(root)
        current = store.current_generation(root)
        manifest = _manifest(current)
        previous = manifest["sources"].get(spec.name)
        fingerprint = spec.fingerprint()
        if previous and previous.get("kind") != spec.kind:
            raise UsageError(f"a source named {spec.name!r} of kind {previous.get('kind')} exists; choose another --name")
        if previous and not force and _unchanged(previous, fingerprint, manifest, embedder):
            return IngestReport(name=spec.name, status="unchanged", documents=previous["documents"],
                                passages=previous["passages"], total_passages=manifest.get("passages", 0),
                                dense=bool(manifest.get("dense")), seconds=time.perf_counter() - started)
        timings: dict[str, float] = {}
        t = time.perf_counter()
        result = spec.load()
        timings["import"] = time.perf_counter() - t
        if not result.documents:
            detail = f": {result.problems[0]}" if result.problems else ""
            raise UsageError(f"nothing to import from {spec.origin}{detail}")
        t = time.perf_counter()
        docs = [{"collection": spec.name, **d.meta.to_json()} for d in result.documents]
        passages: list[dict[str, Any]] = []
        passage_doc: list[int] = []
        for i, d in enumerate(result.documents):
            for p in chunk_document(d):
                passages.append(p.to_json())
                passage_doc.append(i)
        timings["chunk"] = time.perf_counter() - t
        entry = {
            "kind": spec.kind,
            "origin": spec.origin,
            "fingerprint": fingerprint,
            "chunker": CHUNKER_VERSION,
            "documents": len(docs),
            "passages": len(passages),
            "problems": len(result.problems),
            "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        report = _rebuild(root, current, manifest, spec.name, entry, docs, passages, passage_doc,
                          embedder, settings, progress, timings)
        report.status = "updated" if previous else "added"
        report.problems = result.problems
        report.documents, report.passages = len(docs), len(passages)
        report.seconds = time.perf_counter() - started
        return report


def remove_source(name: str, settings: Settings | None = None, progress: Progress | None = None) -> IngestReport:
    """Make a new generation without the source ``name``; NotFound when there is no such source."""
    settings = settings or get_settings()
    started = time.perf_counter()
    root = store.corpus_dir(settings.data_dir)
    with store.ingest_lock(root):
        store.sweep(root)
        current = store.current_generation(root)
        manifest = _manifest(current)
        if name not in manifest["sources"]:
            known = ", ".join(sorted(manifest["sources"])) or "none"
            raise NotFound(f"no source named {name!r} (sources: {known})")
        dense_model = (manifest.get("dense") or {}).get("model_id")
        embedder = load_embedder(settings.retrieval.dense) if dense_model else None
        if embedder is not None and embedder.model_id != dense_model:
            embedder = None
        report = _rebuild(root, current, manifest, name, None, [], [], [], embedder, settings,
                          progress or _NoProgress(), {})
        report.status = "removed"
        report.seconds = time.perf_counter() - started
        return report


def list_sources(settings: Settings | None = None) -> dict[str, dict[str, Any]]:
    """The ingested sources by name, from the current generation's manifest."""
    settings = settings or get_settings()
    return _manifest(store.current_generation(store.corpus_dir(settings.data_dir)))["sources"]


def _manifest(generation: Path | None) -> dict[str, Any]:
    if generation is None:
        return {"format": store.FORMAT_VERSION, "sources": {}, "passages": 0, "dense": None}
    return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))


def _unchanged(previous: dict, fingerprint: str, manifest: dict, embedder: Embedder | None) -> bool:
    if previous.get("fingerprint") != fingerprint or previous.get("chunker") != CHUNKER_VERSION:
        return False
    dense_model = (manifest.get("dense") or {}).get("model_id")
    return dense_model == (embedder.model_id if embedder is not None else dense_model)


def _carried(current: Path | None, manifest: dict, replaced: str) -> Iterator[tuple[dict, list[dict]]]:
    """(document row, its passage rows) of every other source in the current generation."""
    if current is None:
        return
    doc_rows = [row for row in store.read_jsonl(current / "docs.jsonl")]
    by_doc: dict[int, list[dict]] = {}
    passage_doc = np.load(current / "passage_doc.npy")
    for row, p in zip(passage_doc.tolist(), store.read_jsonl(current / "passages.jsonl"), strict=True):
        by_doc.setdefault(row, []).append(p)
    for i, d in enumerate(doc_rows):
        if d.get("collection") != replaced:
            yield d, by_doc.get(i, [])


def _rebuild(
    root: Path,
    current: Path | None,
    manifest: dict,
    name: str,
    entry: dict | None,
    new_docs: list[dict],
    new_passages: list[dict],
    new_passage_doc: list[int],
    embedder: Embedder | None,
    settings: Settings,
    progress: Progress,
    timings: dict[str, float],
) -> IngestReport:
    """Write a complete new generation: the other sources carried over plus this one (if any), then swap."""
    t = time.perf_counter()
    docs: list[dict] = []
    passages: list[dict] = []
    passage_doc: list[int] = []
    for d, ps in _carried(current, manifest, name):
        docs.append(d)
        passages.extend(ps)
        passage_doc.extend([len(docs) - 1] * len(ps))
    offset = len(docs)
    docs.extend(new_docs)
    passages.extend(new_passages)
    passage_doc.extend(i + offset for i in new_passage_doc)
    titles = [docs[i]["title"] for i in passage_doc]
    texts = [index_text(title, p["text"]) for title, p in zip(titles, passages, strict=True)]
    timings["carry"] = time.perf_counter() - t

    sources = {k: v for k, v in manifest["sources"].items() if k != name}
    if entry is not None:
        sources[name] = entry
    build = store.new_build_dir(root)
    report = IngestReport(name=name, status="", total_passages=len(passages), timings=timings)

    t = time.perf_counter()
    dense_meta = None
    if embedder is not None and passages:
        vectors, report.embedded, report.reused_vectors = _vectors(texts, embedder, root, progress)
        build_dense(vectors, build / DENSE_DIR)
        dense_meta = {"model_id": embedder.model_id, "dim": int(embedder.dim)}
        report.dense = True
    timings["embed"] = time.perf_counter() - t

    t = time.perf_counter()
    progress.stage("lexical index", len(texts))
    build_lexical(texts or [""], build / LEXICAL_DIR, progress=progress.advance)
    timings["lexical"] = time.perf_counter() - t

    t = time.perf_counter()
    store.write_jsonl(build / "docs.jsonl", docs)
    store.write_jsonl(build / "passages.jsonl", passages)
    np.save(build / "passage_doc.npy", np.asarray(passage_doc, dtype=np.int32))
    new_manifest = {
        "format": store.FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sources": sources,
        "documents": len(docs),
        "passages": len(passages),
        "chunker": CHUNKER_VERSION,
        "dense": dense_meta,
    }
    (build / "manifest.json").write_text(json.dumps(new_manifest, indent=2), encoding="utf-8")
    store.commit(root, build)
    store.sweep(root)
    timings["write"] = time.perf_counter() - t
    return report


def _vectors(texts: list[str], embedder: Embedder, root: Path, progress: Progress) -> tuple[np.ndarray, int, int]:
    """Vectors for every text: from the cache by content hash, the rest embedded (and cached)."""
    cache = EmbeddingCache(root / "embcache", dim=embedder.dim, model_id=embedder.model_id)
    keys = [content_key(embedder.model_id, text) for text in texts]
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    missing: dict[bytes, list[int]] = {}
    for row, key in enumerate(keys):
        vec = cache.get(key)
        if vec is None:
            missing.setdefault(key, []).append(row)
        else:
            vectors[row] = vec
    todo = list(missing)
    progress.stage("embedding", len(todo))
    for i in range(0, len(todo), FLUSH_EVERY):
        batch = todo[i : i + FLUSH_EVERY]
        got = cache.put(batch, embedder.embed([texts[missing[k][0]] for k in batch], progress=progress.advance))
        cache.flush()
        for key, vec in zip(batch, got, strict=True):
            vectors[missing[key]] = vec
    reused = len(texts) - sum(len(rows) for rows in missing.values())
    return vectors, len(todo), reused
