"""Markdown to sections: headings make the section trail, markup is reduced to plain text."""

from __future__ import annotations

import re
from typing import Any

from curbside.corpus.model import Section

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_HTML_TAG = re.compile(r"<[^>]+>")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between ``---`` lines (title, url, publisher, year, type, license, doi) and the body."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"bad front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, text[end + 4 :].lstrip("\n")


def plain(line: str) -> str:
    """One Markdown line as plain text: links to their text, emphasis and tags removed, quotes unmarked."""
    line = line.strip()
    line = re.sub(r"^>\s?", "", line)
    line = _LINK.sub(r"\1", line)
    for _ in range(2):
        line = _EMPHASIS.sub(r"\2", line)
    line = _HTML_TAG.sub("", line)
    if line.startswith("|"):
        cells = [c.strip() for c in line.strip("|").split("|")]
        if all(set(c) <= set("-: ") for c in cells):
            return ""
        line = "; ".join(c for c in cells if c)
    line = re.sub(r"^(\d+)\.\s+", r"\1. ", line)
    line = re.sub(r"^[*+]\s+", "- ", line)
    return line


def markdown_sections(text: str, default_title: str, anchor_prefix: str = "s") -> tuple[str, list[Section]]:
    """(title, sections) of a Markdown body; the first H1 is the title, deeper headings the trail."""
    title = ""
    trail: list[tuple[int, str]] = []
    sections: list[Section] = []
    buf: list[str] = []
    in_code = False

    def flush() -> None:
        body = "\n".join(line for line in buf if line).strip()
        buf.clear()
        if body:
            path = tuple([title or default_title, *(h for _, h in trail)])
            sections.append(Section(anchor=f"{anchor_prefix}{len(sections) + 1}", path=path, text=body))

    for raw in text.splitlines():
        if raw.strip().startswith("```"):
            in_code = not in_code
            continue
        m = None if in_code else _HEADING.match(raw)
        if m:
            flush()
            level, heading = len(m.group(1)), plain(m.group(2))
            if level == 1 and not title:
                title = heading
                continue
            trail = [(lvl, h) for lvl, h in trail if lvl < level] + [(level, heading)]
            continue
        buf.append(plain(raw))
    flush()
    return title or default_title, sections
