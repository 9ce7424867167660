"""Recently asked questions by slug, so that ``/a/<slug>`` and ``GET /api/v1/answers/<slug>`` work.

An answer's URL holds only the slug of its normalized question. The server remembers the last
``maxsize`` questions (and the thread a follow-up belongs to); a slug it does not know, after a restart
say, is answered by asking the slug's words, which reproduces the answer, so links stay shareable.
:func:`question_for_slug` is the one place that turns a slug back into a question; it asks the store of
reviewed articles (when given) before falling back to the slug's words.

>>> recent = RecentQuestions(maxsize=2)
>>> recent.remember("low-back-pain", "Low back pain?", thread_id=None)
>>> question_for_slug("low-back-pain", recent).question
'Low back pain?'
>>> question_for_slug("atrial-fibrillation-anticoagulation", recent).question
'atrial fibrillation anticoagulation'
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from curbside.answer.model import Answer

# The answer computed when a question is asked is handed to the page the asker is redirected to,
# once and only briefly; every later view asks again, so readers never share a follow-up thread.
_HANDOFF_TTL_S = 60.0


@dataclass
class Asked:
    """A question as it was asked: its text and the thread it followed up, if any."""

    question: str
    thread_id: str | None = None
    answers: dict[str, tuple[float, Answer]] = field(default_factory=dict)  # audience -> (at, answer)

    def take(self, audience: str) -> Answer | None:
        """The answer just computed for ``audience``, once (None if there is none or it is stale)."""
        hit = self.answers.pop(audience, None)
        if hit and time.monotonic() - hit[0] < _HANDOFF_TTL_S:
            return hit[1]
        return None


class RecentQuestions:
    """A bounded, thread-safe map slug -> :class:`Asked`, least recently used dropped first."""

    def __init__(self, maxsize: int = 2048) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[str, Asked] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, slug: str, question: str, *, thread_id: str | None, answer: Answer | None = None) -> None:
        """Records that ``question`` (following up ``thread_id``) is answered at ``slug``."""
        with self._lock:
            asked = self._items.get(slug)
            if asked is None or asked.question != question or asked.thread_id != thread_id:
                asked = Asked(question, thread_id)
            if answer is not None:
                asked.answers[answer.audience] = (time.monotonic(), answer)
            self._items[slug] = asked
            self._items.move_to_end(slug)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def get(self, slug: str) -> Asked | None:
        """The question remembered for ``slug``, or None."""
        with self._lock:
            asked = self._items.get(slug)
            if asked is not None:
                self._items.move_to_end(slug)
            return asked

    def __len__(self) -> int:
        return len(self._items)


def question_for_slug(slug: str, recent: RecentQuestions, stored: Callable[[str], str | None] | None = None) -> Asked:
    """The question behind ``slug``: remembered if recent, else the stored article's, else the slug's own words.

    ``stored`` looks a slug up in the article store (``curbside.review.service.ReviewService.question_for_slug``),
    so a link opened on another instance, or after a restart, shows the article it was made for.
    """
    asked = recent.get(slug)
    if asked is None and stored is not None:
        question = stored(slug)
        asked = Asked(question) if question else None
    return asked or Asked(slug.replace("-", " ").strip())
