"""``kb review``: unanswered and 👎 questions from a real SQLite log, grouped by similarity, newest
group first, exported as CSV, turned into a draft FAQ entry that ``kb check`` rejects until finished."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb_support import make_settings
from kb.check import PLACEHOLDER, static_check
from kb.cli import main
from kb.models import Answer, Matched
from kb.question_log import LoggedQuestion, QuestionLog
from kb.review import (CSV_COLUMNS, SIMILARITY, ReviewQuestion, _analyzer, cluster_questions, review,
                       review_words, similarity)


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory):
    """Nothing published in this folder: the analyzer comes from corpus/dict."""
    return _analyzer(make_settings(tmp_path_factory.mktemp("review")))


@pytest.mark.parametrize("a, b", [
    ("商标注册要多少钱", "注册商标费用多少"),
    ("商标被抢注了怎么办", "有人抢注我们的商标"),
    ("专利申请有补贴吗", "专利申请补助怎么领"),
    ("专利被人抄袭了怎么赔偿", "专利被抄袭赔偿标准是多少"),
    ("高企认定条件", "高新技术企业认定有什么条件"),
])
def test_rewordings_of_one_question_are_similar(analyzer, a, b):
    assert similarity(review_words(analyzer, a), review_words(analyzer, b)) >= SIMILARITY


@pytest.mark.parametrize("a, b", [
    ("商标注册要多少钱", "商标被抢注了怎么办"),
    ("专利能拿去银行贷款吗", "专利侵权找谁"),
    ("专利申请有补贴吗", "专利被人抄袭了怎么赔偿"),
    ("今天天气怎么样", "专利申请有补贴吗"),
])
def test_different_questions_sharing_a_word_are_not(analyzer, a, b):
    assert similarity(review_words(analyzer, a), review_words(analyzer, b)) < SIMILARITY


def test_masks_and_figure_words_do_not_group_questions(analyzer):
    words = review_words(analyzer, "注册商标要多少钱[电话] [邮箱] [身份证号]")
    assert not {"电话", "邮箱", "身份证号", "身份证", "多少"} & set(words)
    assert "商标" in words


def logged(qid: int, question: str, day: int, answered: bool = False) -> LoggedQuestion:
    asked = dt.datetime(2026, 11, day, 9, 0, tzinfo=dt.timezone.utc).isoformat(timespec="seconds")
    return LoggedQuestion(qid, asked, "web", question, answered, "none", None, None, 0)


def test_groups_have_stable_ids_counts_and_come_newest_first(analyzer):
    rows = [logged(1, "商标注册要多少钱", 1), logged(2, "专利被人抄袭了怎么赔偿", 2),
            logged(3, "注册商标费用多少", 3), logged(4, "今天天气怎么样", 4), logged(5, "专利被抄袭赔偿标准是多少", 5)]
    clusters = cluster_questions([ReviewQuestion(r, review_words(analyzer, r.question)) for r in rows])
    assert [(c.id, c.count) for c in clusters] == [(2, 2), (4, 1), (1, 2)]
    assert clusters[0].newest.startswith("2026-11-05")
    assert clusters[0].distinct_questions() == ["专利被抄袭赔偿标准是多少", "专利被人抄袭了怎么赔偿"]

    later = rows + [logged(6, "注册一个商标得花多少钱", 6)]
    again = cluster_questions([ReviewQuestion(r, review_words(analyzer, r.question)) for r in later])
    assert [(c.id, c.count) for c in again] == [(1, 3), (2, 2), (4, 1)]  # ids kept, order by newest


# ---- against a real log, through the command -------------------------------------------------------
def record(log: QuestionLog, question: str, answered: bool = False, matched: str | None = None) -> int:
    kind = "faq" if matched else "none"
    return log.record("telegram", question, Answer(question=question, answered=answered, answer="回复",
                                                  matched=Matched(kind=kind, id=matched)))


def backdate(path: Path, qid: int, days: int) -> None:
    db = sqlite3.connect(path)
    when = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat(timespec="seconds")
    db.execute("UPDATE questions SET asked_at=? WHERE id=?", (when, qid))
    db.commit()
    db.close()


@pytest.fixture
def logged_settings(tmp_path, monkeypatch, built_settings):
    """A corpus copy and a question log of its own, reading the session's published index (read-only)."""
    monkeypatch.chdir(tmp_path)
    settings = make_settings(tmp_path)
    settings.data_dir.mkdir()
    (settings.data_dir / "index").symlink_to(built_settings.index_root, target_is_directory=True)
    (settings.data_dir / "cache").symlink_to(built_settings.cache_dir, target_is_directory=True)
    log = QuestionLog(settings.log_path)
    ids = {
        "cost1": record(log, "商标注册要多少钱"),
        "cost2": record(log, "注册商标费用多少，我电话13812345678"),
        "copy1": record(log, "专利被人抄袭了怎么赔偿"),
        "liked": record(log, "专利能拿去银行贷款吗", answered=True, matched="pledge-financing"),
        "disliked": record(log, "专利质押贷款利率多少", answered=True, matched="pledge-financing"),
        "fine": record(log, "申请专利有补贴吗", answered=True, matched="subsidy-amount"),
        "old": record(log, "去年的问题：商标注册多少钱"),
        "ancient": record(log, "很久以前的问题"),
    }
    log.feedback(ids["liked"], "a", 1)
    log.feedback(ids["disliked"], "b", -1)
    log.close()
    backdate(settings.log_path, ids["cost1"], 3)
    backdate(settings.log_path, ids["cost2"], 2)
    backdate(settings.log_path, ids["copy1"], 1)
    backdate(settings.log_path, ids["old"], 20)
    backdate(settings.log_path, ids["ancient"], 400)
    return settings, ids


def kb(settings, *args: str, retention: int = 180):
    env = {"KB_CORPUS_DIR": str(settings.corpus_dir), "KB_DATA_DIR": str(settings.data_dir),
           "KB_LOG_RETENTION_DAYS": str(retention)}
    return CliRunner().invoke(main, list(args), env=env)


def test_review_lists_groups_newest_first_and_purges_old_rows(logged_settings):
    settings, ids = logged_settings
    result = kb(settings, "review", retention=30)
    assert result.exit_code == 0, result.output
    assert "deleted 1 logged question(s) older than 30 days" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "5 question(s) to review in 3 group(s), last 30 days (retention period)"
    headers = [line for line in lines if line.startswith("[")]
    assert [h.split("]")[0] + "]" for h in headers] == [f"[{ids['disliked']}]", f"[{ids['copy1']}]", f"[{ids['old']}]"]
    assert f"[{ids['old']}] 3 question(s)" in headers[2] and "(3 unanswered)" in headers[2]
    assert "(1 👎)" in headers[0]
    assert "    专利质押贷款利率多少" in result.stdout and "👎 on faq:pledge-financing" in result.stdout
    assert "注册商标费用多少，我电话[电话]" in result.stdout and "13812345678" not in result.stdout
    for absent in ("专利能拿去银行贷款吗", "申请专利有补贴吗", "很久以前的问题"):
        assert absent not in result.stdout
    db = sqlite3.connect(settings.log_path)
    assert db.execute("SELECT COUNT(*) FROM questions WHERE id=?", (ids["ancient"],)).fetchone()[0] == 0
    db.close()


def test_review_days_and_csv(logged_settings, tmp_path):
    settings, ids = logged_settings
    out = tmp_path / "review.csv"
    result = kb(settings, "review", "--days", "7", "--csv", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("4 question(s) to review in 3 group(s), last 7 days")
    assert "去年的问题" not in result.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS read it as UTF-8
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, row)) for row in rows[1:]]
    assert len(body) == 4
    cost = [r for r in body if r["cluster"] == str(ids["cost1"])]
    assert sorted(r["question"] for r in cost) == ["商标注册要多少钱", "注册商标费用多少，我电话[电话]"]
    assert {r["count"] for r in cost} == {"2"} and all(r["channel"] == "telegram" for r in body)
    assert cost[0]["newest"] == max(r["asked_at"] for r in cost)
    assert [r["reason"] for r in body if r["question"] == "专利质押贷款利率多少"] == ["👎 on faq:pledge-financing"]


def test_review_with_an_empty_log(tmp_path):
    settings = make_settings(tmp_path)
    clusters, purged = review(settings)
    assert clusters == [] and purged == 0
    result = kb(settings, "review")
    assert result.exit_code == 0 and result.stdout.startswith("0 question(s) to review in 0 group(s)")


def test_draft_from_a_group_is_blocked_until_finished(logged_settings):
    settings, ids = logged_settings
    group = ids["old"]  # 商标注册要多少钱 / 注册商标费用多少 / 去年的问题：商标注册多少钱
    before = {p.name: p.read_text(encoding="utf-8") for p in (settings.corpus_dir / "faq").glob("*.yaml")}
    result = kb(settings, "review", "--draft", str(group))
    assert result.exit_code == 0, result.output
    location = result.stdout.split(": ", 1)[0]
    path, line = Path(location.rsplit(":", 1)[0]), int(location.rsplit(":", 1)[1])
    assert path.parent == Path("corpus/faq")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(before.get(path.name, "").rstrip("\n"))
    entry_lines = text.splitlines()[line - 1:]
    assert entry_lines[0].startswith(f'  - id: "{PLACEHOLDER}"')
    draft = "\n".join(entry_lines)
    for question in ("商标注册要多少钱", "注册商标费用多少，我电话[电话]", "去年的问题：商标注册多少钱"):
        assert f'"{question}"' in draft

    _, problems = static_check(settings.corpus_dir)
    assert {(p.file, p.message.split("'")[1]) for p in problems} == {(str(path), "id"), (str(path), "answer")}
    # only the id and the answer are left to write: sources, topics and contacts are valid suggestions
    finished = text.replace(f'- id: "{PLACEHOLDER}"', "- id: trademark-registration-fee")
    finished = "\n".join(
        line_text[: line_text.index("answer:")] + "answer: 规划没有规定商标注册费用，请咨询知识产权综合咨询服务窗口。"
        if line_text.lstrip().startswith(f'answer: "{PLACEHOLDER}') else line_text
        for line_text in finished.splitlines()) + "\n"
    path.write_text(finished, encoding="utf-8")
    checked, problems = static_check(settings.corpus_dir)
    assert problems == []
    entry = next(e for e in checked.faq if e.id == "trademark-registration-fee")
    assert len(entry.questions) == 3 and entry.sources
    if path.name != "drafts.yaml":
        assert entry.topics == [path.stem]


def test_draft_of_an_unknown_group(logged_settings):
    settings, _ = logged_settings
    result = kb(settings, "review", "--draft", "99999")
    assert result.exit_code == 1 and "no group [99999]" in result.stderr
