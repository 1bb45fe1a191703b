"""The plan text becomes citable units: nothing lost, nothing doubled, extraction damage repaired."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kb.plan_parser import parse_plan
from kb.settings import PROJECT_ROOT

PLAN_FILE = PROJECT_ROOT / "corpus" / "plans" / "wanzhou-ip-plan-14th-fyp.txt"
HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
STRUCTURAL = {"chapter", "section", "box"}


@pytest.fixture(scope="module")
def raw() -> str:
    return PLAN_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def units(raw):
    return parse_plan(raw, "plan")


@pytest.fixture(scope="module")
def by_id(units):
    return {u.id: u for u in units}


def squeeze(text: str) -> str:
    """The comparison form: no markup, no whitespace, commas beside Chinese made full-width."""
    text = re.sub(r"\s+", "", text.replace("**", ""))
    return re.sub(rf"(?<=[{HAN}“”]),|,(?=[{HAN}“”])", "，", text)


def body_lines(raw: str) -> list[str]:
    """Lines after the table of contents (whose lines end in dot leaders and a page number)."""
    lines = raw.splitlines()
    last_toc = max(i for i, line in enumerate(lines) if re.search(r"\.{3,}\s*\d+\s*$", line))
    return lines[last_toc + 1:]


# ---- no sentence lost or duplicated ---------------------------------------------------------
def test_every_sentence_of_the_body_appears_once_in_document_order(raw, units):
    body = [line for line in body_lines(raw) if "\t" not in line]  # the indicator table: below
    expected = squeeze("\n".join(body))

    pieces = []
    for unit in units:
        if unit.kind in STRUCTURAL:
            pieces.append(unit.heading)
        table_names = [row.indicator for row in unit.rows]
        pieces.extend(line for line in unit.text.splitlines()
                      if not any(name in line for name in table_names))
    got = squeeze("".join(pieces))

    if got != expected:  # show where they part, not two 40,000-character strings
        at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
        pytest.fail(f"units diverge from the body at char {at}:\n units: …{got[max(0, at - 40):at + 40]}\n"
                    f" body:  …{expected[max(0, at - 40):at + 40]}\n (lengths {len(got)} vs {len(expected)})")


def test_indicator_table_rows(by_id, raw):
    box = by_id["plan:box1"]
    rows = [(r.number, r.indicator, r.baseline, r.target, r.attribute) for r in box.rows]
    table = [line.split("\t") for line in body_lines(raw) if "\t" in line and line.split("\t")[0].isdigit()]
    assert len(rows) == 7 == len(table)
    assert rows[0] == (1, "万人发明专利拥有量（件）", "1.85", "4", "预期性")
    assert rows[2][1:4] == ("地理标志累计拥有量（件）", "19", "22")
    assert rows[6][2:4] == ("100%", "100%")
    assert all(r.baseline_year == 2020 and r.target_year == 2025 for r in box.rows)
    for row, cells in zip(box.rows, table):
        assert [str(row.number), row.indicator, row.baseline, row.target, row.attribute] == \
            [c.strip() for c in cells]
        # the table is searchable text too: every row's name and figures are in the box text
        line = next(line for line in box.text.splitlines() if row.indicator in line)
        assert row.baseline in line and row.target in line


# ---- structure and ids ----------------------------------------------------------------------
@pytest.mark.parametrize("uid, kind, heading", [
    ("plan:5.1.3", "measure", "促进知识产权与金融业融合发展"),
    ("plan:box4.4", "box_item", "知识产权金融创新专项计划"),
    ("plan:box2.4", "box_item", "出台知识产权资助奖励政策"),
    ("plan:3.1.1", "measure", "健全知识产权政策体系"),
    ("plan:6.3.1", "measure", "深化知识产权领域“放管服”改革"),
    ("plan:7.3.3", "measure", "增强运用知识产权国际规则的能力"),
])
def test_known_measures_and_box_items(by_id, uid, kind, heading):
    unit = by_id[uid]
    assert (unit.kind, unit.heading) == (kind, heading)
    assert unit.text.startswith(heading + "。")
    assert unit.path[-1] == heading


def test_chapters_and_boxes(units):
    chapters = [u for u in units if u.kind == "chapter"]
    assert [u.id for u in chapters] == [f"plan:{n}" for n in range(1, 9)]
    assert chapters[0].heading == "第一章 “十三五”时期的成就和“十四五”时期发展形势"
    assert chapters[7].heading == "第八章 完善规划实施保障机制"
    boxes = [u for u in units if u.kind == "box"]
    assert [u.id for u in boxes] == [f"plan:box{n}" for n in range(1, 7)]
    assert boxes[0].heading == "专栏1 “十四五”时期知识产权工作主要指标"
    assert boxes[3].heading == "专栏4 知识产权运用能力提升工程"
    sections = [u for u in units if u.kind == "section"]
    assert len(sections) == 22  # as many as the table of contents lists
    assert {u.id for u in sections} >= {"plan:1.1", "plan:2.3", "plan:5.1", "plan:6.4", "plan:8.3"}


def test_every_box_has_its_items(units):
    counts = {}
    for unit in units:
        if unit.kind == "box_item":
            counts[unit.parent] = counts.get(unit.parent, 0) + 1
    assert counts == {"plan:box2": 5, "plan:box3": 4, "plan:box4": 4, "plan:box5": 2, "plan:box6": 3}


def test_paths_run_from_chapter_to_unit(by_id, units):
    assert by_id["plan:5.1.3"].path == ["第五章 高效益促进知识产权转化运用，实现知识产权价值最大化",
                                        "第一节 推进知识产权与产业协同发展", "促进知识产权与金融业融合发展"]
    assert by_id["plan:box4.4"].path == ["第五章 高效益促进知识产权转化运用，实现知识产权价值最大化",
                                         "专栏4 知识产权运用能力提升工程", "知识产权金融创新专项计划"]
    for unit in units:
        assert unit.path[-1] == unit.heading, unit.id
        if unit.parent:
            parent = by_id[unit.parent]
            assert unit.path[:-1] == parent.path, unit.id
            assert parent.kind in STRUCTURAL
        if unit.kind in ("measure", "box_item", "paragraph", "goal", "section", "box"):
            assert unit.path[0].startswith("第") and "章" in unit.path[0], unit.id


def test_ids_are_unique_and_stable_across_parses(raw, units):
    ids = [u.id for u in units]
    assert len(ids) == len(set(ids))
    again = parse_plan(raw, "plan")
    assert [(u.id, u.heading, u.text) for u in again] == [(u.id, u.heading, u.text) for u in units]
    # an edit to one paragraph's wording changes no id
    edited = parse_plan(raw.replace("鼓励知识产权金融创新", "积极鼓励知识产权金融创新"), "plan")
    assert [u.id for u in edited] == ids


def test_units_come_in_document_order(units):
    assert [u.order for u in units] == list(range(len(units)))
    lines = [u.source_line for u in units]
    assert lines == sorted(lines)


# ---- repairs ---------------------------------------------------------------------------------
def test_page_breaks_are_joined(by_id, units):
    achievements = by_id["plan:1.1.1"]
    assert "农作物新品种审定49件；市级版权示范单位1家。" in achievements.text
    joined = [u for u in units if "知识产权面临前所未有的机遇" in u.text]
    assert [u.id for u in joined] == ["plan:1.2.3"]
    assert joined[0].text.startswith("从国内看")
    # no unit starts in the middle of a sentence
    for unit in units:
        assert not unit.text.startswith(("识产权", "版权示范单位")), unit.id


def test_no_stray_spaces_markup_or_half_width_commas(units):
    for unit in units:
        texts = [unit.text] + ([] if unit.kind in STRUCTURAL else [unit.heading])
        for text in texts:
            assert "**" not in text, unit.id
            assert not re.search(rf"[{HAN}][ \t\u3000]+[{HAN}]", text), (unit.id, text[:60])
            assert not re.search(rf"[{HAN}],|,[{HAN}]", text), (unit.id, text[:60])
        if unit.kind in STRUCTURAL:  # a printed heading: number label, one space, title
            assert re.fullmatch(r"(第[一二三四五六七八九十]+[章节]|专栏\d+) \S+", unit.heading), unit.heading
            assert "," not in unit.heading


def test_figures_lose_their_extraction_spaces(by_id):
    text = by_id["plan:1.1.1"].text
    assert "商标申请总量10032件" in text
    assert "万人有效发明专利拥有量1.85件" in text


# ---- what counts as content -----------------------------------------------------------------
def test_table_of_contents_is_not_content(units, raw):
    toc = [line for line in raw.splitlines() if re.search(r"\.{3,}\s*\d+\s*$", line)]
    assert len(toc) == 36  # 8 chapters, 22 sections, 6 boxes
    assert not any("目录" == u.heading or "....." in u.text or "....." in u.heading for u in units)
    assert sum(u.kind == "chapter" for u in units) == 8  # each chapter once, not again from the TOC


def test_preamble_intros_goals_and_situation_are_units(by_id, units):
    preamble = by_id["plan:preamble"]
    assert preamble.text.startswith("“十四五”时期是我国开启全面建设社会主义现代化国家新征程的第一个五年")
    assert preamble.text.endswith("编制本规划。")
    assert by_id["plan:3"].text.startswith("加强知识产权政策供给")  # a chapter's introduction
    goal = by_id["plan:2.3.goal2025"]
    assert goal.kind == "goal" and goal.text.startswith("到2025年，全区知识产权领域治理体系")
    assert "支撑能力有效发挥" in goal.text
    assert by_id["plan:2.3.goal2035"].text.startswith("到2035年，")
    situation = [u for u in units if u.id.startswith("plan:1.2.")]
    assert len(situation) >= 5
    assert {"从国际看", "从国内看", "从区内看"} <= {u.heading for u in situation}
    assert all(u.text for u in situation)


def test_measures_of_every_section(units):
    """Every section with measures lists them in order, numbered from 1."""
    children: dict[str, list[str]] = {}
    for unit in units:
        if unit.kind in ("measure", "box_item"):
            children.setdefault(unit.parent, []).append(unit.id)
    for parent, ids in children.items():
        assert ids == [f"{parent}.{n}" for n in range(1, len(ids) + 1)]
    assert len(children["plan:3.1"]) == 6
    assert len(children["plan:4.3"]) == 4


# ---- a second plan of the same shape ---------------------------------------------------------
PLAN15 = """\
目录

第一章 总体要求.....	1
第一节 发展目标.....	1
第二章 主要任务.....	2
第一节 数据知识产权.....	2
专栏1 重点工程.....	3

为贯彻落实国家知识产权强国建设纲要，编制本规划。

第一章 总体要求

第一节 发展目标

到2030年，全区知识产权综合实力明显增强，数据知识产权登记
制度基本建立。

第二章 主要任务

围绕数据要素，推进数据知识产权工作。

第一节 数据知识产权

建设数据知识产权登记平台。依托区政务数据资源，搭建数据知识产权登记平台**试点**,为企业
提供数据知识产权登记、存证和查询服务。

探索数据知识产权质押。支持银行开展数据知识产权质押融资试点。

专栏1 重点工程

海洋牧场知识产权护航工程。组织开展海洋牧场品种权保护专项行动。
"""

PLAN15_META = """\
id: plan15
title: 万州区知识产权“十五五”规划
issuer: 重庆市万州区人民政府
period_start: 2026
period_end: 2030
vision_year: 2035
status: in_force
"""


def test_second_plan_parses_with_its_own_prefix():
    units = parse_plan(PLAN15, "plan15")
    ids = [u.id for u in units]
    assert ids == ["plan15:preamble", "plan15:1", "plan15:1.1", "plan15:1.1.goal2030", "plan15:2",
                   "plan15:2.1", "plan15:2.1.1", "plan15:2.1.2", "plan15:box1", "plan15:box1.1"]
    by_id = {u.id: u for u in units}
    assert by_id["plan15:2.1.1"].heading == "建设数据知识产权登记平台"
    assert "登记平台试点，为企业提供" in by_id["plan15:2.1.1"].text
    assert by_id["plan15:1.1.goal2030"].text.endswith("数据知识产权登记制度基本建立。")
    assert by_id["plan15:2"].text == "围绕数据要素，推进数据知识产权工作。"
    assert all(u.plan_id == "plan15" for u in units)


def test_second_plan_is_loaded_indexed_and_cited_without_code_change(tmp_path):
    from kb_support import make_settings
    from kb.publish import build_and_publish, published_dir
    from kb.service import KnowledgeBase

    settings = make_settings(tmp_path)
    plans = settings.corpus_dir / "plans"
    (plans / "wanzhou-ip-plan-15th-fyp.txt").write_text(PLAN15, encoding="utf-8")
    (plans / "wanzhou-ip-plan-15th-fyp.meta.yaml").write_text(PLAN15_META, encoding="utf-8")
    build_and_publish(settings, gate=False)
    kb = KnowledgeBase(published_dir(settings), settings)
    try:
        ids = {u.id for u in kb.units()}
        assert {"plan15:2.1.1", "plan15:box1.1", "plan:5.1.3"} <= ids
        assert kb.reference("plan15:2.1.1") == \
            "《万州区知识产权“十五五”规划》（2026—2030年）第二章第一节「建设数据知识产权登记平台」"
        assert kb.reference("plan:5.1.3").startswith("《万州区知识产权“十四五”规划》（2021—2025年）")

        answer = kb.answer("数据知识产权登记平台能提供什么服务")
        assert answer.answered
        first = answer.citations[0]
        assert first.id == "plan15:2.1.1"
        assert first.plan == "万州区知识产权“十五五”规划" and first.period == "2026—2030年"
        assert "《万州区知识产权“十五五”规划》（2026—2030年）" in answer.answer
        assert "2021—2025" not in first.reference
    finally:
        kb.close()


def test_plan_without_content_is_a_clear_error():
    from kb.errors import CorpusError

    with pytest.raises(CorpusError, match="no plan content"):
        parse_plan("\n\n", "plan")
