"""Fixtures for corpus tests: the real fixture files, settings on a temporary data dir, spec factories."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.config import Settings
from curbside.corpus.importers.files import fingerprint_folder, import_folder
from curbside.corpus.importers.jsonl import fingerprint_jsonl, import_jsonl
from curbside.corpus.importers.medquad import fingerprint_medquad, import_medquad
from curbside.corpus.ingest import SourceSpec

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"
MEDQUAD_SAMPLE = DATA / "medquad-sample.jsonl.gz"


def medquad_spec(path: Path = MEDQUAD_SAMPLE, name: str = "medquad") -> SourceSpec:
    return SourceSpec(name, "medquad", str(path), lambda: fingerprint_medquad(path), lambda: import_medquad(path, name))


def folder_spec(path: Path, name: str = "clinic") -> SourceSpec:
    return SourceSpec(name, "folder", str(path), lambda: fingerprint_folder(path), lambda: import_folder(path, name))


def jsonl_spec(path: Path, name: str = "sample") -> SourceSpec:
    return SourceSpec(name, "jsonl", str(path), lambda: fingerprint_jsonl(path), lambda: import_jsonl(path, name))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


class CountingEmbedder:
    """The hashing embedder, counting how many texts it was asked to embed."""

    def __init__(self, dim: int = 32) -> None:
        from curbside.index.embed import HashingEmbedder

        self._inner = HashingEmbedder(dim)
        self.model_id = self._inner.model_id
        self.dim = dim
        self.calls = 0
        self.texts = 0

    def embed(self, texts, progress=None):
        self.calls += 1
        self.texts += len(texts)
        return self._inner.embed(texts, progress)
