"""The guideline summaries shipped in the PyPI package ``open-medicine`` (MIT): one document per file.

Each summary is cited to the guideline it summarises (title from the file's H1, organisation, year,
DOI from the package's registry); the publisher names Open Medicine as the summary's author.
"""

from __future__ import annotations

import json
from pathlib import Path

from curbside.corpus.importers import ImportResult, combine_fingerprints, file_sha256
from curbside.corpus.importers.markdown import markdown_sections
from curbside.corpus.model import Document, DocumentMeta
from curbside.errors import UsageError

LICENSE = "MIT (Open Medicine guideline summaries)"


def guidelines_dir() -> Path:
    """The installed package's guideline folder (holding registry.json and content/)."""
    try:
        import open_medicine
    except ImportError as exc:
        raise UsageError("the 'open-medicine' package is not installed (pip install 'curbside[corpus]')") from exc
    return Path(open_medicine.__file__).parent / "guidelines"


def fingerprint_open_medicine(folder: Path | None = None) -> str:
    """The fingerprint of the installed summaries: registry and every Markdown file."""
    folder = folder or guidelines_dir()
    files = [folder / "registry.json", *sorted((folder / "content").rglob("*.md"))]
    return combine_fingerprints({str(p.relative_to(folder)): file_sha256(p) for p in files if p.is_file()})


def import_open_medicine(name: str = "open-medicine", folder: Path | None = None) -> ImportResult:
    """Documents ``<name>:<guideline id>/<file stem>`` for every summary in the package."""
    folder = folder or guidelines_dir()
    registry = {g["id"]: g for g in json.loads((folder / "registry.json").read_text(encoding="utf-8"))}
    documents: list[Document] = []
    problems: list[str] = []
    for path in sorted((folder / "content").rglob("*.md")):
        gid = path.parent.name
        entry = registry.get(gid)
        rel = path.relative_to(folder / "content").as_posix()
        if entry is None:
            problems.append(f"{rel}: guideline {gid!r} is not in registry.json")
            continue
        try:
            title, sections = markdown_sections(path.read_text(encoding="utf-8"), default_title=entry["title"])
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{rel}: {exc}")
            continue
        if not sections:
            problems.append(f"{rel}: no text found")
            continue
        doi = entry.get("doi")
        meta = DocumentMeta(
            doc_id=f"{name}:{gid}/{path.stem}",
            source="open-medicine",
            title=title,
            publisher=f"{entry.get('organization') or 'Unknown organisation'} (summary by Open Medicine)",
            type="guideline",
            url=f"https://doi.org/{doi}" if doi else None,
            year=entry.get("year"),
            license=LICENSE,
            doi=doi,
        )
        documents.append(Document(meta=meta, sections=tuple(sections)))
    return ImportResult(documents=documents, problems=problems, fingerprint=fingerprint_open_medicine(folder))
