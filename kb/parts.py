"""The parts of a plan a question names by number: 第三章, 第3章, chapter 3, 专栏2, box 2, 第四章第二节,
and one item of a box or section: 专栏4里第二项, 第四章第一节第三条.

The plan's ids are built from the same numbers (``plan:3``, ``plan:4.2``, ``plan:box2``: kb/plan_parser.py),
so a part named is a local id, looked up in each plan by the answerer.
"""

from __future__ import annotations

import re

from kb.plan_parser import chinese_numeral, numeral_in_chinese

_NUMBER = r"([一二三四五六七八九十]{1,3}|\d{1,2})"
_CHAPTER_OR_SECTION = re.compile(rf"第\s*{_NUMBER}\s*([章节])|(?<![a-z])(chapter|section)\s*(\d{{1,2}})(?!\d)")
_BOX = re.compile(rf"专栏\s*{_NUMBER}|(?<![a-z])(?:box|column|panel)\s*(\d{{1,2}})(?!\d)")
_ITEM = rf"(?:里面|里|中|的|之)?第{_NUMBER}[项条点个]"  # 专栏4里第二项, 第四章第一节第三条: one item of it
_NAMED = re.compile(rf"第([一二三四五六七八九十]+)章(?:第([一二三四五六七八九十]+)节(?:{_ITEM})?)?|专栏(\d+)(?:{_ITEM})?")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else chinese_numeral(text)


def plan_wording(text: str) -> str:
    """Parts named as the plan names them (lower-case text): 第3章 and chapter 3 -> 第三章, box 2 and
    专栏二 -> 专栏2, so that they are found in the plan's headings and read by ``named_parts``."""
    def chapter_or_section(m: re.Match) -> str:
        number, kind, english, english_number = m.groups()
        if english:
            return f"第{numeral_in_chinese(int(english_number))}{'章' if english == 'chapter' else '节'}"
        return f"第{numeral_in_chinese(_number(number))}{kind}"

    text = _CHAPTER_OR_SECTION.sub(chapter_or_section, text)
    return _BOX.sub(lambda m: f"专栏{_number(m.group(1) or m.group(2))}", text)


def named_parts(text: str) -> set[str]:
    """Local ids of the chapters, sections and boxes the text (in ``plan_wording``) names by number."""
    parts: set[str] = set()
    for chapter, section, measure, box, item in _NAMED.findall(text):
        if box:
            parts.add(f"box{box}.{_number(item)}" if item else f"box{box}")
        elif section:
            part = f"{chinese_numeral(chapter)}.{chinese_numeral(section)}"
            parts.add(f"{part}.{_number(measure)}" if measure else part)
        else:
            parts.add(str(chinese_numeral(chapter)))
    return parts


def without_parts(text: str) -> str:
    """The text (in ``plan_wording``) with the parts it names by number taken out: what else it asks."""
    return _NAMED.sub(" ", text)
