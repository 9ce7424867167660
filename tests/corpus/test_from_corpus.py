"""Answers composed from corpus passages: extractive, grouped by facet, every citation to its own source."""

from __future__ import annotations

import re

import pytest

from curbside.answer.from_corpus import HEADINGS, compose_from_corpus
from curbside.config import Settings
from curbside.corpus.ingest import ingest
from curbside.index.embed import HashingEmbedder
from curbside.index.search import CorpusSearcher
from tests.corpus.conftest import DATA, folder_spec, medquad_spec

QUESTIONS = [
    "What are the symptoms of gout?",
    "Is cystic fibrosis inherited?",
    "How are kidney stones treated?",
    "What causes psoriasis?",
    "How is glaucoma diagnosed?",
    "What is the outlook for osteoporosis?",
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory) -> CorpusSearcher:
    settings = Settings(data_dir=tmp_path_factory.mktemp("answers"))
    emb = HashingEmbedder(64)
    ingest(medquad_spec(), settings, embedder=emb)
    ingest(folder_spec(DATA / "folder"), settings, embedder=emb)
    return CorpusSearcher.open(settings, embedder=emb)


def _normalise(text: str) -> str:
    """The words of a text in order: a list joined to its lead-in keeps the source's words and order."""
    return " ".join(re.findall(r"\w+", text))


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_bullet_cites_the_document_its_sentence_came_from(searcher, question):
    hits = searcher.search(question, k=8)
    sections, refs = compose_from_corpus(question, hits, first_number=3)
    assert sections and refs
    by_number = {r.n: r for r in refs}
    assert sorted(by_number) == list(range(3, 3 + len(refs)))  # numbered from first_number, no gaps
    assert len({r.source_id for r in refs}) == len(refs)  # one reference per document
    passages = {h.passage_id: h for h in hits}
    seen_order = []
    for section in sections:
        assert section.heading in HEADINGS.values() and section.bullets
        for bullet in section.bullets:
            assert len(bullet.citations) == 1
            ref = by_number[bullet.citations[0]]
            hit = passages[bullet.claim_id]
            assert ref.source_id == hit.doc_id  # cited to its own document, never another
            assert _normalise(bullet.text) in _normalise(hit.text)  # extractive: the source's words, in order
            if ref.n not in seen_order:
                seen_order.append(ref.n)
    assert seen_order == sorted(seen_order)  # numbered in order of first use


def test_references_carry_publisher_url_and_type(searcher):
    from curbside.corpus.importers.medquad import PUBLISHERS

    question = "Is cystic fibrosis inherited?"
    hits = searcher.search(question, k=8)
    _, refs = compose_from_corpus(question, hits)
    source_of = {h.doc_id: h.source for h in hits}
    for ref in refs:
        assert ref.title and ref.url and ref.type == "patient_information" and ref.year is None
        assert ref.source_id.startswith("medquad:")
        assert ref.publisher == PUBLISHERS[source_of[ref.source_id]]


def test_the_asked_facet_comes_first(searcher):
    sections, _ = compose_from_corpus("What are the symptoms of gout?", searcher.search("What are the symptoms of gout?", k=8))
    assert sections[0].facet == "symptoms" and sections[0].heading == "Symptoms"


def test_nothing_relevant_gives_empty_lists(searcher):
    for question in ("What is the capital of France?", "How do I fix a flat bicycle tyre?"):
        assert compose_from_corpus(question, searcher.search(question, k=8)) == ([], [])
    assert compose_from_corpus("gout", []) == ([], [])


def test_folder_documents_are_cited_with_their_own_metadata(searcher):
    question = "How should a gout flare be treated at home?"
    sections, refs = compose_from_corpus(question, searcher.search(question, k=8))
    clinic = [r for r in refs if r.source_id == "clinic:gout-flares.md"]
    assert clinic and clinic[0].publisher == "Example Rheumatology Clinic" and clinic[0].year == 2024


def test_a_list_is_joined_to_its_lead_in():
    from curbside.answer.from_corpus import _sentences

    text = "Symptoms vary.\nSigns in children can include\n- abdominal bloating - chronic diarrhea\nShort"
    assert _sentences(text) == ["Signs in children can include: abdominal bloating, chronic diarrhea."]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Attacks Usually Start at Night Gout is a form of arthritis.", "Gout is a form of arthritis."),
        ("Seeing a Specialist Your doctor may refer you.", "Your doctor may refer you."),
        ("Gout is a form of arthritis.", "Gout is a form of arthritis."),
        ("The National Institute on Aging supports research.", "The National Institute on Aging supports research."),
        ("For African Americans, stroke is more common.", "For African Americans, stroke is more common."),
    ],
)
def test_run_in_headings_are_cut_off(sentence, expected):
    from curbside.answer.from_corpus import strip_run_in_heading

    assert strip_run_in_heading(sentence) == expected
