"""Questions users have really asked, counted per topic, so related questions can list the most asked first.

Kept as one small JSON file in the data directory (bounded per topic, written atomically).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

from curbside.atomic import replace_file

MAX_PER_TOPIC = 50


class QuestionHistory:
    """Counts of normalized questions per topic id."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._counts: dict[str, Counter[str]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self._counts = {t: Counter(qs) for t, qs in data.items() if isinstance(qs, dict)}
        except (OSError, ValueError):
            pass

    def record(self, topic_id: str, question: str) -> None:
        """Count one asking of a question routed to this topic."""
        with self._lock:
            counts = self._counts.setdefault(topic_id, Counter())
            counts[question] += 1
            if len(counts) > MAX_PER_TOPIC:
                self._counts[topic_id] = Counter(dict(counts.most_common(MAX_PER_TOPIC)))
            self._save()

    def most_asked(self, topic_id: str, min_count: int = 3) -> list[str]:
        """Questions asked at least ``min_count`` times for this topic, most asked first."""
        with self._lock:
            counts = self._counts.get(topic_id, Counter())
            return [q for q, n in counts.most_common() if n >= min_count]

    def _save(self) -> None:
        # A read-only data dir only loses the history.
        replace_file(self.path, json.dumps({t: dict(c) for t, c in self._counts.items()}).encode())
