"""MedQuAD JSON Lines (``../shared/data/medquad/medquad.jsonl.gz``): NIH consumer-health answers.

Records of one upstream XML document (same source and document id) become one corpus document; each
question/answer pair is a section whose heading trail is (focus, question) and whose facet comes from
the question type. The question itself is kept for display only: it is not indexed (see docs/retrieval.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from curbside.corpus.importers import ImportResult, file_sha256, json_lines
from curbside.corpus.model import Document, DocumentMeta, Section
from curbside.errors import UsageError

LICENSE = "CC BY 4.0 (MedQuAD, Ben Abacha & Demner-Fushman 2019)"

#: MedQuAD ``source`` -> the organisation that published the page the answer was taken from.
PUBLISHERS = {
    "CancerGov": "National Cancer Institute (NCI)",
    "GARD": "NIH Genetic and Rare Diseases Information Center",
    "GHR": "Genetics Home Reference, U.S. National Library of Medicine",
    "MPlusHealthTopics": "MedlinePlus, U.S. National Library of Medicine",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)",
    "NINDS": "National Institute of Neurological Disorders and Stroke (NINDS)",
    "NIHSeniorHealth": "NIHSeniorHealth, National Institute on Aging and National Library of Medicine",
    "NHLBI": "National Heart, Lung, and Blood Institute (NHLBI)",
    "CDC": "Centers for Disease Control and Prevention (CDC)",
}

#: MedQuAD question type -> answer facet (the headings compose_from_corpus groups sentences under).
QTYPE_FACETS = {
    "information": "definition",
    "symptoms": "symptoms",
    "treatment": "treatment",
    "inheritance": "causes",
    "genetic changes": "causes",
    "causes": "causes",
    "susceptibility": "causes",
    "frequency": "epidemiology",
    "exams and tests": "diagnosis",
    "outlook": "outlook",
    "complications": "outlook",
    "stages": "outlook",
    "prevention": "prevention",
    "research": "research",
    "considerations": "considerations",
    "support groups": "support",
}

_REQUIRED = ("id", "source", "url", "question", "answer")


def fingerprint_medquad(path: Path) -> str:
    """The input's fingerprint: the file's sha256."""
    return file_sha256(Path(path))


def _question(text: str) -> str:
    """'What is (are) Gout ?' -> 'What is (are) Gout?' (MedQuAD puts a space before the mark)."""
    return re.sub(r"\s*\?+", "?", " ".join(text.split()))


def _doc_key(record_id: str) -> str:
    """``GHR_0000001_3`` -> ``GHR_0000001`` (the upstream document), keeping multi-part CancerGov ids."""
    return record_id.rsplit("_", 1)[0]


def import_medquad(path: Path, name: str = "medquad") -> ImportResult:
    """Read a MedQuAD JSONL(.gz) file into documents ``<name>:<source>_<doc>``; bad lines are reported, skipped."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    grouped: dict[str, list[dict]] = {}
    problems: list[str] = []
    for lineno, rec in json_lines(path, problems):
        try:
            if not isinstance(rec, dict) or any(not isinstance(rec.get(k), str) for k in _REQUIRED):
                raise ValueError(f"missing one of {', '.join(_REQUIRED)}")
            if not rec["answer"].strip():
                raise ValueError("empty answer")
        except ValueError as exc:
            problems.append(f"{path.name}:{lineno}: {exc}")
            continue
        grouped.setdefault(_doc_key(rec["id"]), []).append(rec)
    documents = [_document(f"{name}:{key}", recs) for key, recs in grouped.items()]
    return ImportResult(documents=documents, problems=problems, fingerprint=fingerprint_medquad(path))


def _document(doc_id: str, recs: list[dict]) -> Document:
    first = recs[0]
    title = (first.get("focus") or "").strip() or first["question"].strip()
    meta = DocumentMeta(
        doc_id=doc_id,
        source=first["source"],
        title=title,
        publisher=PUBLISHERS.get(first["source"], first["source"]),
        type="patient_information",
        url=first["url"] or None,
        year=None,  # MedQuAD does not record when the page was written
        license=LICENSE,
    )
    sections = tuple(
        Section(
            anchor=rec["id"],
            path=(title, _question(rec["question"])),
            text=rec["answer"],
            facet=QTYPE_FACETS.get(rec.get("qtype", ""), None),
        )
        for rec in recs
    )
    return Document(meta=meta, sections=sections)
