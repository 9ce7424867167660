"""Text helpers shared by the answer stages: cleaning, tokenizing, stemming, slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_WORD = re.compile(r"[a-z0-9]+(?:[.'/][a-z0-9]+)*")

STOPWORDS = frozenset(
    """a an the and or of for to in on at by with without from into is are was were be been being do does did
    i me my we our you your he she him her his hers they them their it its this that these those what which who
    whom whose when where why how can could should would will shall may might must have has had having not no
    there here as if than then so such very just also any some all about over under again more most other own
    same too s t don doesn isn aren wasn weren im ive id get got getting take taking took use using used best
    good bad ok okay please thanks thank hi hello dear doctor doc question know want need like help tell
    patient patients pt someone person people yes really much many lot way thing things""".split()
)


def clean_text(text: str) -> str:
    """NFKC-normalise, drop control and zero-width characters, collapse whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def upper_positions(text: str) -> frozenset[int]:
    """Positions (in ``words(text)``) of tokens typed in capitals, like 'ADD' or 'ORS'."""
    raw = re.findall(r"[A-Za-z0-9]+(?:[.'/][A-Za-z0-9]+)*", text)
    return frozenset(i for i, w in enumerate(raw) if len(w) > 1 and w.isupper())


def words(text: str) -> list[str]:
    """Lowercase word tokens (keeps '1.6', 'b12', 'y/o')."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(tokens: list[str]) -> list[str]:
    """Porter2 stems of the tokens (PyStemmer)."""
    return _stemmer().stemWords(tokens)


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword tokens: what lexical matching compares."""
    return stem([w for w in words(text) if w not in STOPWORDS])


def slugify(text: str, max_len: int = 90) -> str:
    """A URL slug: lowercase ascii words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-.")
    slug = re.sub(r"\.(?![0-9])|(?<![0-9])\.", "-", slug)
    slug = re.sub(r"-{2,}", "-", slug)
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return slug or "question"
