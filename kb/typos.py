"""Homophone typo table: the misspellings a pinyin input method makes of domain words (质压 -> 质押).

Built once per index; at question time it is a dict look-up. Only misspellings that change two
characters or more of a long word (只是产权 for 知识产权) are found by reading, at question time, the
pinyin of the characters typed (``character_readings``, stored with the index): listing them all
would take millions of entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping

from kb.text import is_chinese_word


def _toneless(reading: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", reading) if not unicodedata.combining(c))


# 模糊音: sounds that southwest-Mandarin speakers (and pinyin input methods' fuzzy mode) do not tell
# apart, so 投述 is typed for 投诉 and 牛 for 刘. Only initials: fuzzy finals (想/险) misread common words.
_FUZZY = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"^l"), "n"))


def _fuzzy(reading: str) -> str:
    for pattern, repl in _FUZZY:
        reading = pattern.sub(repl, reading)
    return reading


def homophone_typos(words: Iterable[str], common_chars: Container[str],
                    real_words: Container[str]) -> dict[str, str]:
    """Map each one-character homophone misspelling of ``words`` to the word.

    Only common characters (``common_chars``) are used as substitutes, and a two-character
    misspelling that is itself a real word (``real_words``) is skipped: 地里 stays 地里, but
    地里标志 still maps to 地理标志.
    """
    from pypinyin.pinyin_dict import pinyin_dict

    readings: dict[str, set[str]] = {}
    by_reading: dict[str, list[str]] = defaultdict(list)
    for codepoint, value in pinyin_dict.items():
        char = chr(codepoint)
        if char not in common_chars:
            continue
        all_readings = [_toneless(r) for r in value.split(",")]
        # every reading as typed; and, kept apart, the fuzzy sound of the usual (first) reading only,
        # so that a rare reading made fuzzy cannot collide with a common word (抄 suō / 说 shuō)
        keys = {*all_readings, "~" + _fuzzy(all_readings[0])}
        readings[char] = keys
        for key in keys:
            by_reading[key].append(char)

    typos: dict[str, str] = {}
    for word in sorted(set(words)):
        if not 2 <= len(word) <= 8 or any(ch not in readings for ch in word):
            continue
        for i, char in enumerate(word):
            for key in sorted(readings[char]):  # a fixed order: the same table on every build
                for substitute in by_reading[key]:
                    if substitute == char:
                        continue
                    variant = word[:i] + substitute + word[i + 1:]
                    if len(word) == 2 and variant in real_words:
                        continue
                    typos.setdefault(variant, word)
    for word in words:
        typos.pop(word, None)
    return typos


MIN_PINYIN_LETTERS = 5  # a shorter spelling (dili, fuwu) is too often something else; dili biaozhi is read whole


def pinyin_spellings(words: Iterable[str], frequency: Mapping[str, int],
                     english: Container[str]) -> dict[str, str]:
    """Map each domain word spelt in toneless pinyin (zhuanli, dilibiaozhi) to the word: people who
    cannot switch their input method type 专利 as zhuanli. A spelling that is an English word
    (``english``) is left out; of two words spelt alike, the more frequent (``frequency``) is kept."""
    from pypinyin import lazy_pinyin

    found: dict[str, str] = {}
    for word in sorted(set(words)):
        if len(word) < 2 or not is_chinese_word(word):
            continue
        spelling = "".join(lazy_pinyin(word))  # phrase-aware: 银行 is yinhang, not yinxing
        if len(spelling) < MIN_PINYIN_LETTERS or not spelling.isalpha() or spelling in english:
            continue
        if spelling not in found or frequency.get(word, 0) > frequency.get(found[spelling], 0):
            found[spelling] = word
    return found


def character_readings(chars: Iterable[str]) -> dict[str, str]:
    """The usual toneless pinyin of each character (只 -> zhi): stored with the index, so that reading a
    question by sound needs no pypinyin at question time."""
    from pypinyin.pinyin_dict import pinyin_dict

    return {c: _toneless(pinyin_dict[ord(c)].split(",", 1)[0]) for c in sorted(set(chars))
            if ord(c) in pinyin_dict}
