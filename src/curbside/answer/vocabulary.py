"""The names curbside recognises in a question: topic aliases, drug names and brands, shorthand.

Built once from the knowledge base. Names are matched on stemmed word n-grams, so
"backs", "back's" and "back" match alike; drug names also match with small misspellings.
"""

from __future__ import annotations

import difflib
import re
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


_LOWER_WORD = re.compile(r"\b[a-z][a-z0-9]*\b")
MIN_LOWERCASE_ACRONYM = 3  # "ed", "pe" and "ra" are too short to trust typed in lower case


def _never_lowercase(acronyms: set[str], kb: KnowledgeBase) -> frozenset[str]:
    """The acronyms (three letters or more) that the knowledge base never writes as a lower-case word: typed
    in lower case they still mean the acronym ("ptsd", "pcos"), while "add", "pad" and "pop" are words."""
    texts = [t for topic in kb.topics.values() for t in (
        topic.scope, *topic.related_questions, *(s.heading for s in topic.sections),
        *(x for _, c in topic.all_claims() for x in (c.text, c.patient or "")))]
    lower = {w for text in texts for w in _LOWER_WORD.findall(text)} | _easy_words()
    return frozenset(a for a in acronyms if len(a) >= MIN_LOWERCASE_ACRONYM and a.isalnum() and a not in lower
                     and a not in STOPWORDS)


def _easy_words() -> set[str]:
    """The Dale-Chall list of common English words that textstat ships ("rice" is RICE only in capitals)."""
    import importlib.util

    spec = importlib.util.find_spec("textstat")  # located, not imported: importing it is slow
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "resources" / "en" / "easy_words.txt"
        if path.exists():
            return set(path.read_text(encoding="utf-8").split())
    return set()


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
    lowercase_acronyms: frozenset[str] = frozenset()  # acronyms that also match typed in lower case ("ptsd", not "add")
    shorthand_in_names: frozenset[tuple[str, str]] = frozenset()  # ("robitussin", "dm"): shorthand ending a name

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
        vocab.lowercase_acronyms = _never_lowercase({"".join(k) for k in vocab.acronyms}, kb)
        table = abbreviations()
        vocab.shorthand_in_names = frozenset(
            (toks[-2], toks[-1]) for topic in kb.topics.values() if topic.kind == "drug" for name in topic.names()
            if len(toks := words(name)) >= 2 and toks[-1] in table and toks[-2] not in STOPWORDS)
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
                if entries and key in self.acronyms and i not in upper and (
                        n > 1 or tokens[i].lower() not in self.lowercase_acronyms):
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
