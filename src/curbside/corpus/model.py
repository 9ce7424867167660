"""The corpus document model: a document has sections, a section is cut into passages.

Every passage keeps its document id, its section path and its character offsets in the section text,
so it can always be shown and cited with its document's metadata.

>>> meta = DocumentMeta(doc_id="demo:1", source="demo", title="Gout", publisher="Demo", type="guideline")
>>> doc = Document(meta=meta, sections=(Section(anchor="s1", path=("Gout",), text="Gout is arthritis."),))
>>> doc.meta.title
'Gout'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Reference types a corpus document can have (the Answer's ReferenceEntry.type vocabulary).
DOCUMENT_TYPES = ("patient_information", "guideline", "systematic_review", "trial", "review", "document")


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What a citation of a document shows: title, publisher, year, url, license, type."""

    doc_id: str
    source: str
    title: str
    publisher: str
    type: str = "document"
    url: str | None = None
    year: int | None = None
    license: str | None = None
    doi: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentMeta:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a document; ``path`` is its heading trail, ``facet`` a known topic facet."""

    anchor: str
    path: tuple[str, ...]
    text: str
    facet: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One citable document: its metadata and its sections, in reading order."""

    meta: DocumentMeta
    sections: tuple[Section, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrievable span of a section: ``text == section.text[char_start:char_end]``."""

    passage_id: str
    doc_id: str
    section_path: tuple[str, ...]
    char_start: int
    char_end: int
    text: str
    facet: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.passage_id,
            "doc": self.doc_id,
            "path": list(self.section_path),
            "start": self.char_start,
            "end": self.char_end,
            "facet": self.facet,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Passage:
        return cls(
            passage_id=data["id"],
            doc_id=data["doc"],
            section_path=tuple(data["path"]),
            char_start=data["start"],
            char_end=data["end"],
            text=data["text"],
            facet=data.get("facet"),
        )


def index_text(title: str, passage_text: str) -> str:
    """The text that is indexed and embedded for a passage: its document title, then the passage."""
    return f"{title}. {passage_text}" if title else passage_text
