"""One normaliser for everything that is indexed or asked: NFKC, traditional -> simplified, case, spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"  # CJK ideographs, extension A and the unified block
_CJK_CHAR = re.compile(f"[{_HAN}]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")


_CJK_RUN = re.compile(f"[{_HAN}]+")
_CJK_GAP = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def joined(text: str) -> str:
    """Chinese keywords typed apart (资助 几万) as the phrase they make (资助几万)."""
    return _CJK_GAP.sub("", text)


def split_word(word: str, gap: int) -> re.Pattern[str]:
    """A dictionary word written "A*B": A and B with at most ``gap`` letters between them (贷*款 finds
    贷点款; the letters in between are the pattern's one group)."""
    first, second = (re.escape(half) for half in word.split("*", 1))
    return re.compile(rf"{first}([^\W\d_]{{0,{gap}}}?){second}")


def years_named(text: str) -> set[int]:
    """The years (20xx) a text names."""
    return {int(y) for y in YEAR.findall(text)}


@lru_cache(maxsize=1)
def _converters():
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("tw2sp")


def to_simplified(text: str) -> str:
    """Traditional Chinese -> simplified with mainland wording (opencc tw2sp: 智慧財產權 -> 知识产权).

    Only runs of Chinese characters that contain traditional characters are converted: tw2sp also
    rewrites simplified text by its Taiwan-to-mainland phrase table (建立 -> 创建, 核心 -> 内核,
    显著 -> 显着, 新增 -> 添加), which would turn the plan's own words into other words.
    """
    t2s, tw2sp = _converters()

    def convert(match: re.Match) -> str:
        run = match.group(0)
        return tw2sp.convert(run) if t2s.convert(run) != run else run

    return _CJK_RUN.sub(convert, text)


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width), traditional -> simplified, lower case, one space."""
    text = unicodedata.normalize("NFKC", text)
    if _CJK_CHAR.search(text):
        text = to_simplified(text)
    return _SPACES.sub(" ", text.lower()).strip()


def is_chinese_word(text: str) -> bool:
    """Chinese characters only (no digits, Latin or punctuation): 农产品, not 2025."""
    return _CJK_RUN.fullmatch(text) is not None


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
