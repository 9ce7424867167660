"""A folder of Markdown, HTML, PDF and plain-text files: one document per file.

Markdown files may carry YAML front matter (title, url, publisher, year, type, license, doi). A file
that cannot be read or holds no text is reported by name and skipped; the others are imported.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from curbside.corpus.importers import ImportResult, combine_fingerprints, file_sha256
from curbside.corpus.importers.markdown import markdown_sections, plain, split_front_matter
from curbside.corpus.model import DOCUMENT_TYPES, Document, DocumentMeta, Section
from curbside.errors import UsageError

SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf", ".txt": "text"}


def folder_files(folder: Path) -> list[Path]:
    """The importable files under ``folder`` (recursively, hidden ones skipped), in a stable order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def fingerprint_folder(folder: Path) -> str:
    """The fingerprint of a folder: the sha256 of every importable file, by relative path."""
    return combine_fingerprints({str(p.relative_to(folder)): file_sha256(p) for p in folder_files(folder)})


def import_folder(folder: Path, name: str, publisher: str | None = None) -> ImportResult:
    """Import every Markdown/HTML/PDF/text file under ``folder`` as documents ``<name>:<relative path>``."""
    folder = Path(folder)
    documents: list[Document] = []
    problems: list[str] = []
    hashes: dict[str, str] = {}
    for path in folder_files(folder):
        rel = path.relative_to(folder).as_posix()
        hashes[rel] = file_sha256(path)
        try:
            doc = import_file(path, doc_id=f"{name}:{rel}", source=name, publisher=publisher or name)
        except Exception as exc:  # noqa: BLE001 - any parser failure is a malformed file, reported and skipped
            problems.append(f"{rel}: {type(exc).__name__}: {exc}".strip())
            continue
        documents.append(doc)
    return ImportResult(documents=documents, problems=problems, fingerprint=combine_fingerprints(hashes))


def import_file(path: Path, doc_id: str, source: str, publisher: str) -> Document:
    """One file as a document; raises ValueError (or the parser's error) when it is malformed or empty."""
    kind = SUFFIXES[path.suffix.lower()]
    meta: dict[str, Any] = {}
    if kind == "pdf":
        title, sections = _pdf(path)
    else:
        text = path.read_bytes().decode("utf-8")  # UnicodeDecodeError: reported as malformed
        if kind == "markdown":
            meta, body = split_front_matter(text)
            title, sections = markdown_sections(body, default_title=_title_from_name(path))
        elif kind == "html":
            title, sections = _html(text, default_title=_title_from_name(path))
        else:
            title, sections = _text(text, default_title=_title_from_name(path))
    if not sections:
        raise ValueError("no text found")
    return Document(meta=_meta(meta, doc_id=doc_id, source=source, title=title, publisher=publisher), sections=tuple(sections))


def _meta(fm: dict[str, Any], doc_id: str, source: str, title: str, publisher: str) -> DocumentMeta:
    year = fm.get("year")
    if year is not None:
        try:
            year = int(year)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"front matter year is not a number: {year!r}") from exc
    doc_type = str(fm.get("type") or "document")
    if doc_type not in DOCUMENT_TYPES:
        raise ValueError(f"front matter type {doc_type!r} is not one of {', '.join(DOCUMENT_TYPES)}")
    return DocumentMeta(
        doc_id=doc_id,
        source=source,
        title=str(fm.get("title") or title),
        publisher=str(fm.get("publisher") or publisher),
        type=doc_type,
        url=fm.get("url"),
        year=year,
        license=fm.get("license"),
        doi=fm.get("doi"),
    )


def _title_from_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or path.name


def _text(text: str, default_title: str) -> tuple[str, list[Section]]:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return default_title, []
    title = lines[0] if len(lines) > 1 and len(lines[0]) <= 120 else default_title
    body = "\n".join(lines[1:] if title == lines[0] else lines)
    return title, [Section(anchor="s1", path=(title,), text=body)]


def _pdf(path: Path) -> tuple[str, list[Section]]:
    from pypdf import PdfReader

    reader = PdfReader(str(path), strict=False)
    meta_title = (reader.metadata.title if reader.metadata else None) or ""
    title = meta_title.strip() or _title_from_name(path)
    sections = []
    for n, page in enumerate(reader.pages, 1):
        text = "\n".join(line.strip() for line in (page.extract_text() or "").splitlines() if line.strip())
        if text:
            sections.append(Section(anchor=f"page{n}", path=(title, f"Page {n}"), text=text))
    return title, sections


_BLOCK = {"p", "div", "li", "br", "tr", "section", "article", "table", "ul", "ol", "dd", "dt", "blockquote", "pre"}
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "svg"}


class _HtmlSections(HTMLParser):
    def __init__(self, default_title: str) -> None:
        super().__init__(convert_charrefs=True)
        self.default_title = default_title
        self.doc_title = ""
        self.h1 = ""
        self.trail: list[tuple[int, str]] = []
        self.sections: list[Section] = []
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.skip = 0
        self.heading: int | None = None
        self.heading_text: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self._end_line()
            self.heading, self.heading_text = int(tag[1]), []
        elif tag in _BLOCK:
            self._end_line()
            if tag == "li":
                self.cur.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif self.heading is not None and tag == f"h{self.heading}":
            text = " ".join("".join(self.heading_text).split())
            level, self.heading = self.heading, None
            self._flush()
            if level == 1 and not self.h1:
                self.h1 = text
            elif text:
                self.trail = [(lvl, h) for lvl, h in self.trail if lvl < level] + [(level, text)]
        elif tag in _BLOCK:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_title:
            self.doc_title += data
        elif self.heading is not None:
            self.heading_text.append(data)
        else:
            self.cur.append(data)

    def _end_line(self) -> None:
        line = plain(" ".join("".join(self.cur).split()))
        self.cur = []
        if line and line != "-":
            self.lines.append(line)

    def _flush(self) -> None:
        self._end_line()
        body = "\n".join(self.lines).strip()
        self.lines = []
        if body:
            path = (self.title, *(h for _, h in self.trail))
            self.sections.append(Section(anchor=f"s{len(self.sections) + 1}", path=path, text=body))

    @property
    def title(self) -> str:
        return self.h1 or " ".join(self.doc_title.split()) or self.default_title


def _html(text: str, default_title: str) -> tuple[str, list[Section]]:
    parser = _HtmlSections(default_title)
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.title, parser.sections
