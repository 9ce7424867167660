"""Fixtures for index tests: one index over the real fixture corpus, built once per session."""

from __future__ import annotations

import pytest

from curbside.config import Settings
from curbside.corpus.ingest import ingest
from curbside.index.embed import HashingEmbedder
from tests.corpus.conftest import DATA, folder_spec, medquad_spec


@pytest.fixture(scope="session")
def hashing() -> HashingEmbedder:
    return HashingEmbedder(64)


@pytest.fixture(scope="session")
def built(tmp_path_factory, hashing) -> Settings:
    """Settings whose data dir holds the MedQuAD sample and the folder fixtures (hashing vectors)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("index-data"))
    ingest(medquad_spec(), settings, embedder=hashing)
    ingest(folder_spec(DATA / "folder"), settings, embedder=hashing)
    return settings
