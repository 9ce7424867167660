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
MAX_NGRAM = 7
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

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> Vocabulary:
        vocab = cls()
        for topic in kb.topics.values():
            vocab.kind[topic.id] = topic.kind
            names = [topic.title, *topic.aliases, *topic.brands]
            if topic.generic:
                names.append(topic.generic)
            if topic.kind == "condition":
                names.append(topic.id.replace("-", " "))
            else:
                names.append(topic.id.replace("-", " "))
            for name in names:
                vocab._add(name, topic.id, topic.kind)
        return vocab

    def _add(self, name: str, topic_id: str, kind: str) -> None:
        toks = words(name)
        if not toks or len(toks) > MAX_NGRAM:
            return
        key = tuple(stem(toks))
        if kind == "condition" and len(key) == 1 and toks[0] in STOPWORDS:
            return
        entries = self.names.setdefault(key, [])
        if all(e[0] != topic_id for e in entries):
            entries.append((topic_id, name, kind))
        if len(toks) == 1 and len(toks[0]) >= 6 and toks[0] not in STOPWORDS:
            self.fuzzy_words.setdefault(toks[0], (topic_id, kind))

    def match(self, tokens: list[str]) -> list[NameMatch]:
        """Longest non-overlapping name matches in the token list (exact stems, then fuzzy drug names)."""
        stems = stem(tokens)
        found: list[NameMatch] = []
        taken = [False] * len(tokens)
        i = 0
        while i < len(tokens):
            hit = None
            for n in range(min(MAX_NGRAM, len(tokens) - i), 0, -1):
                entries = self.names.get(tuple(stems[i : i + n]))
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
            if taken[i] or len(tok) < 6 or tok in STOPWORDS or not tok.isalpha() or stems[i] in medical_terms():
                continue
            close = difflib.get_close_matches(tok, self.fuzzy_words.keys(), n=1, cutoff=0.84)
            if close:
                topic_id, kind = self.fuzzy_words[close[0]]
                found.append(NameMatch(topic_id, i, i + 1, close[0], kind, fuzzy=True))
        found.sort(key=lambda m: m.start)
        return found
