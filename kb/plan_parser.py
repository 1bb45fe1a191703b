"""Turn a plan's extracted text into citable units.

The published text was extracted from a PDF: page breaks split paragraphs mid-sentence, stray spaces
sit inside Chinese text, some commas are half-width and a few words carry ``**`` markup. This module
repairs those and walks the structure: preamble, chapters (第X章), sections (第X节), boxes (专栏N),
and the measures / box items that open with a short lead phrase ending in 。.

Ids are built from structure numbers only (``plan:5.1.3``, ``plan:box2.4``), so they stay stable across
rebuilds as long as the plan text keeps its structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.errors import CorpusError
from kb.models import IndicatorRow, Unit

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’—…"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{CJK}])")
_COMMA_NEAR_CJK = re.compile(rf"(?<=[{CJK}]),|,(?=[{CJK}])")
_TOC_LINE = re.compile(r"\.{3,}\s*\d+\s*$")
_CHAPTER = re.compile(r"^第([一二三四五六七八九十]+)章\s*(.+)$")
_SECTION = re.compile(r"^第([一二三四五六七八九十]+)节\s*(.+)$")
_BOX = re.compile(r"^专栏\s*(\d+)\s*(.+)$")
_GOAL = re.compile(r"^到(\d{4})年，")
_SENTENCE_END = "。；！？：”』）"
LEAD_PHRASE_MAX = 26

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# the numerals chinese_numeral reads, as a regular expression (十二, 两; not 两三, a span)
CHINESE_NUMERAL = r"(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九两])"


def chinese_numeral(text: str) -> int:
    """一 -> 1, 两 -> 2, 十 -> 10, 十二 -> 12, 二十三 -> 23 (enough for chapter and section numbers and counts)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def clean_text(text: str) -> str:
    """Repair extraction damage inside one paragraph or heading."""
    text = text.replace("**", "")
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _COMMA_NEAR_CJK.sub("，", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Block:
    """A logical paragraph after page-break repair, with the line it starts on."""

    text: str
    line: int
    cells: list[str] = field(default_factory=list)


def _is_structural(text: str) -> bool:
    return bool(_CHAPTER.match(text) or _SECTION.match(text) or _BOX.match(text))


def body_start(lines: list[str]) -> int:
    """Index of the first body line: after the table of contents, if there is one."""
    last_toc = -1
    for i, line in enumerate(lines):
        if _TOC_LINE.search(line):
            last_toc = i
    return last_toc + 1


def read_blocks(text: str) -> list[Block]:
    """Split body text into paragraphs, joining those a page break cut in two."""
    lines = text.splitlines()
    start = body_start(lines)
    blocks: list[Block] = []
    open_block: Block | None = None
    for number, raw in enumerate(lines[start:], start=start + 1):
        stripped = raw.strip()
        if not stripped:
            continue
        if "\t" in stripped:
            cells = [clean_text(c) for c in stripped.split("\t")]
            blocks.append(Block(text=" ".join(cells), line=number, cells=cells))
            open_block = None
            continue
        cleaned = clean_text(stripped)
        if open_block is not None and not _is_structural(cleaned):
            open_block.text = clean_text(open_block.text + cleaned)
        else:
            open_block = Block(text=cleaned, line=number)
            blocks.append(open_block)
        if _is_structural(cleaned) or cleaned.endswith(tuple(_SENTENCE_END)):
            open_block = None
    return blocks


def lead_phrase(paragraph: str) -> str | None:
    """The heading phrase a measure opens with (健全知识产权政策体系。), or None."""
    end = paragraph.find("。")
    if 0 < end <= LEAD_PHRASE_MAX and end < len(paragraph) - 1:
        return paragraph[:end]
    return None


def excerpt_title(paragraph: str, limit: int = 16) -> str:
    """A short title for a paragraph that has no lead phrase: its first clause."""
    clause = re.split(r"[，。；：]", paragraph, maxsplit=1)[0]
    return clause if len(clause) <= limit else clause[:limit] + "…"


class PlanParser:
    """Walks the blocks of one plan and emits units in document order."""

    def __init__(self, plan_id: str, source_name: str = "plan"):
        self.plan_id = plan_id
        self.source_name = source_name
        self.units: list[Unit] = []
        self.chapter: Unit | None = None
        self.section: Unit | None = None
        self.box: Unit | None = None
        self.children = 0
        self.pending_paragraphs: list[Block] = []

    # ---- unit construction -------------------------------------------------------------
    def _uid(self, local: str) -> str:
        return f"{self.plan_id}:{local}"

    def _add(self, local: str, kind: str, heading: str, path: list[str], text: str,
             line: int, parent: Unit | None, rows: list[IndicatorRow] | None = None) -> Unit:
        unit = Unit(id=self._uid(local), plan_id=self.plan_id, kind=kind, heading=heading,
                    path=path, text=text, order=len(self.units), parent=parent.id if parent else None,
                    rows=rows or [], source_line=line)
        if any(u.id == unit.id for u in self.units):
            raise CorpusError(f"{self.source_name}:{line}: duplicate unit id {unit.id}")
        self.units.append(unit)
        return unit

    @property
    def container(self) -> Unit | None:
        return self.box or self.section or self.chapter

    def _append_text(self, unit: Unit, text: str) -> None:
        unit.text = f"{unit.text}\n{text}" if unit.text else text

    # ---- paragraphs without a lead phrase ----------------------------------------------
    def _flush_paragraphs(self) -> None:
        """Paragraphs before any measure: the container's own text, or numbered paragraph units."""
        blocks, self.pending_paragraphs = self.pending_paragraphs, []
        container = self.container
        if not blocks:
            return
        if container is None:
            for block in blocks:
                preamble = next((u for u in self.units if u.kind == "preamble"), None)
                if preamble is None:
                    self._add("preamble", "preamble", "前言", ["前言"], block.text, block.line, None)
                else:
                    self._append_text(preamble, block.text)
            return
        if self.children or len(blocks) == 1 or container.kind == "chapter":
            for block in blocks:
                if self.children:
                    self._add_paragraph(container, block)
                else:
                    self._append_text(container, block.text)
            return
        for block in blocks:
            self._add_paragraph(container, block)

    def _add_paragraph(self, container: Unit, block: Block) -> None:
        self.children += 1
        title = excerpt_title(block.text)
        self._add(self._child_local(container), "paragraph", title, [*container.path, title],
                  block.text, block.line, container)

    def _child_local(self, container: Unit) -> str:
        return f"{container.id.split(':', 1)[1]}.{self.children}"

    # ---- structure ----------------------------------------------------------------------
    def _open_chapter(self, number: int, title: str, line: int) -> None:
        self._flush_paragraphs()
        heading = f"第{numeral_in_chinese(number)}章 {title}"
        self.chapter = self._add(str(number), "chapter", heading, [heading], "", line, None)
        self.section = self.box = None
        self.children = 0

    def _open_section(self, number: int, title: str, line: int) -> None:
        self._flush_paragraphs()
        if self.chapter is None:
            raise CorpusError(f"{self.source_name}:{line}: section before any chapter")
        heading = f"第{numeral_in_chinese(number)}节 {title}"
        local = f"{self.chapter.id.split(':', 1)[1]}.{number}"
        self.section = self._add(local, "section", heading, [self.chapter.heading, heading], "",
                                 line, self.chapter)
        self.box = None
        self.children = 0

    def _open_box(self, number: int, title: str, line: int) -> None:
        self._flush_paragraphs()
        heading = f"专栏{number} {title}"
        path = [self.chapter.heading, heading] if self.chapter else [heading]
        self.box = self._add(f"box{number}", "box", heading, path, "", line, self.chapter)
        self.section = None
        self.children = 0

    def _add_measure(self, block: Block, phrase: str) -> None:
        self._flush_paragraphs()
        container = self.container
        if container is None:
            raise CorpusError(f"{self.source_name}:{block.line}: measure outside any chapter")
        self.children += 1
        kind = "box_item" if container.kind == "box" else "measure"
        self._add(self._child_local(container), kind, phrase, [*container.path, phrase],
                  block.text, block.line, container)

    def _add_goal(self, block: Block, year: str) -> None:
        self._flush_paragraphs()
        container = self.container
        title = f"到{year}年的目标"
        local = f"{container.id.split(':', 1)[1]}.goal{year}"
        self._add(local, "goal", title, [*container.path, title], block.text, block.line, container)

    def _add_table(self, header: Block, rows: list[Block]) -> None:
        """An indicator table: header 序号/指标名称/2020年/2025年/指标属性, then one row per indicator."""
        box = self.box
        if box is None:
            raise CorpusError(f"{self.source_name}:{header.line}: table outside a box")
        years = [int(m.group(1)) for c in header.cells if (m := re.match(r"(\d{4})年", c))]
        if len(years) != 2 or len(header.cells) != 5:
            raise CorpusError(f"{self.source_name}:{header.line}: indicator table header not understood")
        parsed: list[IndicatorRow] = []
        for row in rows:
            if len(row.cells) != 5 or not row.cells[0].isdigit():
                raise CorpusError(f"{self.source_name}:{row.line}: indicator row needs 5 cells")
            number, name, base, target, attribute = row.cells
            parsed.append(IndicatorRow(number=int(number), indicator=name, baseline=base, target=target,
                                       attribute=attribute, baseline_year=years[0], target_year=years[1]))
        box.rows = parsed
        lines = [f"{r.number}. {r.indicator}：{r.baseline_year}年{r.baseline}，{r.target_year}年目标"
                 f"{r.target}（{r.attribute}）" for r in parsed]
        self._append_text(box, "\n".join(lines))

    def parse(self, text: str) -> list[Unit]:
        blocks = read_blocks(text)
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.cells:
                rows = []
                j = i + 1
                while j < len(blocks) and blocks[j].cells:
                    rows.append(blocks[j])
                    j += 1
                self._flush_paragraphs()
                self._add_table(block, rows)
                i = j
                continue
            if m := _CHAPTER.match(block.text):
                self._open_chapter(chinese_numeral(m.group(1)), m.group(2), block.line)
            elif m := _SECTION.match(block.text):
                self._open_section(chinese_numeral(m.group(1)), m.group(2), block.line)
            elif m := _BOX.match(block.text):
                self._open_box(int(m.group(1)), m.group(2), block.line)
            elif (m := _GOAL.match(block.text)) and self.container is not None:
                self._add_goal(block, m.group(1))
            elif (phrase := lead_phrase(block.text)) and self.container is not None:
                self._add_measure(block, phrase)
            else:
                self.pending_paragraphs.append(block)
            i += 1
        self._flush_paragraphs()
        if not self.units:
            raise CorpusError(f"{self.source_name}:1: no plan content found")
        return self.units


def numeral_in_chinese(number: int) -> str:
    """3 -> 三, 10 -> 十, 12 -> 十二, 23 -> 二十三 (the inverse of ``chinese_numeral``)."""
    digits = "零一二三四五六七八九"
    if number <= 10:
        return "十" if number == 10 else digits[number]
    tens, ones = divmod(number, 10)
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"


def parse_plan(text: str, plan_id: str, source_name: str = "plan") -> list[Unit]:
    return PlanParser(plan_id, source_name).parse(text)
