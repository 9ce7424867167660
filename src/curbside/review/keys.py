"""The equivalence key: questions with the same key share one article, so an approved answer is reused.

For an answer routed to knowledge-base topics the key is what determines its content, not the wording::

    topic:<primary topic id>[+<supporting topic ids>]|facet:<facet>|ctx:<constraints>|safety:<level>|aud:<audience>

``ctx`` lists the constraints that change the answer: ``pregnancy`` (pregnant or breastfeeding),
``renal``, ``hepatic``, and the age group ``child`` (< 18) or ``older`` (>= 65); an adult of any age
adds nothing. So "first-line treatment for hypertension?", "HTN first line tx" and "which drug first
for high blood pressure in a 50-year-old?" share ``topic:hypertension|facet:first_line|ctx:-|...``
while the same question "in pregnancy" gets its own article.

Answers from imported corpora (no topic) and uncovered ones are keyed by their normalized question
text (lower case, punctuation and extra spaces removed): ``q:<text>|aud:<audience>``.

>>> from curbside.answer.model import Answer, Review, Entities
>>> a = Answer(question="HTN tx?", normalized_question="hypertension treatment?", slug="x", title="t",
...            review=Review(last_updated="2026-01-01"), disclaimer="d", coverage="covered",
...            facet="management", topics=["hypertension@abc123"], entities=Entities(age=80))
>>> equivalence_key(a)
'topic:hypertension|facet:management|ctx:older|safety:-|aud:clinician'
"""

from __future__ import annotations

import re
import unicodedata

from curbside.answer.model import Answer

_MAX = 500


def constraints(answer: Answer) -> list[str]:
    """The patient constraints that change an answer, in a fixed order (key words kept short)."""
    short = {"children": "child", "older_adults": "older"}
    return [short.get(f, f) for f in answer.entities.constraint_facets()]


def normalize_question(text: str) -> str:
    """Lower case, accents folded, punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def equivalence_key(answer: Answer) -> str:
    """The key of the article this answer belongs to (see the module docstring)."""
    topic_ids = [t.split("@", 1)[0] for t in answer.topics]
    safety = answer.safety.level if answer.safety else "-"
    if topic_ids:
        key = (f"topic:{'+'.join(topic_ids)}|facet:{answer.facet or '-'}|ctx:{','.join(constraints(answer)) or '-'}"
               f"|safety:{safety}|aud:{answer.audience}")
    else:
        key = f"q:{normalize_question(answer.normalized_question or answer.question)}|safety:{safety}|aud:{answer.audience}"
    return key[:_MAX]


def should_store(answer: Answer) -> bool:
    """Whether an answer becomes an article: anything with cited content (not the 'not covered' notices)."""
    return answer.coverage != "not_covered" and answer.bottom_line is not None
