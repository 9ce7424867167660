"""Importers turn an input (a file, a folder, a package) into corpus documents.

Each importer returns an :class:`ImportResult`: the documents, the problems found (malformed files,
named, and skipped), and a fingerprint of its inputs so an unchanged re-ingest can do nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from curbside.corpus.model import Document


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an importer read: documents, problems (one line each, naming the file), input fingerprint."""

    documents: list[Document]
    problems: list[str] = field(default_factory=list)
    fingerprint: str = ""


def file_sha256(path: Path) -> str:
    """The sha256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def combine_fingerprints(parts: dict[str, str]) -> str:
    """One digest for several (name -> digest) inputs, independent of their order."""
    h = hashlib.sha256()
    for name in sorted(parts):
        h.update(f"{name}\0{parts[name]}\n".encode())
    return h.hexdigest()


def json_lines(path: Path, problems: list[str]) -> Iterator[tuple[int, object]]:
    """(line number, decoded value) for each non-blank line of a JSON Lines file, gzipped or not.

    A line that is not JSON, or a file that cannot be read, is added to ``problems`` as
    ``file:line: reason`` and skipped; the caller checks each value's shape.
    """
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield lineno, json.loads(line)
                except ValueError as exc:
                    problems.append(f"{path.name}:{lineno}: {exc}")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: unreadable ({exc})")
