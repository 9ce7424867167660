"""Retrieve: route a question to knowledge-base topics and a facet.

Names found by `understand` (aliases, drug names, brands) are the strongest signal; a
bm25s index over each topic's title, aliases, scope, headings and claims ranks the rest and
breaks ties. Questions that name nothing are routed by bm25 alone when the match is clear.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from curbside.answer.ranker import GENERIC_TITLE_WORDS, Ranker, candidate_topics, named_topics, shipped_ranker
from curbside.answer.safety import RULE_TOPICS
from curbside.answer.text import STOPWORDS, stem, words
from curbside.answer.understand import BROAD_MANAGEMENT, Query
from curbside.knowledge.loader import KnowledgeBase
from curbside.knowledge.schema import Topic

STOPWORD_STEMS = frozenset(stem(sorted(STOPWORDS)))

# A bm25 score below this, with no name matched, is too weak to route on (calibrated on
# eval/routing: weaker matches were wrong more often than right).
MIN_LEXICAL_SCORE = 1.5

# Facets that are about a drug itself: with a drug named, the monograph answers them.
DRUG_FACETS = frozenset({
    "dosing", "adverse_effects", "interactions", "administration", "switching", "contraindications",
    "boxed_warning", "indications", "counselling", "monitoring", "renal", "hepatic", "pregnancy", "comparison",
})

# When the preferred facet has no section in the topic, try these next.
FACET_FALLBACK = {
    "first_line": ["first_line", "management"],
    "second_line": ["second_line", "later_lines", "referral", "management"],
    "later_lines": ["later_lines", "second_line", "referral", "management"],
    "dosing": ["dosing", "first_line", "management"],
    "renal": ["renal", "dosing", "contraindications", "management"],
    "hepatic": ["hepatic", "dosing", "contraindications", "management"],
    "pregnancy": ["pregnancy", "contraindications", "management"],
    "older_adults": ["older_adults", "management"],
    "children": ["children", "management"],
    "interpretation": ["interpretation", "diagnosis", "definition"],
    "diagnosis": ["diagnosis", "interpretation", "symptoms", "management"],
    "symptoms": ["symptoms", "diagnosis", "definition"],
    "causes": ["causes", "definition"],
    "definition": ["definition", "symptoms", "management"],
    "expectations": ["expectations", "management"],
    "referral": ["referral", "red_flags", "management"],
    "pitfalls": ["pitfalls", "management"],
    "red_flags": ["red_flags", "referral", "management"],
    "prevention": ["prevention", "management"],
    "monitoring": ["monitoring", "management"],
    "indications": ["indications", "definition", "management"],
    "contraindications": ["contraindications", "pitfalls", "management"],
    "boxed_warning": ["boxed_warning", "adverse_effects", "management"],
    "interactions": ["interactions", "contraindications", "management"],
    "adverse_effects": ["adverse_effects", "boxed_warning", "management"],
    "administration": ["administration", "dosing", "management"],
    "switching": ["switching", "dosing", "management"],
    "counselling": ["counselling", "administration", "management"],
}

# Condition topics that, named beside a drug, are a constraint on the drug rather than the subject.
CONSTRAINT_TOPICS = {"chronic-kidney-disease": "renal"}


@dataclass(frozen=True)
class Route:
    """Where a question goes: the topic that answers it, supporting topics, and the facet."""

    primary: Topic | None
    supporting: tuple[Topic, ...]
    facet: str  # the facet answered (after falling back to what the topic covers)
    asked_facet: str  # the facet the question asked for
    confident: bool
    considered: tuple[tuple[str, float], ...] = field(default=())


class TopicIndex:
    """bm25s over one text per topic."""

    def __init__(self, kb: KnowledgeBase) -> None:
        import bm25s

        from curbside.answer.text import _stemmer

        self.kb = kb
        self.ids = list(kb.topics)
        self._stemmer = _stemmer()
        docs = [_topic_text(kb.topics[i]) for i in self.ids]
        self.name_stems = {i: _name_stems(kb.topics[i]) for i in self.ids}
        self._bm25 = bm25s.BM25()
        if docs:
            tokens = bm25s.tokenize(docs, stopwords=sorted(STOPWORDS), stemmer=self._stemmer, show_progress=False)
            self._bm25.index(tokens, show_progress=False)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_stemmer", None)  # PyStemmer objects do not pickle; rebuilt on load
        return state

    def __setstate__(self, state: dict) -> None:
        from curbside.answer.text import _stemmer

        self.__dict__.update(state)
        self._stemmer = _stemmer()

    def knows_all(self, tokens: tuple[str, ...] | list[str]) -> bool:
        """True when every content word is in the knowledge base's own vocabulary (no typos, no strange words)."""
        content = [t for t in tokens if t not in STOPWORDS and t.isalpha()]
        return all(st in self._bm25.vocab_dict for st in self._stemmer.stemWords(content))

    def search(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """Topic ids with bm25 scores, best first (empty when nothing matches)."""
        import bm25s

        if not self.ids:
            return []
        tokens = bm25s.tokenize([text], stopwords=sorted(STOPWORDS), stemmer=self._stemmer, show_progress=False,
                                return_ids=False)
        query = [t for t in tokens[0] if t in self._bm25.vocab_dict] if tokens else []
        if not query:
            return []
        scores = self._bm25.get_scores(query)
        top = np.argsort(-scores)[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]



def _name_stems(topic: Topic) -> frozenset[str]:
    """Stems of the topic's own names (title, aliases, brands), generic title words included."""
    names = " ".join(topic.names())
    return frozenset(stem([w for w in words(names) if w not in STOPWORDS]))


def _topic_text(topic: Topic) -> str:
    names = " ".join(topic.names())
    parts = [names, names, names, topic.scope, topic.drug_class or ""]
    for section in topic.sections:
        parts.append(section.heading)
        parts.extend(c.text for c in section.claims)
    return "\n".join(parts)


def route(query: Query, index: TopicIndex, space=None) -> Route:
    """Choose the topic(s) and facet that answer the query."""
    kb = index.kb
    lexical = index.search(query.expanded)
    score = dict(lexical)
    conditions = [kb.topics[t] for t in query.condition_ids if t in kb.topics]
    drugs = [kb.topics[t] for t in query.drug_ids if t in kb.topics]
    facet = query.facet
    ranker = shipped_ranker()
    if ranker is not None:
        return _route_ranked(query, index, ranker, lexical, space)

    # A drug named beside a constraint condition ("ibuprofen with CKD"): the drug is the subject.
    if drugs:
        for c in list(conditions):
            if c.id in CONSTRAINT_TOPICS:
                conditions.remove(c)
                if facet in ("management", "definition", "first_line", "contraindications", "dosing"):
                    facet = CONSTRAINT_TOPICS[c.id]
        if facet in ("management", "definition"):
            ent = query.entities
            if ent.pregnant or ent.breastfeeding:
                facet = "pregnancy"
            elif ent.renal_impairment:
                facet = "renal"
            elif ent.hepatic_impairment:
                facet = "hepatic"

    if len(drugs) > 1:
        # The drug asked about comes before the drugs the person is already on ("on sertraline, can I
        # use Imitrex?"); then the one whose monograph covers what is asked ("switch warfarin to apixaban").
        drugs.sort(key=lambda t: (t.id in query.background_drugs and len(query.background_drugs) < len(drugs),
                                  not t.sections_for(facet)))
    if drugs and conditions and facet in ("management", "definition") and _about_drug(query):
        facet = "adverse_effects" if _COMPLAINT.search(query.expanded) else facet
        conditions = []  # "diarrhoea on metformin", "is colchicine safe": the drug is the subject
    primary: Topic | None = None
    supporting: list[Topic] = []
    confident = True
    if facet == "comparison" and len(drugs) + len(conditions) >= 2:
        ordered = drugs + conditions if drugs else conditions
        primary, supporting = ordered[0], ordered[1:3]
    elif drugs and conditions:
        if facet in DRUG_FACETS:
            primary, supporting = drugs[0], drugs[1:2]
        else:  # "best drug for X": the condition answers it, the monographs support
            primary = max(conditions, key=lambda t: score.get(t.id, 0.0))
            supporting = drugs[:2]
    elif drugs:
        primary, supporting = drugs[0], drugs[1:2]
    elif conditions:
        ranked = sorted(conditions, key=lambda t: -score.get(t.id, 0.0))
        primary, supporting = ranked[0], ranked[1:2]
    else:
        primary, confident = _lexical_primary(query, index, lexical)

    if primary is None and query.safety is not None:
        hint = _red_flag_topic(query, kb)
        if hint is not None:
            primary, facet = hint, "red_flags"
    if primary is not None and facet == "comparison" and not supporting:
        facet = "management"
    if primary is not None:
        facet = _refine_facet(query, primary, facet)
    asked = facet
    if primary is not None:
        facet = available_facet(primary, facet)
    return Route(primary=primary, supporting=tuple(supporting), facet=facet, asked_facet=asked, confident=confident,
                 considered=tuple(lexical[:5]))


def has_route(query: Query, index: TopicIndex) -> bool:
    """Whether `route` finds a topic for the query (cheaper: no facet is chosen)."""
    if named_topics(query, index.kb):
        return True
    if _lexical_primary(query, index, index.search(query.expanded))[0] is not None:
        return True
    return query.safety is not None and _red_flag_topic(query, index.kb) is not None


def _lexical_primary(query: Query, index: TopicIndex, lexical: list[tuple[str, float]]) -> tuple[Topic | None, bool]:
    """With no name matched: the topic the words alone point to, when one clearly leads, and whether it is clear."""
    if not lexical or lexical[0][1] < MIN_LEXICAL_SCORE or query.non_medical_cue or query.unknown_drug:
        return None, True
    clear = len(lexical) == 1 or lexical[0][1] >= 1.3 * lexical[1][1]
    # Words alone route only when one of them names the topic ("back pain"), not when they are
    # merely frequent in it ("contagious" in gastroenteritis).
    query_stems = set(stem([t for t in query.tokens if t not in STOPWORDS]))
    shared = query_stems & index.name_stems[lexical[0][0]]
    specific = shared - GENERIC_TITLE_WORDS
    names_topic = bool(specific) and (len(shared) >= 2 or len(query_stems) <= 2)
    if names_topic and (clear or query.safety is not None):
        return index.kb.topics[lexical[0][0]], clear
    return None, True


def _red_flag_topic(query: Query, kb: KnowledgeBase) -> Topic | None:
    """Nothing named, but the red flag itself says which topic's red-flag section applies."""
    for rule in query.safety.matched if query.safety else ():
        hint = next((kb.topics[t] for t in RULE_TOPICS.get(rule, ()) if t in kb.topics), None)
        if hint is not None:
            return hint
    return None


# With nothing named and no clear word match, the ranker's share for its best topic must reach this
# (calibrated on held-out training questions, see docs/retrieval.md).
NO_NAME_MIN_SHARE = 0.9
# Words that, besides a name, ask nothing in particular ("gout", "tell me about Guaifenesin").
_ONLY_A_NAME = frozenset("_ the a an about tell me info information on of please".split())
_PARTS_OF_THE_PLAN = frozenset({"first_line", "definition", "expectations"})


def _route_ranked(query: Query, index: TopicIndex, ranker: Ranker, lexical: list[tuple[str, float]], space=None) -> Route:
    """Route with the learned ranker: it picks the subject among the named topics and the facet."""
    kb = index.kb
    topics = candidate_topics(query, index, lexical)
    confident = True
    ranked = ranker.rank(query, topics, lexical, space) if topics else []
    if ranked and not named_topics(query, kb):
        # Nothing named: words alone route when one topic clearly leads, or the ranker is sure of one.
        clear, confident = _lexical_primary(query, index, lexical)
        share = sum(p for c, p in ranked if c.topic.id == ranked[0][0].topic.id)
        if clear is None and share < NO_NAME_MIN_SHARE:
            ranked = []
    if not ranked:
        hint = _red_flag_topic(query, kb) if query.safety is not None else None
        if hint is None:
            return Route(primary=None, supporting=(), facet=query.facet, asked_facet=query.facet, confident=True,
                         considered=tuple(lexical[:5]))
        return Route(primary=hint, supporting=(), facet=available_facet(hint, "red_flags"), asked_facet="red_flags",
                     confident=True, considered=tuple(lexical[:5]))
    best = ranked[0][0]
    primary = best.topic
    facet = best.facet
    if not [w for w in words(query.masked) if w not in _ONLY_A_NAME]:
        facet = "management"  # only a name ("Guaifenesin", "gout?"): the whole page
    elif primary.kind == "condition" and facet in _PARTS_OF_THE_PLAN and BROAD_MANAGEMENT.search(query.masked):
        facet = "management"  # "best approach", "overall plan": the convention's whole plan (docs/routing-labels.md)
    supporting = [t for t in named_topics(query, kb) if t.id != primary.id][:2]
    if facet == "comparison" and not supporting:
        facet = "management"
    asked = facet
    return Route(primary=primary, supporting=tuple(supporting), facet=available_facet(primary, facet), asked_facet=asked,
                 confident=confident, considered=tuple(lexical[:5]))


# Words of a complaint: asked about a drug with no other cue, they ask about its side effects.
_COMPLAINT = re.compile(
    r"\b(diarrh\w*|nause\w*|vomit\w*|rash\w*|cough\w*|swell\w*|swollen|aches?|aching|cramp\w*|itch\w*|dizz\w*|tired\w*|"
    r"fatigue|headaches?|sleepy|drows\w*|insomnia|weight|hair|bleed\w*|bruis\w*|palpitat\w*|constipat\w*|dry mouth|"
    r"cancer|addict\w*|dependen\w*|hallucinat\w*|nightmares?|pee\w*|urinat\w*|sweat\w*|hungry|libido|erection)\b",
    re.IGNORECASE,
)


_BEFORE_DRUG = frozenset({"on", "from", "taking", "started", "starting", "using"})
_AFTER_DRUG = frozenset({"safe", "ok", "okay", "alright", "fine"})
_DRUG_DOES = frozenset({"giving", "making", "causing", "cause", "causes", "caused", "gives", "makes", "made"})
_ASK_ABOUT = frozenset({"take", "use", "stop", "stopping", "quit"})  # "can I take Cialis if...", "stop my atenolol"


def _about_drug(query: Query) -> bool:
    """True when the question is about a drug itself: 'diarrhoea on metformin', 'is colchicine safe'."""
    toks = query.tokens
    for m in query.names:
        if m.kind != "drug":
            continue
        before = toks[max(0, m.start - 2) : m.start]
        lead = before[-1] if before else ""
        if lead in ("my", "the", "his", "her") and len(before) == 2:
            lead = before[0]
        after = toks[m.end] if m.end < len(toks) else ""
        if ((lead in _BEFORE_DRUG and _COMPLAINT.search(query.expanded)) or after in _AFTER_DRUG
                or after in _DRUG_DOES or lead in _ASK_ABOUT):
            return True
    return False


# Food, drink and supplements asked about with a drug: an interaction question.
_FOOD_OR_SUPPLEMENT = re.compile(
    r"\b(food|foods|salad|spinach|greens|yogh?urt|milk|dairy|cheese|calcium|antacids?|coffee|caffeine|juice|"
    r"supplements?|vitamins?|iron tablets?|magnesium|zinc|herbal|st john'?s wort)\b", re.IGNORECASE)


def _refine_facet(query: Query, primary: Topic, facet: str) -> str:
    """Adjust a broad facet with what the topic is: drug complaints, age groups, the section the words match."""
    if primary.kind == "drug" and facet == "causes":
        return "adverse_effects"  # "does HCTZ cause skin cancer?", "could the water pill be the cause?"
    if facet not in ("management", "definition"):
        return facet
    if query.cue_strength != "specific":
        best = best_section_facet(query, primary,
                                  MIN_SECTION_SCORE if query.cue_strength == "none" else MIN_SECTION_SCORE_OVER_CUE)
        if best:
            return best
    if primary.kind == "drug" and _COMPLAINT.search(query.expanded):
        return "adverse_effects"
    if primary.kind == "drug" and _FOOD_OR_SUPPLEMENT.search(query.expanded):
        return "interactions"
    ent = query.entities
    child = (ent.age is not None and ent.age < 18) or re.search(r"\b(son|daughter|child|kid|toddler|baby)\b", query.text, re.I)
    if primary.kind == "condition" and facet == "management":
        if child and primary.sections_for("children"):
            return "children"
        if ent.age is not None and ent.age >= 75 and primary.sections_for("older_adults"):
            return "older_adults"
    return facet


# A section must share at least this much idf-weighted vocabulary with the question to be
# chosen by its words alone.
MIN_SECTION_SCORE = 2.5
MIN_SECTION_SCORE_OVER_CUE = 4.0  # higher when it overrides a broad "how to treat" reading


def best_section_facet(query: Query, topic: Topic, threshold: float = MIN_SECTION_SCORE) -> str | None:
    """The facet of the section whose words best match the question's own words (the topic's own names excluded)."""
    own = [m for m in query.names if m.topic_id == topic.id]
    masked = set(stem([t for i, t in enumerate(query.tokens) if not any(m.start <= i < m.end for m in own)]))
    masked -= STOPWORD_STEMS
    if not masked:
        return None
    sections = [s for s in topic.sections if s.facet.value not in ("algorithm", "red_flags")]
    bags = []
    for sec in sections:
        text = " ".join([sec.heading] + [c.text for c in sec.claims] + ([sec.intro.text] if sec.intro else []))
        bags.append(set(stem(words(text))))
    n = len(bags)
    scores = []
    for bag in bags:
        score = 0.0
        for w in masked & bag:
            df = sum(w in b for b in bags)
            score += math.log(1 + n / df)
        scores.append(score)
    if not scores:
        return None
    i = max(range(n), key=scores.__getitem__)
    return sections[i].facet.value if scores[i] >= threshold else None


def available_facet(topic: Topic, facet: str) -> str:
    """The facet itself when the topic covers it, else the nearest covered fallback."""
    if facet in ("management", "comparison"):
        return facet
    have = topic.facets | set(topic.bottom_line)
    for candidate in FACET_FALLBACK.get(facet, [facet, "management"]):
        if candidate == "management" or candidate in have:
            return candidate
    return "management"
