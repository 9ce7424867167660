"""A learned ranker that picks the subject (topic or drug) and the facet a question asks for.

Candidates are every (topic, facet) pair of the topics the question names — or of the one topic
lexical routing found when it names none — restricted to the facets the topic has a section for
(plus `management` and, with two subjects named, `comparison`). Each candidate is described by
hashed sparse features: the question's words and word pairs with the candidate's own name
masked as ``<this>`` and other names as ``<drug>``/``<cond>``, which hand-written facet cues
fire, who the question is about (age, pregnancy, kidney, liver), where the candidate's name
sits, and how much of the question's wording the candidate section shares. A linear model
scores them; the best wins.

The weights are trained by `curbside.answer.ranker_train` on `training/routing/*.jsonl`,
questions written for training only under the convention in docs/routing-labels.md, apart
from the evaluation sets, and shipped in ``answer/data/ranker.npz``.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from curbside.answer.text import STOPWORDS, stem, words
from curbside.answer.understand import BROAD_MANAGEMENT, FACET_CUES, Query
from curbside.knowledge.schema import Topic

MODEL_PATH = Path(__file__).resolve().parent / "data" / "ranker.npz"
EXAMPLES_PATH = Path(__file__).resolve().parent / "data" / "examples.npz"
DIM = 1 << 20  # hashed feature space
FEATURE_VERSION = 7  # bump when features change: a model trained on other features is not loaded

_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_CHILD_WORDS = re.compile(r"\b(son|daughter|child|children|kids?|toddler|baby|babies|infant|newborn|teen\w*|"
                          r"\d{1,2}[- ]?(month|mo|week)s?[- ]old)\b", re.I)
_OLD_WORDS = re.compile(r"\b(elderly|older|frail|nursing home|grand(mother|father|ma|pa|mum|mom|dad)|care home)\b", re.I)


@dataclass(frozen=True)
class Candidate:
    """One way to answer: this topic's section for this facet."""

    topic: Topic
    facet: str


def _h(feature: str) -> int:
    return zlib.crc32(feature.encode()) & (DIM - 1)


def candidate_facets(topic: Topic, n_subjects: int) -> list[str]:
    """The facets a question about this topic can be answered with."""
    facets = sorted(f for f in topic.facets if f != "algorithm")
    if topic.kind == "condition" and "management" not in facets:
        facets.append("management")
    if n_subjects >= 2:
        facets.append("comparison")
    return facets


@dataclass(frozen=True)
class _SectionWords:
    """A topic's section texts (headings, intros, claims) as stems, by facet."""

    sections: dict[str, frozenset[str]]  # every stem of the facet's sections
    claims: dict[str, list[frozenset[str]]]  # each text's stems, stopwords left out
    idf: dict[str, float]  # of each stem over all the topic's texts


_WORDS: dict[int, tuple[Topic, _SectionWords]] = {}


def _section_words(topic: Topic) -> _SectionWords:
    """The topic's section words, computed once per loaded topic."""
    hit = _WORDS.get(id(topic))
    if hit is not None and hit[0] is topic:
        return hit[1]
    sections: dict[str, set[str]] = {}
    claims: dict[str, list[frozenset[str]]] = {}
    for sec in topic.sections:
        facet = sec.facet.value
        for text in [sec.heading] + [c.text for c in sec.claims] + ([sec.intro.text] if sec.intro else []):
            tokens = words(text)
            sections.setdefault(facet, set()).update(stem(tokens))
            claims.setdefault(facet, []).append(frozenset(stem([w for w in tokens if w not in STOPWORDS])))
    df: dict[str, int] = {}
    n = 0
    for bags in claims.values():
        for bag in bags:
            n += 1
            for w in bag:
                df[w] = df.get(w, 0) + 1
    found = _SectionWords(sections={f: frozenset(b) for f, b in sections.items()}, claims=claims,
                          idf={w: math.log(1 + n / d) for w, d in df.items()})
    _WORDS[id(topic)] = (topic, found)
    return found


RARE_TOPICS = 2  # a word used by the texts of at most this many topics points to them
RARE_CANDIDATES = 2  # ... and at most this many such topics join the candidates
RELATED_CANDIDATES = 2  # the first related topics of a named drug that join the candidates


def build_rare_words(kb) -> dict[str, tuple[str, ...]]:
    """Word stems (five letters or more) that the texts of at most RARE_TOPICS topics use, with those topics:
    "acamprosate" appears only on the alcohol page, "carbimazole" only on the thyroid ones. Built with the
    topic index (and cached with it), since it reads every topic."""
    where: dict[str, set[str]] = {}
    for topic in kb.topics.values():
        for bag in _section_words(topic).sections.values():
            for w in bag:
                where.setdefault(w, set()).add(topic.id)
    return {w: tuple(sorted(ts)) for w, ts in where.items() if len(ts) <= RARE_TOPICS and len(w) >= 5 and not w.isdigit()}


def rare_hits(query: Query, rare: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """For each topic, how many of the question's rare words (``rare``: `build_rare_words`) its texts use."""
    out: dict[str, int] = {}
    for w in query.with_generics:
        for tid in rare.get(w, ()):
            out[tid] = out.get(tid, 0) + 1
    return out


def rare_topics(query: Query, rare: dict[str, tuple[str, ...]]) -> list[str]:
    """The topics the question's rarest words point to (those used by the fewest topics first)."""
    hits = sorted((len(rare[w]), w) for w in query.with_generics if w in rare)
    out: list[str] = []
    for _, w in hits:
        for tid in rare[w]:
            if tid not in out:
                out.append(tid)
    return out[:RARE_CANDIDATES]


def _claim_match(query_stems: frozenset[str], topic: Topic) -> dict[str, float]:
    """For each facet, how much of the question its best-matching claim covers (idf-weighted)."""
    found = _section_words(topic)
    return {facet: max((sum(found.idf[w] for w in query_stems & bag) for bag in bags), default=0.0)
            for facet, bags in found.claims.items()}


def _overlap(query_stems: frozenset[str], topic: Topic) -> dict[str, float]:
    """Idf-weighted share of the question's words found in each facet's sections of the topic."""
    bags = _section_words(topic).sections
    n = len(bags)
    out = {}
    for facet, bag in bags.items():
        score = 0.0
        for w in query_stems & bag:
            df = sum(w in b for b in bags.values())
            score += math.log(1 + n / df)
        out[facet] = score
    return out


def _masked_tokens(query: Query, topic_id: str) -> list[str]:
    """The question's words with names replaced by placeholders: <this> for the candidate, <drug>/<cond> for others."""
    toks = list(query.tokens)
    spans = sorted(query.names, key=lambda m: m.start)
    out: list[str] = []
    i = 0
    for m in spans:
        if m.start < i:
            continue
        out.extend(toks[i:m.start])
        out.append("<this>" if m.topic_id == topic_id else ("<drug>" if m.kind == "drug" else "<cond>"))
        i = m.end
    out.extend(toks[i:])
    return out


def _question_features(query: Query, topic: Topic) -> list[str]:
    """Features of the question as seen from one candidate topic (facet-independent)."""
    masked = _masked_tokens(query, topic.id)
    plain = [t if t.startswith("<") else ("<num>" if _NUMBER.match(t) else t) for t in masked]
    stems = [t if t.startswith("<") else s for t, s in zip(plain, stem(plain), strict=True)]
    feats = [f"u:{s}" for s in stems if s not in ("<num>",)]
    feats += [f"b:{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]
    if stems:
        feats.append(f"s1:{stems[0]}")
        feats.append(f"s2:{'_'.join(stems[:2])}")
        feats.append(f"s3:{'_'.join(stems[:3])}")
    text = " ".join("_" if t.startswith("<") else t for t in masked)
    first = True
    for facet, cue in FACET_CUES:
        if cue.search(text):
            feats.append(f"c:{facet}")
            if first:
                feats.append(f"c1:{facet}")
                first = False
    if BROAD_MANAGEMENT.search(text):
        feats.append("c:broad")  # "approach", "overall", "plan": the whole plan
    feats.append(f"rule:{query.facet}:{query.cue_strength}")  # what the hand-written cues decided
    ent = query.entities
    if ent.pregnant:
        feats.append("e:preg")
    if ent.breastfeeding:
        feats.append("e:bf")
    if ent.renal_impairment:
        feats.append("e:renal")
    if ent.hepatic_impairment:
        feats.append("e:hep")
    if (ent.age is not None and ent.age < 18) or _CHILD_WORDS.search(query.text):
        feats.append("e:child")
    if (ent.age is not None and ent.age >= 65) or _OLD_WORDS.search(query.text):
        feats.append("e:old")
    if ent.labs:
        feats.append("e:labs")
    if ent.age is not None:
        feats.append("e:age")
    if query.safety is not None:
        feats.append("e:redflag")
    n_drugs, n_conds = len(query.drug_ids), len(query.condition_ids)
    feats.append(f"n:{min(n_drugs, 3)}d{min(n_conds, 2)}c")
    feats.append(f"long:{min(len(query.tokens) // 10, 4)}")
    return feats


def _topic_features(query: Query, topic: Topic, lexical: dict[str, tuple[int, float]],
                    rare: dict[str, int]) -> list[str]:
    """Features of the candidate topic's place in the question (facet-independent)."""
    rank, score = lexical.get(topic.id, (None, 0.0))
    feats = [f"lex:{rank}" if rank is not None else "lex:none"]
    if rank is not None and lexical:
        top = max(s for _, s in lexical.values())
        feats.append(f"lexrel:{min(int(4 * score / top), 4) if top > 0 else 0}")
    if rare.get(topic.id):
        feats.append(f"t:rare:{min(rare[topic.id], 3)}")
    mine = [m for m in query.names if m.topic_id == topic.id]
    if not mine:
        return feats + ["t:unnamed"]
    order = list(dict.fromkeys(m.topic_id for m in sorted(query.names, key=lambda m: m.start)))
    if order and order[0] == topic.id:
        feats.append("t:first")
    if order and order[-1] == topic.id:
        feats.append("t:last")
    if len(order) == 1:
        feats.append("t:only")
    if topic.id in query.background_drugs:
        feats.append("t:bg")
    if any(m.fuzzy for m in mine):
        feats.append("t:fuzzy")
    toks = query.tokens
    before = toks[max(0, mine[0].start - 1)] if mine[0].start > 0 else "^"
    after = toks[mine[0].end] if mine[0].end < len(toks) else "$"
    feats.append(f"t:pre:{before}")
    feats.append(f"t:post:{after}")
    return feats


def candidate_features(query: Query, topic: Topic, facets: list[str], lexical: dict[str, tuple[int, float]],
                       sem: dict[str, float] | None = None, sem_topic_rank: int | None = None,
                       rare: dict[str, int] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Hashed feature indices and values for each facet of one candidate topic.

    ``sem`` is the question's best cosine with each facet's section texts (None without the model)."""
    kind = topic.kind
    qf = _question_features(query, topic)
    tf = _topic_features(query, topic, lexical, rare or {})
    if sem:
        top_sim = max(sem.values())
        tf = tf + [f"semtop:{sem_topic_rank}"] + ([f"semlevel:{min(int(top_sim * 10), 9)}"])
    sem_rank = {f: r for r, f in enumerate(sorted(sem, key=lambda f: -sem[f]))} if sem else {}
    subject = [_h(f"{g}|{kind}|S") for g in qf + tf] + [_h(f"bias|{kind}|S")]
    qstems = query.with_generics
    own = {s for m in query.names if m.topic_id == topic.id for s in stem(list(query.tokens[m.start:m.end]))}
    overlap = _overlap(qstems - own, topic)
    best = max(overlap, key=overlap.__getitem__) if overlap else None
    claim = _claim_match(qstems - own, topic)
    ov_rank = {f: r for r, f in enumerate(sorted(overlap, key=lambda f: -overlap[f]))}
    cl_rank = {f: r for r, f in enumerate(sorted(claim, key=lambda f: -claim[f]))}
    cue_facets = {g[2:] for g in qf if g.startswith("c:")}
    out = []
    for facet in facets:
        idx = list(subject)
        idx += [_h(f"{g}|{facet}") for g in qf]
        idx += [_h(f"{g}|{kind}|{facet}") for g in qf]
        idx += [_h(f"{g}|{facet}") for g in tf]
        idx.append(_h(f"bias|{kind}|{facet}"))
        vals = [1.0] * len(idx)
        ov = overlap.get(facet, 0.0)
        idx += [_h("ov"), _h(f"ov|{kind}|{facet}")]
        vals += [min(ov, 12.0) / 4.0, min(ov, 12.0) / 4.0]
        cl = claim.get(facet, 0.0)
        idx += [_h("cl"), _h(f"cl|{kind}|{facet}")]
        vals += [min(cl, 16.0) / 4.0, min(cl, 16.0) / 4.0]
        if facet in ov_rank and ov_rank[facet] < 3 and ov > 0:
            idx.append(_h(f"ovrank:{ov_rank[facet]}"))
            vals.append(1.0)
        if facet in cl_rank and cl_rank[facet] < 3 and cl > 0:
            idx.append(_h(f"clrank:{cl_rank[facet]}"))
            vals.append(1.0)
        if sem:
            sim = sem.get(facet, 0.0)
            idx += [_h("sem"), _h(f"sem|{kind}|{facet}")]
            vals += [max(sim - 0.2, 0.0) * 4.0, max(sim - 0.2, 0.0) * 4.0]
            if facet in sem_rank and sem_rank[facet] < 3:
                idx.append(_h(f"semrank:{sem_rank[facet]}"))
                vals.append(1.0)
            if facet in sem:
                idx.append(_h(f"semgap:{min(int((top_sim - sim) * 20), 5)}"))
                vals.append(1.0)
        if best == facet and ov >= 2.5:
            idx.append(_h("ovbest"))
            vals.append(1.0)
        if facet in topic.bottom_line:
            idx.append(_h(f"bl|{facet}"))
            vals.append(1.0)
        if facet in cue_facets:
            idx.append(_h("cue-match"))
            vals.append(1.0)
        out.append((np.asarray(idx, dtype=np.int64), np.asarray(vals, dtype=np.float32)))
    return out


MAX_SUBJECTS = 4
# Title words that say what kind of page it is, not what it is about.
GENERIC_TITLE_WORDS = frozenset(stem(
    "management treatment treatments therapy diagnosis disease diseases disorder disorders syndrome acute chronic adult "
    "adults child children older people patient patients prevention screening care use using".split()))
KNN_TOPICS = 2  # topics of the nearest training questions that join the candidates
KNN_TOPIC_SIM = 0.6  # ... when that question is at least this close (cosine)
KNN_MEDICAL_SIM = 0.7  # a question this close to a training question is medical, whatever else it mentions
KNN_LOOK = 20  # how many nearest training questions are looked at for near_topics
KNN_VOTERS = 10  # the closest training questions whose labels vote
LEXICAL_CANDIDATE_SCORE = 1.5  # an unnamed topic joins the named ones when its bm25 score is at least this


def named_topics(query: Query, kb) -> list[Topic]:
    """The topics the question names, in the order they are first mentioned (at most four)."""
    ids = dict.fromkeys(m.topic_id for m in sorted(query.names, key=lambda m: m.start) if m.topic_id in kb.topics)
    return [kb.topics[t] for t in list(ids)[:MAX_SUBJECTS]]


def lexical_topics(query: Query, index, lexical: list[tuple[str, float]], limit: int) -> list[Topic]:
    """The best word matches (bm25 at least LEXICAL_CANDIDATE_SCORE) that share a specific word of their names."""
    out = []
    for tid, score in lexical[:limit]:
        if score < LEXICAL_CANDIDATE_SCORE or tid not in index.kb.topics:
            break
        if name_words_asked(query, index, tid) - GENERIC_TITLE_WORDS:
            out.append(index.kb.topics[tid])
    return out


def name_words_asked(query: Query, index, topic_id: str) -> frozenset[str]:
    """The question's word stems that are also words of the topic's names (title, aliases, brands)."""
    return query.content_stems & index.name_stems.get(topic_id, frozenset())


def candidate_topics(query: Query, index, lexical: list[tuple[str, float]],
                     near: list[tuple[str, float]] = ()) -> list[Topic]:
    """The named topics plus the best word match ("it burns when I pee": the burns topic is named, the
    urinary infection one matched by words); with nothing named, the three best word matches. ``near``:
    the topics of the training questions closest in meaning, with their cosine (`ExampleSpace.near_topics`),
    which join too ("I keep waking at 4am and can't get back to sleep" names nothing, but reads like the insomnia questions)."""
    named = named_topics(query, index.kb)
    topics = list(named)
    if not topics:
        if query.unknown_drug:
            return []  # a drug we have no monograph for: not ours to answer
        if query.non_medical_cue and not any(sim >= KNN_MEDICAL_SIM for _, sim in near):
            return []  # "repair a bicycle puncture"; but "my cat bit me, two puncture holes" reads like a bite question
        topics = lexical_topics(query, index, lexical, limit=3)
        if query.unknown_term:
            return topics  # "treatments for aspergillosis": a subject we have no page for, however alike it reads
    else:
        topics += lexical_topics(query, index, lexical, limit=1)
    for tid in rare_topics(query, index.rare_words):
        topics.append(index.kb.topics[tid])
    for topic in named:
        if topic.kind == "drug":  # the conditions a named drug's page links to ("Viagra is not working")
            topics += [index.kb.topics[t] for t in topic.related_topics[:RELATED_CANDIDATES] if t in index.kb.topics]
    for tid, _ in near:
        if tid in index.kb.topics:
            topics.append(index.kb.topics[tid])
    return list({t.id: t for t in topics}.values())


class ExampleSpace:
    """The training questions in the embedding space with their labels: how the nearest ones were labelled.

    Shipped as ``answer/data/examples.npz`` beside the weights (both written by ranker_train)."""

    def __init__(self, vectors: np.ndarray, topics: list[str], facets: list[str], kinds: list[str]) -> None:
        self.vectors = vectors.astype(np.float32)
        self.topics = topics
        self.facets = facets
        self.kinds = kinds
        self.by_topic: dict[str, dict[str, np.ndarray]] = {}
        self.by_kind: dict[tuple[str, str], np.ndarray] = {}
        groups: dict[tuple[str, str], list[int]] = {}
        kind_groups: dict[tuple[str, str], list[int]] = {}
        for i, (t, f, k) in enumerate(zip(topics, facets, kinds, strict=True)):
            groups.setdefault((t, f), []).append(i)
            kind_groups.setdefault((k, f), []).append(i)
        for (t, f), rows in groups.items():
            self.by_topic.setdefault(t, {})[f] = np.asarray(rows)
        self.by_kind = {key: np.asarray(rows) for key, rows in kind_groups.items()}

    @classmethod
    def load(cls, path: Path = EXAMPLES_PATH) -> ExampleSpace | None:
        if not path.exists():
            return None
        data = np.load(path)
        return cls(data["vectors"], [str(x) for x in data["topics"]], [str(x) for x in data["facets"]],
                   [str(x) for x in data["kinds"]])

    def save(self, path: Path) -> None:
        from curbside.index.cache import write_npz_atomic

        write_npz_atomic(path, compressed=True, vectors=self.vectors.astype(np.float16), topics=np.asarray(self.topics),
                         facets=np.asarray(self.facets), kinds=np.asarray(self.kinds))

    def similarities(self, qvec: np.ndarray, exclude: np.ndarray | None = None) -> np.ndarray:
        """Cosine with every training question; ``exclude`` (training): rows that may not be neighbours — the
        question itself and those written alongside it — and exact copies are left out too."""
        sims = self.vectors @ qvec
        if exclude is not None:
            sims = np.where(sims > 0.995, -1.0, sims)
            sims[exclude] = -1.0
        return sims

    def near_topics(self, sims: np.ndarray, limit: int = KNN_TOPICS, floor: float = KNN_TOPIC_SIM
                    ) -> list[tuple[str, float]]:
        """The topics of the closest training questions (at least ``floor`` cosine), closest first, with the
        cosine of the closest question of each."""
        out: dict[str, float] = {}
        for i in np.argsort(-sims)[:KNN_LOOK]:
            if sims[i] < floor or len(out) >= limit:
                break
            out.setdefault(self.topics[i], float(sims[i]))
        return list(out.items())

    def votes(self, sims: np.ndarray, k: int = KNN_VOTERS) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
        """How the ``k`` closest training questions were labelled, weighted by closeness: shares by
        (topic, facet) and by (kind, facet)."""
        top = np.argpartition(sims, -k)[-k:] if len(sims) > k else np.arange(len(sims))
        weights = np.exp((sims[top] - sims[top].max()) * 20.0)
        weights /= weights.sum()
        own: dict[tuple[str, str], float] = {}
        kind: dict[tuple[str, str], float] = {}
        for i, w in zip(top, weights, strict=True):
            own[(self.topics[i], self.facets[i])] = own.get((self.topics[i], self.facets[i]), 0.0) + float(w)
            kind[(self.kinds[i], self.facets[i])] = kind.get((self.kinds[i], self.facets[i]), 0.0) + float(w)
        return own, kind

    def evidence(self, sims: np.ndarray, topic: Topic, facets: list[str]) -> tuple[dict[str, float], dict[str, float]]:
        """Per facet: the closest training question labelled (this topic, facet), and the mean of the three
        closest labelled with the facet on any topic of the same kind."""
        own = self.by_topic.get(topic.id, {})
        near = {f: float(sims[own[f]].max()) for f in facets if f in own}
        kind = {}
        for f in facets:
            rows = self.by_kind.get((topic.kind, f))
            if rows is not None and len(rows):
                top = np.partition(sims[rows], -min(3, len(rows)))[-min(3, len(rows)):]
                kind[f] = float(top.mean())
        return near, kind


def candidates_for(query: Query, topics: list[Topic], lexical: list[tuple[str, float]] = (),
                   space=None, qvec: np.ndarray | None = None, examples: ExampleSpace | None = None,
                   sims: np.ndarray | None = None, rare: dict[str, int] | None = None
                   ) -> tuple[list[Candidate], list[tuple[np.ndarray, np.ndarray]]]:
    """Every candidate of the given topics, with its features (``space``/``qvec``: the semantic signal;
    ``examples``/``sims``: the training questions and the question's cosine with each, from
    `ExampleSpace.similarities`; ``rare``: how many of the question's rare words each topic uses, from `rare_hits`)."""
    lex = {tid: (i, score) for i, (tid, score) in enumerate(lexical[:5])}
    sems = {t.id: space.similarity(qvec, t) for t in topics} if space is not None and qvec is not None else {}
    tops = sorted(sems, key=lambda tid: -max(sems[tid].values(), default=0.0))
    if examples is None:
        sims = None
    cands: list[Candidate] = []
    feats: list[tuple[np.ndarray, np.ndarray]] = []
    per_topic = []
    for topic in topics:
        facets = candidate_facets(topic, len(topics))
        per_topic.append((topic, facets, examples.evidence(sims, topic, facets) if sims is not None else None))
    votes = examples.votes(sims) if sims is not None else None
    best_near = {t.id: max(ev[0].values(), default=0.0) for t, _, ev in per_topic if ev}
    near_order = sorted(best_near, key=lambda tid: -best_near[tid])
    for topic, facets, ev in per_topic:
        cands += [Candidate(topic, f) for f in facets]
        sem = sems.get(topic.id)
        fs = candidate_features(query, topic, facets, lex, sem, tops.index(topic.id) if sem else None, rare)
        if ev:
            fs = [_with_examples(i, v, f, ev, near_order.index(topic.id), best_near[topic.id],
                                 _vote(votes, topic, f))
                  for (i, v), f in zip(fs, facets, strict=True)]
        feats += fs
    return cands, feats


def _vote(votes, topic: Topic, facet: str) -> tuple[float, float, float]:
    """The closest training questions' weighted vote for this candidate: (topic, facet), topic, (kind, facet)."""
    own, kind = votes
    return (own.get((topic.id, facet), 0.0), sum(v for (t, _), v in own.items() if t == topic.id),
            kind.get((topic.kind, facet), 0.0))


def _with_examples(idx: np.ndarray, vals: np.ndarray, facet: str, ev: tuple[dict[str, float], dict[str, float]],
                   topic_rank: int, topic_best: float, vote: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Add the nearest-training-question features of one candidate."""
    near, kind = ev
    extra_i, extra_v = [_h("vote"), _h(f"vote|{facet}"), _h("votetopic"), _h("votekind"), _h(f"votekind|{facet}")], \
        [vote[0], vote[0], vote[1], vote[2], vote[2]]
    n = near.get(facet, 0.0)
    k = kind.get(facet, 0.0)
    extra_i += [_h("knn"), _h(f"knn|{facet}"), _h("knnkind"), _h(f"knnkind|{facet}")]
    extra_v += [max(n - 0.3, 0.0) * 3.0, max(n - 0.3, 0.0) * 3.0, max(k - 0.3, 0.0) * 3.0, max(k - 0.3, 0.0) * 3.0]
    ranked_near = sorted(near, key=lambda f: -near[f])
    if facet in ranked_near[:3]:
        extra_i.append(_h(f"knnrank:{ranked_near.index(facet)}"))
        extra_v.append(1.0)
    ranked_kind = sorted(kind, key=lambda f: -kind[f])
    if facet in ranked_kind[:3]:
        extra_i.append(_h(f"knnkindrank:{ranked_kind.index(facet)}"))
        extra_v.append(1.0)
    extra_i += [_h(f"knntop:{min(topic_rank, 3)}"), _h("knntopsim")]
    extra_v += [1.0, max(topic_best - 0.3, 0.0) * 3.0]
    return (np.concatenate([idx, np.asarray(extra_i, dtype=np.int64)]),
            np.concatenate([vals, np.asarray(extra_v, dtype=np.float32)]))


class Ranker:
    """The trained weights and the scoring of candidates."""

    def __init__(self, weights: np.ndarray, examples: ExampleSpace | None = None) -> None:
        self.w = weights
        self.examples = examples

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Ranker | None:
        """The shipped model, or None when it is missing or was trained on other features."""
        if not path.exists():
            return None
        data = np.load(path)
        if int(data["feature_version"]) != FEATURE_VERSION:
            return None
        w = np.zeros(DIM, dtype=np.float32)
        w[data["index"]] = data["value"].astype(np.float32)
        return cls(w, ExampleSpace.load())

    def score(self, feats: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        return np.array([float(self.w[i] @ v) for i, v in feats], dtype=np.float64)

    def similarities(self, qvec: np.ndarray | None) -> np.ndarray | None:
        """The question's cosine with every training question (None without the model): computed once per
        question and shared by `near_topics`, `closest` and `rank`."""
        if self.examples is None or qvec is None:
            return None
        return self.examples.similarities(qvec)

    def closest(self, sims: np.ndarray | None, topic_id: str) -> float | None:
        """The cosine of the training question about this topic closest to the question (None without the model)."""
        if sims is None:
            return None
        rows = self.examples.by_topic.get(topic_id)
        if not rows:
            return 0.0
        return float(max(sims[r].max() for r in rows.values()))

    def near_topics(self, sims: np.ndarray | None) -> list[tuple[str, float]]:
        """The topics of the training questions closest to this one, with their cosine (none without the model)."""
        return [] if sims is None else self.examples.near_topics(sims)

    def rank(self, query: Query, topics: list[Topic], lexical: list[tuple[str, float]] = (), space=None,
             qvec: np.ndarray | None = None, sims: np.ndarray | None = None, rare: dict[str, int] | None = None
             ) -> list[tuple[Candidate, float]]:
        """Candidates of the topics, best first, with softmax probabilities (``qvec``: the question embedded,
        ``sims``: from `similarities`; both computed here when not given)."""
        if qvec is None and space is not None and topics:
            qvec = space.embed_question(query.text)
        if sims is None:
            sims = self.similarities(qvec)
        cands, feats = candidates_for(query, topics, lexical, space, qvec, self.examples, sims, rare)
        if not cands:
            return []
        s = self.score(feats)
        p = np.exp(s - s.max())
        p /= p.sum()
        order = np.argsort(-s)
        return [(cands[i], float(p[i])) for i in order]


@lru_cache(maxsize=1)
def shipped_ranker() -> Ranker | None:
    """The ranker shipped with the package (loaded once)."""
    return Ranker.load()
