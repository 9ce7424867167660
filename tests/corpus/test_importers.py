"""Importers on good and malformed input: malformed files and lines are named and skipped."""

from __future__ import annotations

import pytest

from curbside.corpus.chunk import MAX_CHARS, chunk_document, chunk_spans, sentence_spans
from curbside.corpus.importers.files import import_folder
from curbside.corpus.importers.jsonl import import_jsonl
from curbside.corpus.importers.markdown import markdown_sections
from curbside.corpus.importers.medquad import import_medquad
from curbside.corpus.importers.open_medicine import import_open_medicine
from curbside.errors import UsageError
from tests.corpus.conftest import DATA, MEDQUAD_SAMPLE


def test_medquad_groups_records_into_documents_with_nih_metadata():
    result = import_medquad(MEDQUAD_SAMPLE)
    assert not result.problems
    assert sum(len(d.sections) for d in result.documents) == 362
    gard = [d for d in result.documents if d.meta.source == "GARD"]
    assert gard and all(d.meta.publisher == "NIH Genetic and Rare Diseases Information Center" for d in gard)
    gout = next(d for d in result.documents if d.meta.title == "Gout" and d.meta.source == "NIHSeniorHealth")
    assert gout.meta.doc_id.startswith("medquad:NIHSeniorHealth_")
    assert gout.meta.url.startswith("http") and gout.meta.year is None and gout.meta.type == "patient_information"
    assert {s.facet for s in gout.sections} >= {"symptoms", "treatment"}
    assert all(s.path[1].endswith("?") and " ?" not in s.path[1] for s in gout.sections)


def test_medquad_malformed_lines_are_reported_by_line_and_skipped():
    result = import_medquad(DATA / "medquad-bad.jsonl")
    assert len(result.documents) >= 1 and sum(len(d.sections) for d in result.documents) == 2
    assert [p.split(":")[1] for p in result.problems] == ["3", "4", "5"]
    assert all(p.startswith("medquad-bad.jsonl:") for p in result.problems)


def test_medquad_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        import_medquad(tmp_path / "nope.jsonl.gz")


def test_folder_imports_markdown_html_pdf_and_text():
    result = import_folder(DATA / "folder", name="clinic")
    assert not result.problems
    docs = {d.meta.doc_id: d for d in result.documents}
    assert set(docs) == {"clinic:gout-flares.md", "clinic:asthma-inhalers.html", "clinic:bone-health.pdf", "clinic:notes.txt"}
    md = docs["clinic:gout-flares.md"]
    assert md.meta.title == "Managing gout flares at home"  # front matter wins over the H1
    assert (md.meta.publisher, md.meta.year, md.meta.type) == ("Example Rheumatology Clinic", 2024, "patient_information")
    assert [s.path[-1] for s in md.sections] == ["What a flare is", "Treatment", "When to seek care"]
    html = docs["clinic:asthma-inhalers.html"]
    assert html.meta.title == "Asthma inhalers explained"
    text = " ".join(s.text for s in html.sections)
    assert "tracking" not in text and "footer" not in text and "Home | Leaflets" not in text
    assert any(s.path[-1] == "Preventer inhalers" for s in html.sections)
    assert "- Rinse your mouth" in text
    pdf = docs["clinic:bone-health.pdf"]
    assert pdf.meta.title == "Bone health leaflet" and "calcium and vitamin D" in pdf.sections[0].text
    assert docs["clinic:notes.txt"].meta.title == "Kidney stones: drinking enough water"


def test_folder_reports_each_malformed_file_by_name_and_keeps_the_rest():
    result = import_folder(DATA / "folder_bad", name="bad")
    assert [d.meta.doc_id for d in result.documents] == ["bad:good.md"]
    named = sorted(p.split(":")[0] for p in result.problems)
    assert named == ["bad-front-matter.md", "broken.pdf", "empty.md", "latin1.txt"]


def test_jsonl_good_and_bad_lines():
    result = import_jsonl(DATA / "sample.jsonl", name="sample")
    assert [d.meta.doc_id for d in result.documents] == ["sample:htn-1", "sample:htn-2"]
    assert [s.path for s in result.documents[1].sections] == [
        ("Lowering blood pressure", "Lifestyle"), ("Lowering blood pressure", "Medicines")]
    assert [p.split(":")[1] for p in result.problems] == ["3", "4", "5"]


def test_open_medicine_guidelines_carry_doi_year_and_organisation():
    result = import_open_medicine()
    assert len(result.documents) >= 40 and not result.problems
    doc = next(d for d in result.documents if "sepsis_definition" in d.meta.doc_id)
    assert doc.meta.type == "guideline" and doc.meta.year == 2016
    assert doc.meta.doi and doc.meta.url == f"https://doi.org/{doc.meta.doi}"
    assert "Open Medicine" in doc.meta.publisher


def test_markdown_sections_follow_the_heading_trail():
    title, sections = markdown_sections("# T\n\nintro\n\n## A\n\ntext a\n\n### A1\n\n**bold** [link](http://x)\n\n## B\n\ntext b\n", "d")
    assert title == "T"
    assert [s.path for s in sections] == [("T",), ("T", "A"), ("T", "A", "A1"), ("T", "B")]
    assert sections[2].text == "bold link"


def test_chunks_keep_exact_offsets_and_size():
    for doc in import_medquad(MEDQUAD_SAMPLE).documents[:80]:
        by_path = {s.path: s for s in doc.sections}
        for p in chunk_document(doc):
            section = by_path[p.section_path]
            assert section.text[p.char_start : p.char_end] == p.text
            assert len(p.text) <= MAX_CHARS
            assert p.passage_id.startswith(doc.meta.doc_id + "#")


def test_sentence_spans_split_sentences_and_lines():
    text = "First one. Second (with a.b) one! Third?\n- item one\n- item two"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["First one.", "Second (with a.b) one!", "Third?", "- item one", "- item two"]
    assert chunk_spans("") == []
