"""Retrieve: route a question to knowledge-base topics and a facet.

The topics the question names (aliases, drug names, brands found by `understand`) and the best
bm25s matches over each topic's names, scope, headings and claims are the candidates; the learned
ranker (`ranker.py`, docs/routing.md) picks the subject and the facet among them. Questions that
name nothing are routed only when one topic clearly leads. Unclear matches are not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from curbside.answer.ranker import (
    GENERIC_TITLE_WORDS,
    Ranker,
    build_rare_words,
    candidate_topics,
    lexical_topics,
    name_words_asked,
    named_topics,
    rare_hits,
    shipped_ranker,
)
from curbside.answer.safety import RULE_TOPICS
from curbside.answer.text import STOPWORDS, stem, words
from curbside.answer.understand import BROAD_MANAGEMENT, TREATMENT_OVERVIEW, Query
from curbside.errors import CurbsideError
from curbside.knowledge.loader import KnowledgeBase
from curbside.knowledge.schema import Topic

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
        self.rare_words = build_rare_words(kb)
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
    """Choose the topic(s) and facet that answer the query (``space``: the ranker's semantic signal)."""
    ranker = shipped_ranker()
    if ranker is None:
        raise CurbsideError("the routing model (curbside/answer/data/ranker.npz) is missing or was trained on other "
                            "features: reinstall curbside or run `python -m curbside.answer.ranker_train`")
    return _route_ranked(query, index, ranker, index.search(query.expanded), space)


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
    shared = name_words_asked(query, index, lexical[0][0])
    specific = shared - GENERIC_TITLE_WORDS
    names_topic = bool(specific) and (len(shared) >= 2 or len(query.content_stems) <= 2)
    if names_topic and (clear or query.safety is not None):
        return index.kb.topics[lexical[0][0]], clear
    return None, True


def _red_flag_topic(query: Query, kb: KnowledgeBase, shares: dict[str, float] | None = None) -> Topic | None:
    """Nothing named, but the red flag itself says which topic's red-flag section applies. With several rules
    matched, the topic the ranker gave most (``shares``): a swollen throat that is one-sided and stops the
    mouth opening fires the anaphylaxis rule too, but reads like a sore-throat question."""
    hints = [hint for rule in (query.safety.matched if query.safety else ())
             if (hint := next((kb.topics[t] for t in RULE_TOPICS.get(rule, ()) if t in kb.topics), None)) is not None]
    if not hints:
        return None
    shares = shares or {}
    return max(hints, key=lambda t: shares.get(t.id, 0.0))  # max keeps the first of equals: rule order


# With nothing named and no clear word match, the ranker's share for its best topic must reach this
# (calibrated on held-out training questions, see docs/retrieval.md).
NO_NAME_MIN_SHARE = 0.9
NO_NAME_NEIGHBOUR_SIM = 0.7  # ... or this close to a training question about the leading topic
NO_NAME_NEIGHBOUR_SHARE = 0.6  # ... and the leading topic has at least this share
NO_NAME_TOPIC_SIM = 0.5  # with the model, a topic routed to by words must be at least this close to one of its questions
# Words that, besides a name, ask nothing in particular ("gout", "tell me about Guaifenesin").
_ONLY_A_NAME = frozenset("_ the a an about tell me info information on of please".split())
_PARTS_OF_THE_PLAN = frozenset({"first_line", "definition", "expectations"})


def _route_ranked(query: Query, index: TopicIndex, ranker: Ranker, lexical: list[tuple[str, float]], space=None) -> Route:
    """Route with the learned ranker: it picks the subject among the named topics and the facet."""
    kb = index.kb
    qvec = space.embed_question(query.text) if space is not None else None
    sims = ranker.similarities(qvec)
    near = ranker.near_topics(sims)
    topics = candidate_topics(query, index, lexical, near)
    named = named_topics(query, kb)
    confident = True
    shares: dict[str, float] = {}  # nothing named: each candidate topic's summed probability
    ranked = ranker.rank(query, topics, lexical, space, qvec, sims, rare_hits(query, index.rare_words)) if topics else []
    if ranked and not named:
        # Nothing named: words alone route when one topic clearly leads, or the ranker is sure of one, or
        # fairly sure and the closest training question is close and about the same topic.
        clear, confident = _lexical_primary(query, index, lexical)
        for c, p in ranked:
            shares[c.topic.id] = shares.get(c.topic.id, 0.0) + p
        lead = ranked[0][0].topic.id
        share = shares[lead]
        neighbour = bool(near) and near[0][0] == lead and near[0][1] >= NO_NAME_NEIGHBOUR_SIM
        worded = lead in {t.id for t in lexical_topics(query, index, lexical, limit=3)}
        closest = ranker.closest(sims, lead)
        # A topic that only reads alike needs a close neighbour; one found by a shared word needs at least a
        # loose one ("a broken collarbone" shares "broken" with a rosacea alias, but reads like none of its questions).
        sure = share >= NO_NAME_MIN_SHARE and worded and (closest is None or closest >= NO_NAME_TOPIC_SIM)
        if clear is None and not sure and not (neighbour and share >= NO_NAME_NEIGHBOUR_SHARE):
            ranked = []
    if not ranked:
        hint = _red_flag_topic(query, kb, shares) if query.safety is not None else None
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
    elif primary.kind == "condition" and facet in _PARTS_OF_THE_PLAN and (
            BROAD_MANAGEMENT.search(query.masked) or TREATMENT_OVERVIEW.search(query.text)):
        facet = "management"  # "best approach", "how is it treated": the convention's whole plan (docs/routing-labels.md)
    supporting = [t for t in named if t.id != primary.id][:2]
    if facet == "comparison" and not supporting:
        facet = "management"
    asked = facet
    return Route(primary=primary, supporting=tuple(supporting), facet=available_facet(primary, facet), asked_facet=asked,
                 confident=confident, considered=tuple(lexical[:5]))


def available_facet(topic: Topic, facet: str) -> str:
    """The facet itself when the topic covers it, else the nearest covered fallback."""
    if facet in ("management", "comparison"):
        return facet
    have = topic.facets | set(topic.bottom_line)
    for candidate in FACET_FALLBACK.get(facet, [facet, "management"]):
        if candidate == "management" or candidate in have:
            return candidate
    return "management"
