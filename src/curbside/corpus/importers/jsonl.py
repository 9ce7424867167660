"""A generic JSON Lines corpus: one document a line.

Each line: ``{"id", "title", "text"}`` or ``{"id", "title", "sections": [{"heading", "text"}]}``, plus
optional ``url``, ``publisher``, ``year``, ``type``, ``license``, ``doi``, ``source``. A malformed line is
reported as ``file:line`` and skipped.
"""

from __future__ import annotations

from pathlib import Path

from curbside.corpus.importers import ImportResult, file_sha256, json_lines
from curbside.corpus.model import DOCUMENT_TYPES, Document, DocumentMeta, Section
from curbside.errors import UsageError


def fingerprint_jsonl(path: Path) -> str:
    """The file's sha256."""
    return file_sha256(Path(path))


def import_jsonl(path: Path, name: str) -> ImportResult:
    """Documents ``<name>:<id>`` from a JSONL(.gz) file; bad lines are reported and skipped."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    documents: list[Document] = []
    problems: list[str] = []
    seen: set[str] = set()
    for lineno, rec in json_lines(path, problems):
        try:
            doc = _document(rec, name)
            if doc.meta.doc_id in seen:
                raise ValueError(f"duplicate id {doc.meta.doc_id!r}")
        except (ValueError, TypeError, AttributeError) as exc:
            problems.append(f"{path.name}:{lineno}: {exc}")
            continue
        seen.add(doc.meta.doc_id)
        documents.append(doc)
    return ImportResult(documents=documents, problems=problems, fingerprint=fingerprint_jsonl(path))


def _document(rec: object, name: str) -> Document:
    if not isinstance(rec, dict):
        raise ValueError("line is not a JSON object")
    for key in ("id", "title"):
        if not isinstance(rec.get(key), str | int) or not str(rec[key]).strip():
            raise ValueError(f"missing {key!r}")
    title = str(rec["title"]).strip()
    if isinstance(rec.get("sections"), list):
        sections = tuple(
            Section(anchor=f"s{i}", path=(title, str(s.get("heading") or "").strip()) if s.get("heading") else (title,),
                    text=str(s["text"]).strip())
            for i, s in enumerate(rec["sections"], 1)
            if isinstance(s, dict) and str(s.get("text") or "").strip()
        )
    elif isinstance(rec.get("text"), str):
        sections = (Section(anchor="s1", path=(title,), text=rec["text"].strip()),) if rec["text"].strip() else ()
    else:
        raise ValueError("needs 'text' or 'sections'")
    if not sections:
        raise ValueError("no text")
    doc_type = rec.get("type") or "document"
    if doc_type not in DOCUMENT_TYPES:
        raise ValueError(f"type {doc_type!r} is not one of {', '.join(DOCUMENT_TYPES)}")
    year = rec.get("year")
    if year is not None and not isinstance(year, int):
        raise ValueError(f"year is not a number: {year!r}")
    meta = DocumentMeta(
        doc_id=f"{name}:{rec['id']}",
        source=str(rec.get("source") or name),
        title=title,
        publisher=str(rec.get("publisher") or name),
        type=doc_type,
        url=rec.get("url"),
        year=year,
        license=rec.get("license"),
        doi=rec.get("doi"),
    )
    return Document(meta=meta, sections=sections)
