"""The fingerprint of the sources an answer was built from, to notice when one of them changes.

* each knowledge-base topic used, as ``topic-id@content-hash`` (``Answer.topics``);
* each imported document cited, as ``doc:<document id>@<hash>``, where the hash covers the reference's
  metadata and the text taken from it, so a re-imported document with changed text changes it.

>>> from curbside.answer.model import Answer, Review, ReferenceEntry, Bullet
>>> ref = ReferenceEntry(n=1, title="Gout", publisher="NIH", type="patient_information", source_id="medquad:1")
>>> a = Answer(question="q", normalized_question="q", slug="q", title="t", review=Review(last_updated="2026-01-01"),
...            disclaimer="d", coverage="partial", bottom_line=Bullet(text="Gout hurts.", citations=[1]), references=[ref])
>>> fingerprint(a)[0].startswith("doc:medquad:1@")
True
"""

from __future__ import annotations

import hashlib

from curbside.answer.model import Answer


def fingerprint(answer: Answer) -> list[str]:
    """Sorted source ids with versions for everything ``answer`` cites."""
    topic_ids = {t.split("@", 1)[0] for t in answer.topics}
    found = set(answer.topics)
    texts: dict[int, list[str]] = {}
    for _, text, cites in answer.cited_items():
        for n in cites:
            texts.setdefault(n, []).append(text)
    for ref in answer.references:
        if ref.source_id.split("#", 1)[0] in topic_ids:
            continue  # covered by the topic's hash
        h = hashlib.sha256()
        for part in (ref.title, ref.publisher, str(ref.year), ref.url or "", ref.doi or "", *texts.get(ref.n, [])):
            h.update(part.encode())
            h.update(b"\0")
        found.add(f"doc:{ref.source_id}@{h.hexdigest()[:12]}")
    return sorted(found)


def topic_versions(sources: list[str]) -> dict[str, str]:
    """topic id -> content hash, for the knowledge-base topics in a fingerprint."""
    return dict(s.split("@", 1) for s in sources if not s.startswith("doc:") and "@" in s)
