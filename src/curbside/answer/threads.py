"""Follow-up threads: each turn's topic, facet and entities, so a follow-up keeps its context.

Stored as one small JSON file per thread in the data directory (written atomically); the
advisory-board store can replace this without changing the engine.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from pydantic import BaseModel, Field

from curbside.answer.model import Entities
from curbside.atomic import replace_file
from curbside.errors import NotFound

_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class Turn(BaseModel):
    question: str
    normalized: str
    topic_ids: list[str] = Field(default_factory=list)
    facet: str | None = None
    entities: Entities = Field(default_factory=Entities)
    slug: str = ""


class Thread(BaseModel):
    id: str
    turns: list[Turn] = Field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


# Threads kept on disk; older ones are pruned so a busy server does not fill its disk.
MAX_THREADS = 5000
PRUNE_EVERY = 256


class ThreadStore:
    """Threads as JSON files under ``folder`` (the newest ``max_threads`` are kept)."""

    def __init__(self, folder: Path, max_threads: int = MAX_THREADS) -> None:
        self.folder = Path(folder)
        self.max_threads = max_threads
        self._saves = 0

    def new(self) -> Thread:
        return Thread(id=secrets.token_urlsafe(12))

    def get(self, thread_id: str) -> Thread:
        """The thread with this id; NotFound when there is none."""
        if not _ID.match(thread_id or ""):
            raise NotFound(f"no such thread: {thread_id!r}")
        path = self.folder / f"{thread_id}.json"
        try:
            return Thread.model_validate_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NotFound(f"no such thread: {thread_id!r}") from None
        except ValueError:
            raise NotFound(f"thread {thread_id!r} could not be read") from None

    def save(self, thread: Thread) -> None:
        """Write the thread atomically (a crash leaves the old file or the new one)."""
        # A read-only data dir loses follow-up context, not the answer.
        if replace_file(self.folder / f"{thread.id}.json", thread.model_dump_json().encode()):
            self._saves += 1
            if self._saves % PRUNE_EVERY == 0:
                try:
                    self.prune()
                except OSError:  # another process pruned the same files first
                    pass

    def prune(self) -> int:
        """Delete the oldest thread files beyond ``max_threads``; returns how many were deleted."""
        files = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        excess = files[: max(0, len(files) - self.max_threads)]
        for f in excess:
            f.unlink(missing_ok=True)
        return len(excess)
