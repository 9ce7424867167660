"""The engine: the one place that orders the stages understand -> retrieve -> compose -> verify.

The CLI, the web pages and the JSON API all call :meth:`Engine.ask` and differ only in how
they render the :class:`~curbside.answer.model.Answer`.

>>> engine = get_engine()                                     # doctest: +SKIP
>>> engine.ask("best tx chronic LBP?").bottom_line.text      # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import re
import threading
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from curbside.answer import audience as aud
from curbside.answer.compose import compose_answer
from curbside.answer.history import QuestionHistory
from curbside.answer.model import AUDIENCES, Answer, Review, SearchedNote
from curbside.answer.related import related_questions
from curbside.answer.retrieve import (
    CONSTRAINT_TOPICS,
    DRUG_FACETS,
    Route,
    TopicIndex,
    available_facet,
    has_route,
    route,
)
from curbside.answer.text import clean_text, content_stems, slugify
from curbside.answer.threads import Thread, ThreadStore, Turn
from curbside.answer.understand import FACET_INTENT, Query, classify_facet, understand
from curbside.answer.verify import verify
from curbside.answer.vocabulary import Vocabulary
from curbside.atomic import replace_file
from curbside.config import Settings, get_settings
from curbside.errors import InputTooLarge, UsageError
from curbside.knowledge.loader import KnowledgeBase, load_knowledge_base

log = logging.getLogger(__name__)

# First-person and family words: a question that describes someone is not suggested to others.
_PERSONAL = re.compile(r"\b(i|i'm|im|me|my|mine|we|our|us|mom|mum|dad|son|daughter|wife|husband|child's)\b", re.IGNORECASE)

# Words that point back to the thread's subject.
_POINTS_BACK = re.compile(r"\b(it|it's|its|that|this|these|those|them|they)\b", re.IGNORECASE)


class Engine:
    """Answers questions from the knowledge base (and imported corpora when it is silent)."""

    def __init__(self, settings: Settings | None = None, kb: KnowledgeBase | None = None) -> None:
        self.settings = settings or get_settings()
        self.kb = kb or load_knowledge_base(self.settings.kb_dirs, cache_dir=self.settings.data_dir / "cache")
        self.vocab, self.index = self._derived()
        self.threads = ThreadStore(self.settings.data_dir / "threads")
        self.history = QuestionHistory(self.settings.data_dir / "history.json")
        self._corpus_lock = threading.Lock()
        self._answerable_cache: dict[str, bool] = {}

    def _derived(self) -> tuple[Vocabulary, TopicIndex]:
        """The name vocabulary and topic index, from a cache keyed like the knowledge-base cache."""
        cache = self.settings.data_dir / "cache" / f"derived-{self.kb.fingerprint}-{_code_version()}.pickle"
        try:
            with cache.open("rb") as fh:
                vocab, index = pickle.load(fh)
            index.kb = self.kb
            return vocab, index
        except Exception:  # missing or unreadable cache: rebuild
            pass
        vocab, index = Vocabulary.from_kb(self.kb), TopicIndex(self.kb)
        index.kb = None  # the knowledge base has its own cache
        try:
            data = pickle.dumps((vocab, index), protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            index.kb = self.kb
        replace_file(cache, data, stale="derived-*.pickle")  # a read-only data dir only costs speed
        return vocab, index

    # ---- public API ------------------------------------------------------------
    def ask(self, question: str, audience: str = "clinician", thread_id: str | None = None) -> Answer:
        """Answer one question for one audience, in the context of a thread when given."""
        if audience not in AUDIENCES:
            raise UsageError(f"unknown audience {audience!r}; choose one of {', '.join(AUDIENCES)}")
        if not isinstance(question, str):
            raise UsageError("the question must be text")
        if len(question) > self.settings.max_question_chars:
            raise InputTooLarge(f"the question is {len(question)} characters; the limit is {self.settings.max_question_chars}")
        if not clean_text(question):
            raise UsageError("the question is empty: type a clinical question")
        thread = self.threads.get(thread_id) if thread_id else self.threads.new()
        query = understand(question, self.vocab)
        query, routed = self._route_in_thread(query, thread)
        answer = self._answer(query, routed, audience)
        answer = answer.model_copy(update={"thread_id": thread.id})
        thread.turns.append(Turn(question=query.text, normalized=answer.normalized_question, facet=answer.facet,
                                 topic_ids=[t.split("@")[0] for t in answer.topics], entities=query.entities, slug=answer.slug))
        thread.turns = thread.turns[-20:]
        self.threads.save(thread)
        return answer

    def topics(self) -> list[dict]:
        """Every knowledge-base topic: id, title, kind, area."""
        return [{"id": t.id, "title": t.title, "kind": t.kind, "area": t.area} for t in self.kb.topics.values()]

    # ---- stages ----------------------------------------------------------------
    def _route_in_thread(self, query: Query, thread: Thread) -> tuple[Query, Route]:
        routed = route(query, self.index, self.claim_space)
        last = thread.last
        topic = self.kb.get(last.topic_ids[0]) if last and last.topic_ids else None
        if topic is None or not self._keeps_thread_topic(query, topic):
            # A new subject starts a fresh topic; the query takes the facet the router chose.
            if routed.primary is not None and routed.asked_facet != query.facet:
                query = replace(query, facet=routed.asked_facet, intent=FACET_INTENT.get(routed.asked_facet, "other"))
            return query, routed
        # Keep the thread's topic; carry over who the patient is unless the follow-up says otherwise.
        prev = last.entities
        ent = query.entities.model_copy(update={
            "age": query.entities.age if query.entities.age is not None else prev.age,
            "sex": query.entities.sex or prev.sex,
            "pregnant": query.entities.pregnant or prev.pregnant,
            "breastfeeding": query.entities.breastfeeding or prev.breastfeeding,
            "renal_impairment": query.entities.renal_impairment or prev.renal_impairment,
            "hepatic_impairment": query.entities.hepatic_impairment or prev.hepatic_impairment,
            "conditions": query.entities.conditions or prev.conditions,
            "drugs": query.entities.drugs or prev.drugs,
        })
        facet = query.facet
        if facet in ("definition", "management") and query.cue_strength != "specific":
            # A bare follow-up: its own details ("she is pregnant", "with kidney disease") pick the facet,
            # else any cue in the unmasked text, else the thread's facet carries on.
            own = classify_facet(query.text)
            facet = _constraint_facet(query) or (own if own not in (None, "definition", "management") else None) \
                or last.facet or "management"
        normalized = f"{query.normalized.rstrip('?')} ({topic.title})?"
        query = replace(query, entities=ent, normalized=normalized, facet=facet)
        supporting = tuple(self.kb.topics[t] for t in last.topic_ids[1:2] if t in self.kb.topics) if facet == "comparison" else ()
        if facet == "comparison" and not supporting:
            facet = "management"
        return query, Route(primary=topic, supporting=supporting, facet=available_facet(topic, facet), asked_facet=facet,
                            confident=True, considered=routed.considered)

    def _keeps_thread_topic(self, query: Query, topic) -> bool:
        """Whether a question asked in a thread is still about the thread's topic."""
        others = [m for m in query.names if m.topic_id != topic.id]
        if not others:
            return True  # nothing new named ("what dose?"), or the same topic named again
        subjects = [m for m in others if m.topic_id not in CONSTRAINT_TOPICS]
        if not subjects:  # only a constraint named: "and with kidney disease?" vs "How is CKD staged?"
            return query.followup_like or query.facet not in ("definition", "causes", "symptoms", "diagnosis")
        # A drug of the condition's own treatment, asked about as part of the condition's care
        # ("HbA1c still high on metformin, what do I add?" in a diabetes thread), or anything related
        # pointed at with "it" ("Should I treat it with levothyroxine?"), keeps the thread's topic;
        # asking about the drug itself ("side effects of nitrofurantoin?") moves to the drug.
        def related(tid: str) -> bool:
            other = self.kb.get(tid)
            return tid in topic.related_topics or (other is not None and topic.id in other.related_topics)

        if not all(related(m.topic_id) for m in subjects):
            return False
        if topic.kind == "condition" and all(m.kind == "drug" for m in subjects):
            return query.facet not in DRUG_FACETS
        return bool(_POINTS_BACK.search(query.text))

    def _answer(self, query: Query, routed: Route, audience: str) -> Answer:
        slug = slugify(query.normalized)
        if routed.primary is None or query.animal:
            return self._uncovered(query, routed, audience, slug)
        answer = compose_answer(query, routed, audience, slug=slug)
        asked = [q for q in self.history.most_asked(routed.primary.id) if q != query.normalized]
        candidates = asked[:4] + related_questions(routed.primary, self.kb, query.normalized, routed.supporting, limit=16)
        related = [q for q in dict.fromkeys(candidates) if self._answerable(q)][:10]
        if answer.coverage == "covered" and self._shareable(query):
            self.history.record(routed.primary.id, query.normalized)
        else:
            answer = self._with_corpus(query, answer)
        return verify(answer.model_copy(update={"related_questions": related}))

    def _shareable(self, query: Query) -> bool:
        """Whether a question may be suggested to other readers: nothing personal, every word one we know.

        Questions with ages, lab values, pregnancy or first-person words describe someone; words
        the knowledge base has never seen are usually typos. Neither is shown to others.
        """
        ent = query.entities
        if ent.age is not None or ent.labs or ent.pregnant or ent.breastfeeding or _PERSONAL.search(query.text):
            return False
        return self.index.knows_all(query.tokens)

    def _answerable(self, question: str) -> bool:
        """True when the knowledge base routes this question to a topic (related questions must be)."""
        known = self._answerable_cache.get(question)
        if known is None:
            known = has_route(understand(question, self.vocab), self.index)
            self._answerable_cache[question] = known
        return known

    def _uncovered(self, query: Query, routed: Route, audience: str, slug: str) -> Answer:
        considered = [self.kb.topics[t].title for t, _ in routed.considered[:3] if t in self.kb.topics]
        base = dict(question=query.text, normalized_question=query.normalized, slug=slug, audience=audience,
                    intent=query.intent, facet=query.facet, disclaimer=aud.disclaimer(audience), safety=query.safety,
                    entities=query.entities, review=Review(status="submitted", last_updated=dt.date.today().isoformat()))
        if query.animal:
            return Answer(title="Outside curbside's scope", coverage="not_covered",
                          coverage_note=("curbside answers questions about people's health, and this question is about an "
                                         "animal. Doses and advice for people can harm animals: please ask a vet."),
                          **{**base, "intent": "out_of_scope", "safety": None})
        if not query.medical and query.non_medical_cue and query.safety is None:
            return Answer(title="Outside curbside's scope", coverage="not_covered",
                          coverage_note=("curbside answers medical questions only, and this question does not look medical. "
                                         "Please ask a clinical question, for example about a condition, a test result or a medicine."),
                          **{**base, "intent": "out_of_scope"})
        corpus_answer = self._from_corpus(query, base)
        if corpus_answer is not None:
            return verify(corpus_answer)
        sources = ["curated knowledge base"] + (["imported corpora"] if self._corpus is not None else [])
        return Answer(
            title="Not covered by curbside's sources",
            coverage="not_covered",
            coverage_note=("curbside has no reviewed topic or source document that answers this question, so it does not "
                           "guess. Ask a clinician, or rephrase the question around a condition, test or medicine."),
            searched=SearchedNote(topics_considered=considered, terms=query.search_terms, sources=sources),
            **base,
        )

    # ---- imported corpora ------------------------------------------------------
    @cached_property
    def claim_space(self):
        """Embedded section texts for the ranker's semantic signal, or None (dense off, no model)."""
        from curbside.answer.semantic import load_claim_space

        try:
            return load_claim_space(self.kb, self.settings.data_dir / "cache", enabled=self.settings.retrieval.dense)
        except Exception as exc:  # the ranker works without it; a broken model must not stop answers
            log.warning("semantic routing signal unavailable: %s", exc)
            return None

    @cached_property
    def _corpus(self):
        """The corpus searcher, or None when nothing was ingested (or the index module is unavailable)."""
        try:
            from curbside.index.search import CorpusSearcher
        except ImportError:
            return None
        try:
            return CorpusSearcher.open(self.settings)
        except Exception as exc:  # an unreadable index must not take the curated answers down with it
            log.warning("corpus index unavailable: %s", exc)
            return None

    def _corpus_passages(self, query: Query, first_number: int = 1) -> tuple[list, list]:
        """Sections and references built from the best corpus passages, or two empty lists."""
        with self._corpus_lock:
            searcher = self._corpus
        if searcher is None:
            return [], []
        try:
            from curbside.answer.from_corpus import compose_from_corpus
        except ImportError:
            return [], []
        hits = searcher.search(query.expanded, k=self.settings.retrieval.top_k)
        # A document is used only when its title names something the question asks about: a rare
        # disease that merely shares words with "what causes immunocompromise?" is not an answer.
        asked = set(content_stems(query.expanded))
        hits = [h for h in hits if asked & set(content_stems(h.title))]
        sections, references = compose_from_corpus(query.text, hits, first_number=first_number)
        if not any(s.bullets for s in sections) or not references:
            return [], []
        return sections, references

    def _from_corpus(self, query: Query, base: dict) -> Answer | None:
        sections, references = self._corpus_passages(query)
        if not sections:
            return None
        # The first statement leads as the bottom line; it is not repeated below.
        first_section = next(s for s in sections if s.bullets)
        first = first_section.bullets[0]
        first_section.bullets = first_section.bullets[1:]
        sections = [s for s in sections if s.bullets or s.intro or s.table]
        sources = sorted({r.publisher for r in references})
        return Answer(
            title=f"From reference documents: {references[0].title}",
            bottom_line=first,
            sections=sections,
            references=references,
            coverage="partial",
            coverage_note=("No reviewed curbside topic covers this question. The statements below are taken word for word "
                           "from reference documents (" + ", ".join(sources) + "), each cited to the document it came from."),
            searched=SearchedNote(terms=query.search_terms,
                                  sources=["curated knowledge base", "imported corpora"]),
            **base,
        ).renumbered()

    def _with_corpus(self, query: Query, answer: Answer) -> Answer:
        """A partly covered answer, completed with cited passages from the imported corpora when they have any."""
        sections, references = self._corpus_passages(query, first_number=len(answer.references) + 1)
        if not sections:
            return answer
        for s in sections:
            s.heading = f"From reference documents: {s.heading}"
        note = (answer.coverage_note or "") + (" The sections marked 'From reference documents' are taken word for word "
                                               "from imported documents, not from a reviewed topic.")
        return answer.model_copy(update={
            "sections": [*answer.sections, *sections],
            "references": [*answer.references, *references],
            "coverage_note": note.strip(),
        }).renumbered()

def _code_version() -> str:
    """A hash of the modules that build the vocabulary and index: a code change invalidates the cache."""
    import hashlib

    from curbside.answer import ranker, retrieve, text, vocabulary

    h = hashlib.sha256()
    for module in (ranker, retrieve, text, vocabulary):  # ranker: the rare-word map the index carries
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()[:10]


def _constraint_facet(query: Query) -> str | None:
    """The population facet a follow-up's own details ask for ('what if she is pregnant?', 'in an 85 year old?')."""
    found = query.entities.constraint_facets()
    if any(m.topic_id == "chronic-kidney-disease" for m in query.names) and "renal" not in found:
        found.insert(1 if found[:1] == ["pregnancy"] else 0, "renal")
    return found[0] if found else None


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def get_engine(settings: Settings | None = None) -> Engine:
    """The engine for these settings, built once per process."""
    settings = settings or get_settings()
    key = settings.model_dump_json()
    with _engines_lock:
        if key not in _engines:
            _engines[key] = Engine(settings)
        return _engines[key]
