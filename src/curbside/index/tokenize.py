"""The lexical tokenizer: lower-case words, English stop words removed, Snowball (PyStemmer) stems."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """bm25s' English stop-word list."""
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


class StemCache:
    """Memoised stemming: corpora repeat words, so each distinct word is stemmed once."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}

    def stems(self, words: list[str]) -> list[str]:
        memo = self._memo
        new = [w for w in set(words) if w not in memo]
        if new:
            memo.update(zip(new, _stemmer().stemWords(new), strict=True))
        return [memo[w] for w in words]


_DEFAULT = StemCache()


def words(text: str) -> list[str]:
    """Lower-cased content words of ``text`` (stop words dropped, possessive 's dropped)."""
    stop = stop_words()
    out = []
    for w in _WORD.findall(text.lower()):
        if w.endswith("'s"):
            w = w[:-2]
        if w and w not in stop:
            out.append(w)
    return out


def tokenize(text: str, cache: StemCache | None = None) -> list[str]:
    """The stemmed lexical tokens of ``text``."""
    return (cache or _DEFAULT).stems(words(text))
