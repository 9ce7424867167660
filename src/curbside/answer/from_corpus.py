"""Compose answer sections from retrieved corpus passages: extractive, grouped by facet, each cited.

A sentence is only ever cited to the document it was cut from: every candidate sentence carries its hit's
document id, and reference numbers are given per document, in order of first use.

>>> sections, refs = compose_from_corpus("What causes gout?", hits)    # doctest: +SKIP
>>> sections[0].heading, refs[0].publisher                             # doctest: +SKIP
('Causes', 'MedlinePlus, U.S. National Library of Medicine')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from curbside.answer.model import AnswerSection, Bullet, ReferenceEntry
from curbside.corpus.chunk import sentence_spans
from curbside.index.search import Hit
from curbside.index.tokenize import tokenize

#: Facet -> heading, in the order sections are shown (the question's own facet goes first).
HEADINGS: dict[str, str] = {
    "definition": "What it is",
    "symptoms": "Symptoms",
    "causes": "Causes",
    "epidemiology": "How common it is",
    "diagnosis": "Diagnosis",
    "treatment": "Treatment",
    "prevention": "Prevention",
    "outlook": "Outlook",
    "considerations": "Other considerations",
    "research": "Research",
    "key_points": "Key points",
}

_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (facet, re.compile(pattern, re.IGNORECASE))
    for facet, pattern in (
        ("symptoms", r"\bsymptom|\bsigns?\b|\bfeel|\bpresent(s|ation)\b|\bcomplain"),
        ("causes", r"\bcaus|\bgene(s|tic)?\b|\bmutation|\binherit|\brisk factor|\bwhy\b|\btrigger|\bsusceptib"),
        ("diagnosis", r"\bdiagnos|\btests?\b|\btesting\b|\bexam(s|ination)?\b|\bscreen|\bimaging\b|\bbiopsy|\bwork-?up"),
        ("treatment", r"\btreat|\btherap|\bmanag|\bmedicat|\bdrugs?\b|\bsurgery|\bdose|\bfirst-line|\bprescrib|\bmedicine"),
        ("prevention", r"\bprevent|\bavoid|\bvaccin|\breduce (the |your )?risk"),
        ("outlook", r"\boutlook|\bprognos|\bsurviv|\blife expectancy|\bcomplication|\bstages?\b|\bcure|\brecover"),
        ("epidemiology", r"\bhow (common|many|often)|\bprevalen|\bincidence|\bfrequen|\baffects? (about|approximately|an estimated)"),
        ("definition", r"\bwhat (is|are)\b|\bdefin|\bmeans?\b|\btype of\b|\bis a (rare |common )?(disease|condition|disorder|cancer)"),
    )
)

#: For sentences, stricter cues where the question cue is too broad ("it causes swollen joints" is a
#: symptom, "frequently affects the knees" is not a prevalence).
_STRICT = {
    "causes": re.compile(r"\bcaused by\b|\bcauses? of\b|\bdue to\b|\bgenes?\b|\bgenetic|\bmutation|\binherit|"
                         r"\brisk factor|\btrigger|\bsusceptib", re.IGNORECASE),
    "epidemiology": re.compile(r"\bprevalen|\bincidence|\b\d[\d,]* (in|out of) [\d,]+|\baffects? (about|approximately|an estimated)"
                               r"|\bhow common|\bper \d[\d,]* (people|persons|individuals|births)|\bcommon (in|among|within)\b",
                               re.IGNORECASE),
}
#: Sentence cues, prevalence first ("a common genetic disease within the white population" is about how
#: common it is, not its cause).
_SENTENCE_CUES = tuple(
    sorted(((facet, _STRICT.get(facet, cue)) for facet, cue in _CUES), key=lambda fc: fc[0] != "epidemiology")
)

#: Question words that say which facet is asked, not what about: they do not count as topic terms.
_GENERIC = frozenset(tokenize(
    "what is are how why who when which does do can could should would the symptom symptoms sign signs cause causes caused "
    "treat treatment treatments therapy manage management diagnose diagnosis test tests outlook prognosis prevent prevention "
    "risk inherit inherited inheritance genetic changes related frequency common information people disease condition "
    "disorder research clinical trials done being about tell me know get help patient patients "
    # everyday words of patients' questions: they say nothing about which document is on topic
    "generally usually often always ever really pretty quite very much many well good bad better best worse "
    "work works working thing things something anything way ways kind part component normal okay ok safe safely "
    "take taking took use using used need needs want try trying start stop keep make made go going come "
    "old older young younger age aged year years month months week weeks day days time times night morning "
    "mother father mom dad sister brother son daughter wife husband child children kid kids baby friend family "
    "person someone somebody anyone everyone doctor doctors nurse trouble problem problems issue issues "
    "possible likely long short normal same different difference other another also still yet again"
))

MAX_BULLETS = 8
MAX_PER_FACET = 3
MAX_PER_DOCUMENT = 4
_MIN_CHARS, _MAX_CHARS = 25, 600


@dataclass(frozen=True, slots=True)
class _Candidate:
    text: str
    stems: frozenset[str]
    facet: str
    score: float
    hit_rank: int
    position: int
    doc_id: str
    passage_id: str


def question_facet(question: str) -> str | None:
    """The facet a question asks about (first matching cue), or None."""
    for facet, cue in _CUES:
        if cue.search(question):
            return facet
    return None


def compose_from_corpus(
    question: str, hits: list[Hit], first_number: int = 1
) -> tuple[list[AnswerSection], list[ReferenceEntry]]:
    """Sections of extractive, cited sentences relevant to ``question``, and their references.

    Empty lists when no hit is about the question's topic.
    """
    q_stems = set(tokenize(question))
    topic = q_stems - _GENERIC
    asked = question_facet(question)
    candidates: list[_Candidate] = []
    for rank, hit in enumerate(hits):
        title_stems = set(tokenize(hit.title))
        if not _about(q_stems, topic, title_stems, set(tokenize(hit.text))):
            continue  # not about what was asked
        for position, text in enumerate(_sentences(hit.text, run_in_headings=hit.source in _RUN_IN_SOURCES)):
            stems = frozenset(tokenize(text))
            if not stems:
                continue
            facet = _sentence_facet(text, hit)
            overlap = len(q_stems & (stems | title_stems))
            on_facet = asked is not None and facet == asked
            in_section = asked is not None and hit.facet == asked
            if overlap == 0 and not on_facet:
                continue
            score = (overlap / (1 + len(q_stems)) + (0.6 if on_facet else 0.0) + (0.5 if in_section else 0.0)
                     + 0.5 / (1 + rank) + 0.1 / (1 + position))
            candidates.append(_Candidate(text, stems, facet, score, rank, position, hit.doc_id, hit.passage_id))
    chosen = _select(candidates)
    if not chosen:
        return [], []
    return _assemble(chosen, hits, asked, first_number)


def _about(q_stems: set[str], topic: set[str], title: set[str], text: set[str]) -> bool:
    """Whether a hit is about the question: the question names most of the document's title, or the
    passage holds the question's topic words (all of one or two, else two thirds)."""
    title_words = {t for t in title - _GENERIC if not t.isdigit()}
    if title_words and len(title_words & q_stems) >= max(1, len(title_words) / 2):
        return True
    if not topic:
        return bool(q_stems & (title | text))
    found = len(topic & (title | text))
    return found == len(topic) if len(topic) <= 2 else found >= 2 * len(topic) / 3


#: Sources whose page headings were run into the next sentence when MedQuAD flattened the page
#: ("Attacks Usually Start at Night Gout is a form of arthritis ...").
_RUN_IN_SOURCES = frozenset({"NIHSeniorHealth"})
_FUNCTION_WORDS = frozenset("a an and at by for from in of on or the to with".split())


def strip_run_in_heading(sentence: str) -> str:
    """'Attacks Usually Start at Night Gout is a form ...' -> 'Gout is a form ...' (else unchanged)."""
    tokens = sentence.split(" ")
    i = next((n for n, t in enumerate(tokens) if not t[:1].isalpha() or t[0].islower() and t not in _FUNCTION_WORDS), -1)
    if i < 0 or not tokens[i][:1].isalpha():
        return sentence
    heading = tokens[: i - 1]
    first = tokens[i - 1]
    if len(heading) < 2 or heading[-1] in _FUNCTION_WORDS or heading[0] in ("The", "A", "An"):
        return sentence
    if not first[0].isupper() or not first[-1].isalnum():  # "For African Americans, stroke is ..." stays
        return sentence
    return " ".join(tokens[i - 1 :])


def _sentences(text: str, run_in_headings: bool = False) -> list[str]:
    """The passage's statements that stand alone, in order: whole sentences, and a list with its lead-in
    ("... can include" + "- a - b - c") joined as "... can include: a, b, c." (same words, same order)."""
    out: list[str] = []
    lead: str | None = None
    items: list[str] = []

    def flush() -> None:
        nonlocal lead, items
        if lead and items:
            joined = f"{lead.rstrip(':').rstrip()}: {', '.join(i.rstrip('.;,') for i in items)}."
            if len(joined) <= _MAX_CHARS:
                out.append(joined)
        elif items:
            out.extend(i for i in items if _standalone(i))
        lead, items = None, []

    for line in text.split("\n"):
        line = " ".join(line.split())
        if re.match(r"^(?:[-•*]|->|→)\s", line):
            items.extend(i.strip() for i in re.split(r"\s+-\s+", re.sub(r"^(?:[-•*]|->|→)\s*", "", line)) if i.strip())
            continue
        flush()
        spans = sentence_spans(line)
        for n, (start, end) in enumerate(spans):
            sentence = strip_run_in_heading(line[start:end]) if run_in_headings else line[start:end]
            if n == len(spans) - 1 and not re.search(r"[.!?)]$", sentence) and len(sentence) >= _MIN_CHARS:
                lead = sentence  # a lead-in: the list on the next line completes it
            elif _standalone(sentence):
                out.append(sentence)
    flush()
    return out


def _standalone(s: str) -> bool:
    """Headings, questions, lead-ins and fragments do not stand alone."""
    return _MIN_CHARS <= len(s) <= _MAX_CHARS and bool(re.search(r"[.!)]$", s)) and s.count("(") == s.count(")")


def _sentence_facet(text: str, hit: Hit) -> str:
    """The sentence's own cue first, then its section's facet, then its headings' cues."""
    for facet, cue in _SENTENCE_CUES:
        if facet != "definition" and cue.search(text):
            return facet
    if hit.facet and hit.facet in HEADINGS:
        return hit.facet
    for heading in reversed(hit.section_path[1:]):
        for facet, cue in _CUES:
            if cue.search(heading):
                return facet
    return "key_points" if hit.type == "guideline" else "definition"


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    per_facet: dict[str, int] = {}
    per_doc: dict[str, int] = {}
    for c in sorted(candidates, key=lambda c: (-c.score, c.hit_rank, c.position)):
        if len(chosen) >= MAX_BULLETS:
            break
        if per_facet.get(c.facet, 0) >= MAX_PER_FACET or per_doc.get(c.doc_id, 0) >= MAX_PER_DOCUMENT:
            continue
        if any(_similar(c.stems, other.stems) for other in chosen):
            continue
        chosen.append(c)
        per_facet[c.facet] = per_facet.get(c.facet, 0) + 1
        per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
    return chosen


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return len(a & b) / max(1, len(a | b)) >= 0.6


def _assemble(
    chosen: list[_Candidate], hits: list[Hit], asked: str | None, first_number: int
) -> tuple[list[AnswerSection], list[ReferenceEntry]]:
    order = list(HEADINGS)
    if asked in HEADINGS:
        order.remove(asked)
        order.insert(0, asked)
    by_doc = {hit.doc_id: hit for hit in reversed(hits)}  # the first hit of each document supplies its metadata
    numbers: dict[str, int] = {}
    references: list[ReferenceEntry] = []
    sections: list[AnswerSection] = []
    for facet in order:
        group = sorted((c for c in chosen if c.facet == facet), key=lambda c: (c.hit_rank, c.position))
        if not group:
            continue
        bullets = []
        for c in group:
            if c.doc_id not in numbers:
                numbers[c.doc_id] = first_number + len(numbers)
                references.append(_reference(by_doc[c.doc_id], numbers[c.doc_id]))
            bullets.append(Bullet(text=c.text, citations=[numbers[c.doc_id]], claim_id=c.passage_id))
        sections.append(AnswerSection(heading=HEADINGS[facet], facet=facet, bullets=bullets))
    return sections, references


def _reference(hit: Hit, n: int) -> ReferenceEntry:
    return ReferenceEntry(
        n=n,
        title=hit.title,
        publisher=hit.publisher,
        year=hit.year,
        type=hit.type,
        url=hit.url,
        doi=hit.doi,
        source_id=hit.doc_id,
    )
