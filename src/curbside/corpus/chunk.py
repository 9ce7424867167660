"""Cut section text into passages of whole sentences, keeping exact character offsets."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from curbside.corpus.model import Document, Passage

#: Bumped whenever cutting changes, so sources are re-cut (and only changed passages re-embedded).
CHUNKER_VERSION = 1
#: A passage aims for at most this many characters (about 200 MiniLM tokens, under its 256 limit).
MAX_CHARS = 1000
#: An over-long sentence is cut at a space no earlier than this many characters in.
MIN_CHARS = 300

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9•\-])|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences (and list items / lines) in ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        _append_trimmed(text, pos, m.start() if text[m.start()].isspace() else m.end(), spans)
        pos = m.end()
    _append_trimmed(text, pos, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def _split_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a span longer than MAX_CHARS at whitespace."""
    while end - start > MAX_CHARS:
        cut = text.rfind(" ", start + MIN_CHARS, start + MAX_CHARS)
        if cut <= start:
            cut = start + MAX_CHARS
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def chunk_spans(text: str) -> list[tuple[int, int]]:
    """Greedy packing of consecutive sentences into spans of at most MAX_CHARS characters."""
    pieces = [p for s, e in sentence_spans(text) for p in _split_long(text, s, e)]
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for s, e in pieces:
        if cur is None:
            cur = (s, e)
        elif e - cur[0] <= MAX_CHARS:
            cur = (cur[0], e)
        else:
            out.append(cur)
            cur = (s, e)
    if cur is not None:
        out.append(cur)
    return out


def passage_id(doc_id: str, anchor: str, text: str) -> str:
    """A stable passage id: document, section anchor and a hash of the text (survives rebuilds)."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{doc_id}#{anchor}~{digest}"


def chunk_document(doc: Document) -> list[Passage]:
    """The passages of a document, in reading order."""
    passages: list[Passage] = []
    seen: set[str] = set()
    for section in doc.sections:
        for start, end in chunk_spans(section.text):
            text = section.text[start:end]
            pid = passage_id(doc.meta.doc_id, section.anchor, text)
            if pid in seen:  # the same text twice in one section: keep the first
                continue
            seen.add(pid)
            passages.append(
                Passage(
                    passage_id=pid,
                    doc_id=doc.meta.doc_id,
                    section_path=section.path,
                    char_start=start,
                    char_end=end,
                    text=text,
                    facet=section.facet,
                )
            )
    return passages
