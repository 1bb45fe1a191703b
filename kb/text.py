"""One normaliser for everything that is indexed or asked: NFKC, traditional -> simplified, case, spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("tw2sp")


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width), traditional -> simplified (opencc tw2sp), lower case, one space."""
    text = unicodedata.normalize("NFKC", text)
    if _CJK_CHAR.search(text):
        text = _converter().convert(text)
    return _SPACES.sub(" ", text.lower()).strip()


def cjk_count(text: str) -> int:
    return len(_CJK_CHAR.findall(text))


def latin_words(text: str) -> list[str]:
    return _LATIN_WORD.findall(text.lower())


def is_mostly_english(text: str) -> bool:
    """True when a question is written in English rather than Chinese."""
    return len(latin_words(text)) >= 2 and cjk_count(text) <= 2


def split_sentences(text: str) -> list[str]:
    """Split Chinese text into sentences, keeping the closing punctuation."""
    parts = re.findall(r"[^。！？；\n]+[。！？；]?", text)
    return [p.strip() for p in parts if p.strip()]
