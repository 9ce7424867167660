"""Ingest: idempotence (content hashes), incremental sources, embedding cache, removal, lexical-only."""

from __future__ import annotations

import pytest

from curbside.corpus.ingest import ingest, list_sources, remove_source
from curbside.errors import Conflict, NotFound, UsageError
from curbside.index import store
from curbside.index.search import CorpusSearcher
from tests.corpus.conftest import DATA, CountingEmbedder, folder_spec, jsonl_spec, medquad_spec


def _generations(settings):
    return sorted(p.name for p in store.corpus_dir(settings.data_dir).glob("gen-*"))


def test_reingesting_unchanged_input_does_nothing(settings):
    emb = CountingEmbedder()
    first = ingest(medquad_spec(), settings, embedder=emb)
    assert first.status == "added" and first.passages > 362 and first.embedded == emb.texts
    gens = _generations(settings)
    again = ingest(medquad_spec(), settings, embedder=emb)
    assert again.status == "unchanged" and emb.calls == 1
    assert _generations(settings) == gens


def test_forced_rebuild_reuses_every_cached_vector(settings):
    emb = CountingEmbedder()
    ingest(medquad_spec(), settings, embedder=emb)
    texts = emb.texts
    report = ingest(medquad_spec(), settings, embedder=emb, force=True)
    assert report.status == "updated" and report.embedded == 0 and report.reused_vectors == report.passages
    assert emb.texts == texts


def test_a_second_source_is_added_without_touching_the_first(settings, tmp_path):
    emb = CountingEmbedder()
    ingest(medquad_spec(), settings, embedder=emb)
    before = emb.texts
    report = ingest(folder_spec(DATA / "folder"), settings, embedder=emb)
    assert report.status == "added" and report.embedded == emb.texts - before == report.passages
    assert set(list_sources(settings)) == {"medquad", "clinic"}
    searcher = CorpusSearcher.open(settings, embedder=emb)
    assert len(searcher) == report.total_passages
    assert any(h.collection == "clinic" for h in searcher.search("gout flare ice pack", k=3, mode="lexical"))


def test_changed_input_replaces_only_that_source(settings, tmp_path):
    emb = CountingEmbedder()
    src = tmp_path / "corpus.jsonl"
    src.write_text((DATA / "sample.jsonl").read_text().splitlines()[0] + "\n")
    ingest(jsonl_spec(src), settings, embedder=emb)
    ingest(medquad_spec(), settings, embedder=emb)
    src.write_text(src.read_text() + (DATA / "sample.jsonl").read_text().splitlines()[1] + "\n")
    report = ingest(jsonl_spec(src), settings, embedder=emb)
    assert report.status == "updated" and report.documents == 2
    sources = list_sources(settings)
    assert sources["sample"]["documents"] == 2 and sources["medquad"]["passages"] > 0
    assert report.embedded == 2  # only the new document's two sections were embedded


def test_remove_source_keeps_the_others(settings):
    emb = CountingEmbedder()
    ingest(medquad_spec(), settings, embedder=emb)
    ingest(jsonl_spec(DATA / "sample.jsonl"), settings, embedder=emb)
    report = remove_source("sample", settings)
    assert report.status == "removed"
    assert set(list_sources(settings)) == {"medquad"}
    with pytest.raises(NotFound):
        remove_source("sample", settings)
    remove_source("medquad", settings)
    assert list_sources(settings) == {} and CorpusSearcher.open(settings) is None


def test_lexical_only_when_no_embedder(settings):
    report = ingest(jsonl_spec(DATA / "sample.jsonl"), settings, embedder=None)
    assert not report.dense
    searcher = CorpusSearcher.open(settings)
    assert searcher.dense is None
    hits = searcher.search("salt blood pressure", k=3, mode="hybrid")  # falls back to lexical
    assert hits and hits[0].doc_id == "sample:htn-2"


def test_nothing_importable_is_a_usage_error(settings, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    with pytest.raises(UsageError, match="bad.jsonl:1"):
        ingest(jsonl_spec(bad), settings, embedder=None)
    assert CorpusSearcher.open(settings) is None


def test_second_concurrent_ingest_is_refused(settings):
    root = store.corpus_dir(settings.data_dir)
    with store.ingest_lock(root), pytest.raises(Conflict):
        ingest(jsonl_spec(DATA / "sample.jsonl"), settings, embedder=None)


def test_a_source_name_cannot_change_kind(settings):
    ingest(jsonl_spec(DATA / "sample.jsonl", name="x"), settings, embedder=None)
    with pytest.raises(UsageError, match="kind"):
        ingest(folder_spec(DATA / "folder", name="x"), settings, embedder=None)
