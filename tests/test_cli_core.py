"""The ``kb`` command as a user runs it: build, ask (text, JSON, batch), units, show, eval, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb_support import make_settings
from kb.cli import main
from kb.plan_parser import parse_plan
from kb.settings import PROJECT_ROOT

KB = Path(sys.executable).with_name("kb")
CONTRACT = {"question", "answered", "answer", "citations", "matched"}
CITATION = {"id", "title", "path", "quote", "score"}
PLAN_CITE = "《万州区知识产权“十四五”规划》（2021—2025年）"
PLEDGE = "用专利做抵押贷款，区里支持吗"


@pytest.fixture(scope="module")
def settings(built_settings, tmp_path_factory):
    """A private copy of the built corpus and index (commands may rebuild it if the code changed)."""
    root = tmp_path_factory.mktemp("cli")
    shutil.copytree(built_settings.corpus_dir, root / "corpus")
    shutil.copytree(built_settings.data_dir, root / "var", symlinks=True)
    return make_settings(root)


def env_for(settings) -> dict[str, str]:
    return {"KB_CORPUS_DIR": str(settings.corpus_dir), "KB_DATA_DIR": str(settings.data_dir)}


def run_kb(settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The installed console script, in a clean process, as a user would type it."""
    return subprocess.run([str(KB), *args], input=stdin, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env_for(settings)}, cwd=settings.corpus_dir.parent)


def invoke(settings, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, env=env_for(settings))


def contract(line: str) -> dict:
    data = json.loads(line)
    assert CONTRACT <= set(data), sorted(data)
    assert isinstance(data["question"], str) and isinstance(data["answered"], bool)
    assert isinstance(data["answer"], str) and data["answer"].strip()
    assert set(data["matched"]) >= {"kind", "id"}
    for citation in data["citations"]:
        assert CITATION <= set(citation), sorted(citation)
        assert isinstance(citation["path"], list) and citation["path"]
        assert isinstance(citation["score"], (int, float))
    return data


# ---- kb ask ---------------------------------------------------------------------------------
def test_ask_json_answers_the_pledge_question_with_its_citation(settings):
    result = run_kb(settings, "ask", "--json", PLEDGE)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1  # one JSON object, nothing else on stdout
    data = contract(lines[0])
    assert data["question"] == PLEDGE and data["answered"] is True
    first = data["citations"][0]
    assert first["id"] in {"plan:5.1.3", "plan:box4.4"}, [c["id"] for c in data["citations"]]
    assert first["title"] in {"促进知识产权与金融业融合发展", "知识产权金融创新专项计划"}
    assert first["path"][0] == "第五章 高效益促进知识产权转化运用，实现知识产权价值最大化"
    assert first["path"][-1] == first["title"]
    assert first["quote"] and first["quote"] in data["answer"]  # the quoted sentences are shown
    assert any(line.startswith("——出自" + PLAN_CITE) and first["title"] in line
               for line in data["answer"].splitlines())
    assert "<" not in data["answer"] and "**" not in data["answer"]  # plain text


def test_ask_prints_a_readable_answer(settings):
    result = invoke(settings, "ask", PLEDGE)
    assert result.exit_code == 0, result.output
    assert "出自" + PLAN_CITE in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_batch_file_prints_one_json_per_line_in_order(settings, tmp_path):
    questions = ["专利可以拿去银行贷款吗", "到2025年地理标志要达到多少件", "明天天气怎么样", "有人仿冒我们的商标该找谁"]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions) + "\n", encoding="utf-8")
    result = invoke(settings, "ask", "--json", "--batch", str(batch))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(questions)
    answers = [contract(line) for line in lines]
    assert [a["question"] for a in answers] == questions
    assert [a["answered"] for a in answers] == [True, True, False, True]


def test_batch_from_stdin(settings):
    questions = ["专利补贴怎么申请", "Can I use a patent as collateral for a loan?", "智慧財產權質押融資"]
    result = run_kb(settings, "ask", "--json", "--batch", "-", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    answers = [contract(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == questions
    assert all(a["answered"] for a in answers)


@pytest.mark.parametrize("kind", ["missing", "directory", "not-utf8"])
def test_batch_file_that_cannot_be_read_is_one_line_error(settings, tmp_path, kind):
    path = tmp_path / "questions.txt"
    if kind == "directory":
        path.mkdir()
    elif kind == "not-utf8":
        path.write_bytes("专利\n".encode("gbk") + b"\xff\xfe\n")
    result = invoke(settings, "ask", "--json", "--batch", str(path))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "questions.txt" in result.stderr


LONG = ("我们是一家做柑橘深加工的小企业，去年申请了两件发明专利和一个商标，想问问区里有没有资助，"
        "另外能不能拿专利去银行做质押融资，需要准备哪些材料，找哪个部门办理。") * 500


@pytest.mark.parametrize("question", [
    pytest.param("", id="empty"),
    pytest.param("   \t ", id="blank"),
    pytest.param(LONG[:10_000], id="10000-chars"),
    pytest.param("😀😀😀🙏🏻👍", id="emoji"),
    pytest.param("？？？！！。。。，,,...!!!", id="punctuation"),
    pytest.param("<b>x</b>", id="markup"),
    pytest.param("<script>alert('专利')</script>", id="script"),
    pytest.param("\x00\x1b[31m专利", id="control-characters"),
])
def test_bad_input_gets_a_polite_answer(settings, question):
    result = invoke(settings, "ask", "--json", question)
    assert result.exit_code == 0, result.output
    assert result.exception is None
    data = contract(result.stdout)
    assert data["question"] == question
    assert "Traceback" not in result.output
    for tag in ("<b>", "<script>", "\x1b"):
        assert tag not in data["answer"]
    if not data["answered"]:
        assert data["citations"] == []
        assert any(word in data["answer"] for word in ("请", "抱歉", "您好"))
    else:
        assert data["citations"] and "出自" in data["answer"]


def test_bad_input_in_text_mode(settings):
    result = invoke(settings, "ask", "")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_ask_without_a_question_is_a_usage_error(settings):
    result = invoke(settings, "ask")
    assert result.exit_code == 2
    assert "Usage" in result.output


def test_unknown_command_is_a_usage_error(settings):
    result = run_kb(settings, "frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr and "Traceback" not in result.stderr


def test_damaged_index_from_the_shell_is_one_line_and_no_traceback(settings, tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(settings.corpus_dir, root / "corpus")
    shutil.copytree(settings.data_dir, root / "var", symlinks=True)
    damaged = make_settings(root)
    current = (damaged.index_root / "current").resolve()
    (current / "manifest.json").write_text("{not json", encoding="utf-8")
    result = run_kb(damaged, "ask", PLEDGE)
    assert result.returncode == 3
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "damaged" in result.stderr


# ---- kb units / kb show ------------------------------------------------------------------------
def test_units_lists_every_measure_and_box_item(settings):
    result = invoke(settings, "units")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == 2 for row in rows)
    listed = {uid: path for uid, path in rows}
    plan = parse_plan((settings.corpus_dir / "plans" / "wanzhou-ip-plan-14th-fyp.txt")
                      .read_text(encoding="utf-8"), "plan")
    assert [uid for uid, _ in rows] == [u.id for u in plan]  # every unit, in document order, once
    for unit in plan:
        if unit.kind in ("measure", "box_item"):
            assert listed[unit.id] == " > ".join(unit.path)
    assert listed["plan:5.1.3"].endswith("> 促进知识产权与金融业融合发展")
    assert listed["plan:box4.4"].endswith("专栏4 知识产权运用能力提升工程 > 知识产权金融创新专项计划")


def test_units_ids_are_stable_across_rebuilds(settings, tmp_path):
    before = invoke(settings, "units").stdout
    root = tmp_path / "kb"
    shutil.copytree(settings.corpus_dir, root / "corpus")
    other = make_settings(root)
    assert invoke(other, "build", "--no-gate").exit_code == 0
    assert invoke(other, "units").stdout == before


def test_show_prints_the_full_text_and_its_citation(settings):
    result = invoke(settings, "show", "plan:5.1.3")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == \
        PLAN_CITE + "第五章第一节「促进知识产权与金融业融合发展」"
    assert ("促进知识产权与金融业融合发展。鼓励知识产权金融创新，探索推进知识产权质押融资，"
            "鼓励保险机构根据市场需求") in result.stdout
    assert result.stdout.rstrip().endswith("引导和支持万州企业多元化解决知识产权纠纷，提升企业维权能力。")


def test_show_indicator_table(settings):
    result = invoke(settings, "show", "plan:box1")
    assert result.exit_code == 0, result.output
    assert "万人发明专利拥有量（件）" in result.stdout and "1.85" in result.stdout


def test_show_unknown_id_is_one_line_error(settings):
    result = invoke(settings, "show", "nope")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "nope" in result.stderr
    assert isinstance(result.exception, SystemExit)


# ---- kb eval, python -m kb -----------------------------------------------------------------------
def test_eval_reports_ours_beside_the_baseline(settings):
    result = invoke(settings, "eval", "--set", "holdout2.yaml")
    assert result.exit_code == 0, result.output
    assert "== holdout2.yaml" in result.stdout
    hit1 = next(line for line in result.stdout.splitlines() if line.startswith("hit@1"))
    ours, base, ratio = hit1.split()[1:4]
    assert 0 < float(base) < float(ours) <= 1 and float(ratio) > 1


def test_python_dash_m_kb(settings):
    result = subprocess.run([sys.executable, "-m", "kb", "--help"], capture_output=True, text=True,
                            cwd=PROJECT_ROOT, timeout=120)
    assert result.returncode == 0
    for command in ("build", "ask", "units", "show", "eval"):
        assert command in result.stdout


def test_eval_of_a_set_without_figure_questions_shows_no_figure_accuracy(settings):
    result = invoke(settings, "eval", "--set", "dev3.yaml", "--no-baseline")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith("figure accuracy"))
    assert line.split()[2:] == ["-", "-", "-"]
    assert ", 0 figure questions" in result.stdout


def test_the_same_question_gets_the_same_answer_in_every_process(settings, tmp_path):
    """Python salts string hashes per process: scores summed over sets of words must not depend on it
    (第六章…主要想干啥 has two FAQ entries tied to the last bit, whose order used to flip)."""
    batch = tmp_path / "questions.txt"
    batch.write_text("第六章知识产权管理服务主要想干啥\n专利可以拿去银行贷款吗\n到2025年地理标志要达到多少件\n", encoding="utf-8")
    outputs = {subprocess.run([str(KB), "ask", "--json", "--batch", str(batch)], capture_output=True, text=True,
                              timeout=600, env={**os.environ, **env_for(settings), "PYTHONHASHSEED": seed},
                              cwd=settings.corpus_dir.parent).stdout
               for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1 and all(contract(line) for line in outputs.pop().splitlines())
