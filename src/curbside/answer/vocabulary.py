"""The names curbside recognises in a question: topic aliases, drug names and brands, shorthand.

Built once from the knowledge base. Names are matched on stemmed word n-grams, so
"backs", "back's" and "back" match alike; drug names also match with small misspellings.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from curbside.answer.text import STOPWORDS, stem, words
from curbside.knowledge.loader import KnowledgeBase

LEXICON_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "lexicon"
_STOPWORD_STEMS = frozenset(stem(sorted(STOPWORDS)))
MAX_NGRAM = 7
FUZZY_CUTOFF = 0.86  # difflib ratio; with same first letter and length within 1 ("metfromin", "bipoler")
FUZZY_TOKENS = 300  # misspellings are looked for in the first words only: long pastes stay fast


@dataclass(frozen=True)
class NameMatch:
    """A recognised name: which topic it points to and where it sits in the word list."""

    topic_id: str
    start: int  # word index
    end: int  # word index, exclusive
    name: str
    kind: str  # "condition" | "drug"
    fuzzy: bool = False


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Shorthand -> expansion (lowercase keys)."""
    data = yaml.safe_load((LEXICON_DIR / "abbreviations.yaml").read_text(encoding="utf-8"))
    return {str(k).lower(): str(v) for k, v in data.items()}


@lru_cache(maxsize=1)
def medical_terms() -> frozenset[str]:
    """Stems of words that mark a question as medical."""
    data = yaml.safe_load((LEXICON_DIR / "medical_terms.yaml").read_text(encoding="utf-8"))
    return frozenset(stem([str(t).lower() for t in data["terms"]]))


@dataclass
class Vocabulary:
    """Stemmed name n-grams -> topic ids, plus the drug names for fuzzy matching."""

    names: dict[tuple[str, ...], list[tuple[str, str, str]]] = field(default_factory=dict)  # ngram -> [(topic, name, kind)]
    fuzzy_words: dict[str, tuple[str, str]] = field(default_factory=dict)  # one-word name -> (topic id, kind)
    kind: dict[str, str] = field(default_factory=dict)  # topic id -> kind
    generic: dict[str, str] = field(default_factory=dict)  # drug topic id -> generic name
    _strong: set[tuple[tuple[str, ...], str]] = field(default_factory=set)
    _pool: dict[tuple[str, int], list[str]] | None = None
    acronyms: set[tuple[str, ...]] = field(default_factory=set)
    known_words: frozenset[str] = frozenset()  # words of the knowledge base's own text: spelt right, never fuzzy-matched

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> Vocabulary:
        vocab = cls()
        for topic in kb.topics.values():
            vocab.kind[topic.id] = topic.kind
            if topic.generic:
                vocab.generic[topic.id] = topic.generic
            strong = [topic.title, *topic.brands, topic.id.replace("-", " ")] + ([topic.generic] if topic.generic else [])
            for name in strong:
                vocab._add(name, topic.id, topic.kind, strong=True)
            for name in topic.aliases:
                vocab._add(name, topic.id, topic.kind, strong=False)
        vocab.known_words = frozenset(w for t in kb.topics.values() for _, c in t.all_claims() for w in words(c.text))
        return vocab

    def _add(self, name: str, topic_id: str, kind: str, strong: bool) -> None:
        toks = words(name)
        if not toks or len(toks) > MAX_NGRAM:
            return
        key = tuple(stem(toks))
        if len(key) == 1 and (toks[0] in STOPWORDS or key[0] in _STOPWORD_STEMS):
            return  # "ORS" would otherwise match every "or"
        if len(toks) == 1 and len(name) <= 4 and name.isupper():
            self.acronyms.add(key)  # "ADD" matches only when typed in capitals, never the verb "add"
        # A title, generic or brand name beats another topic's alias for the same words
        # ("Tylenol" is paracetamol, even where a codeine file lists it as an alias).
        entries = self.names.setdefault(key, [])
        if strong:
            self._strong.add((key, topic_id))
            entries[:] = [e for e in entries if (key, e[0]) in self._strong]
        elif any((key, e[0]) in self._strong for e in entries):
            return
        if all(e[0] != topic_id for e in entries):
            entries.append((topic_id, name, kind))
        if len(toks) == 1 and len(toks[0]) >= 6 and toks[0] not in STOPWORDS:
            self.fuzzy_words.setdefault(toks[0], (topic_id, kind))

    def _fuzzy_pool(self) -> dict[tuple[str, int], list[str]]:
        """One-word names grouped by first letter and length: misspellings keep both (within one letter)."""
        if self._pool is None:
            pool: dict[tuple[str, int], list[str]] = {}
            for w in self.fuzzy_words:
                pool.setdefault((w[0], len(w)), []).append(w)
            self._pool = pool
        return self._pool

    def match(self, tokens: list[str], upper: frozenset[int] = frozenset()) -> list[NameMatch]:
        """Longest non-overlapping name matches in the token list (exact stems, then fuzzy names).

        ``upper`` holds the positions of tokens typed in capitals (acronyms match only there).
        """
        stems = stem(tokens)
        found: list[NameMatch] = []
        taken = [False] * len(tokens)
        i = 0
        while i < len(tokens):
            hit = None
            for n in range(min(MAX_NGRAM, len(tokens) - i), 0, -1):
                key = tuple(stems[i : i + n])
                entries = self.names.get(key)
                if entries and key in self.acronyms and i not in upper:
                    entries = None
                if entries:
                    hit = (n, entries)
                    break
            if hit:
                n, entries = hit
                for topic_id, name, kind in entries:
                    found.append(NameMatch(topic_id, i, i + n, name, kind))
                for j in range(i, i + n):
                    taken[j] = True
                i += n
            else:
                i += 1
        for i, tok in enumerate(tokens[:FUZZY_TOKENS]):
            if (taken[i] or len(tok) < 6 or tok in STOPWORDS or not tok.isalpha() or stems[i] in medical_terms()
                    or tok in self.known_words):  # "morning" is a word, not a misspelt "mourning"
                continue
            pool = [w for n in (len(tok) - 1, len(tok), len(tok) + 1) for w in self._fuzzy_pool().get((tok[0], n), ())]
            close = difflib.get_close_matches(tok, pool, n=1, cutoff=FUZZY_CUTOFF)
            if close:
                topic_id, kind = self.fuzzy_words[close[0]]
                found.append(NameMatch(topic_id, i, i + 1, close[0], kind, fuzzy=True))
        found.sort(key=lambda m: m.start)
        return found
