"""Years said in words, as voice input and some typists write them: 二零二二年, 二〇二五, 两千零二十五年, 二零年.

The rest of the question reader (years named, targets, the plan's record) reads years as digits
(``kb.text.YEAR``), so they are rewritten as digits first. Only forms that cannot be a quantity are
read: 二零年 is a year said digit by digit, but 二十年 is twenty years and 三五年 is three to five years.
"""

from __future__ import annotations

import re

from kb.plan_parser import CHINESE_NUMERAL, chinese_numeral

_DIGIT = {"零": "0", "〇": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
          "九": "9"}
_NUMERAL = "零〇一二三四五六七八九十百千万两"
_D = "[零〇一二三四五六七八九]"
# 二零二二, 二〇三五: four digits said one by one
_DIGIT_BY_DIGIT = re.compile(rf"(?<![{_NUMERAL}\d])二[零〇]{_D}{_D}(?![{_NUMERAL}\d])")
# 二零年, 二五年: the last two digits of 2020 … 2025, said one by one, before 年
_SHORT = re.compile(rf"(?<![{_NUMERAL}\d第])二([零〇一二三四五])(?=年)")
# 两千零二十五年, 二千二十年: the number said whole, before 年
_WHOLE = re.compile(rf"(?<![{_NUMERAL}\d])[两二]千零?({CHINESE_NUMERAL})(?=年)")


def years_in_digits(text: str) -> str:
    """``text`` with the years it says in words written as digits (二零二二年 -> 2022年)."""
    if not any(c in text for c in "二两"):
        return text
    text = _DIGIT_BY_DIGIT.sub(lambda m: "".join(_DIGIT[c] for c in m.group(0)), text)
    text = _SHORT.sub(lambda m: "202" + _DIGIT[m.group(1)], text)
    return _WHOLE.sub(lambda m: str(2000 + chinese_numeral(m.group(1))), text)
