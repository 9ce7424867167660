"""CorpusSearcher: open, modes, hits with their document's metadata, lexical-only fallback."""

from __future__ import annotations

import pytest

from curbside.config import Settings
from curbside.index.search import CorpusSearcher, Hit


def test_open_returns_none_when_nothing_was_ingested(tmp_path):
    assert CorpusSearcher.open(Settings(data_dir=tmp_path)) is None


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_every_mode_finds_the_gout_pages(built, hashing, mode):
    searcher = CorpusSearcher.open(built, embedder=hashing)
    hits = searcher.search("gout flare big toe uric acid crystals", k=5, mode=mode)
    assert hits and len(hits) <= 5
    assert any("gout" in h.title.lower() for h in hits[:3])
    assert all(isinstance(h, Hit) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hits_carry_passage_and_document_metadata(built, hashing):
    searcher = CorpusSearcher.open(built, embedder=hashing)
    hit = searcher.search("What are the symptoms of gout?", k=1, mode="lexical")[0]
    assert hit.doc_id.startswith("medquad:") and hit.passage_id.startswith(hit.doc_id + "#")
    assert hit.url and hit.publisher and hit.type == "patient_information" and hit.license.startswith("CC BY 4.0")
    assert hit.section_path[0] == hit.title and hit.char_end - hit.char_start == len(hit.text)
    with pytest.raises(AttributeError):
        hit.score = 0  # frozen


def test_folder_document_metadata_round_trips(built, hashing):
    searcher = CorpusSearcher.open(built, embedder=hashing)
    hit = searcher.search("ice pack towel flare", k=1, mode="lexical")[0]
    assert hit.doc_id == "clinic:gout-flares.md"
    assert (hit.title, hit.publisher, hit.year) == ("Managing gout flares at home", "Example Rheumatology Clinic", 2024)
    assert hit.url == "https://clinic.example.org/leaflets/gout-flares" and hit.collection == "clinic"


def test_dense_setting_off_means_lexical_only(built, hashing):
    off = built.model_copy(update={"retrieval": built.retrieval.model_copy(update={"dense": False})})
    searcher = CorpusSearcher.open(off, embedder=hashing)
    assert searcher.dense is None and not searcher.dense_available
    lexical = CorpusSearcher.open(built, embedder=hashing).search("glaucoma eye pressure", k=5, mode="lexical")
    assert searcher.search("glaucoma eye pressure", k=5, mode="hybrid") == lexical


def test_mismatched_embedder_disables_dense(built):
    from curbside.index.embed import HashingEmbedder

    searcher = CorpusSearcher.open(built, embedder=HashingEmbedder(16))
    assert searcher.dense is None


def test_empty_and_unknown_queries(built, hashing):
    searcher = CorpusSearcher.open(built, embedder=hashing)
    assert searcher.search("   ") == []
    assert searcher.search("zzzqqq xyzzy", mode="lexical") == []
    with pytest.raises(ValueError):
        searcher.search("gout", mode="fuzzy")


def test_is_current_turns_false_after_a_new_generation(tmp_path, hashing):
    from curbside.corpus.ingest import ingest
    from tests.corpus.conftest import DATA, folder_spec, jsonl_spec

    settings = Settings(data_dir=tmp_path)
    ingest(jsonl_spec(DATA / "sample.jsonl"), settings, embedder=hashing)
    searcher = CorpusSearcher.open(settings, embedder=hashing)
    assert searcher.is_current(settings)
    ingest(folder_spec(DATA / "folder"), settings, embedder=hashing)
    assert not searcher.is_current(settings)
    assert searcher.search("salt blood pressure", k=1, mode="lexical")  # the old one still reads
