"""The question log keeps no personal data: masking before storage (questions and answers) and the
retention period, on a real SQLite file read back with a separate connection."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from kb.models import Answer, Citation, Matched
from kb.question_log import QuestionLog, mask_personal_data
from kb.settings import KbSettings


@pytest.mark.parametrize("text, masked", [
    ("我的手机13812345678，请回电", "我的手机[电话]，请回电"),
    ("+86 138 1234 5678", "[电话]"),
    ("+86-13812345678", "[电话]"),
    ("电话：008613812345678", "电话：[电话]"),
    ("１３８１２３４５６７８有人接", "[电话]有人接"),  # full-width digits
    ("＋８６ １３８ １２３４ ５６７８", "[电话]"),
    ("座机023-58123456找王经理", "座机[电话]找王经理"),
    ("(023)58123456", "[电话]"),
    ("（023）5812 3456", "[电话]"),
    ("023 5812 3456", "[电话]"),
    ("+86 23 5812 3456", "[电话]"),
    ("+86-23-58123456", "[电话]"),
    ("010-12345678转806", "[电话]"),
    ("电话 58123456", "电话 [电话]"),
    ("身份证50010119900307123X能办吗", "身份证[身份证号]能办吗"),
    ("身份证号500101199003071234", "身份证号[身份证号]"),
    ("500101 19900307 1234", "[身份证号]"),
    ("老身份证500101900307123", "老身份证[身份证号]"),
    ("发到zhang.san@example.com.cn", "发到[邮箱]"),
    ("13812345678@qq.com", "[邮箱]"),
])
def test_personal_data_is_masked(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("text", [
    "到2025年发明专利达到1000件",
    "2021-2025年规划",
    "专利号ZL202110012345.6",
    "申请号202110012345.6",
    "统一社会信用代码91500101MA5U123456",
    "奖励5000万元，拨打12345热线",
])
def test_ordinary_numbers_are_kept(text):
    assert mask_personal_data(text) == text


def _raw_rows(path):
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT question, answer, user_hash FROM questions ORDER BY id").fetchall()
    finally:
        db.close()


def test_question_and_answer_are_masked_before_storage(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = QuestionLog(path)
    question = "我叫张三，电话13812345678，邮箱zs@example.com，身份证50010119900307123X，专利能贷款吗"
    answer = Answer(question=question, answered=True,
                    answer="您留下的电话13812345678已记录，也可拨打023-58123456或写信到zs@example.com",
                    citations=[Citation(id="plan:5.1.3", title="t", path=[], quote="q", score=1.0)],
                    matched=Matched(kind="faq", id="pledge-financing"))
    log.record("web", 4242, answer)
    log.close()

    [(stored_q, stored_a, user_hash)] = _raw_rows(path)
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                               if path.with_name(path.name + "-wal").exists() else b"")
    for secret in ("13812345678", "58123456", "zs@example.com", "50010119900307123X"):
        assert secret not in stored_q and secret not in stored_a
        assert secret.encode() not in raw
    assert stored_q == "我叫张三，电话[电话]，邮箱[邮箱]，身份证[身份证号]，专利能贷款吗"
    assert stored_a == "您留下的电话[电话]已记录，也可拨打[电话]或写信到[邮箱]"
    assert "4242" not in user_hash


def _backdate(path, question_id: int, days: int) -> None:
    db = sqlite3.connect(path)
    when = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat(timespec="seconds")
    db.execute("UPDATE questions SET asked_at=? WHERE id=?", (when, question_id))
    db.commit()
    db.close()


def _ask(log: QuestionLog, text: str, answered: bool = False) -> int:
    return log.record("telegram", "u1", Answer(question=text, answered=answered, answer="回复"))


def test_retention_period_is_enforced_on_open(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = QuestionLog(path, retention_days=30)
    old = _ask(log, "去年问的问题")
    edge = _ask(log, "29天前的问题")
    new = _ask(log, "今天的问题")
    log.feedback(old, "u2", -1)
    log.close()
    _backdate(path, old, 31)
    _backdate(path, edge, 29)

    log = QuestionLog(path, retention_days=30)
    assert log.purged_on_open == 1
    kept = [q.question for q in log.needing_review()]
    log.close()
    assert kept == ["今天的问题", "29天前的问题"]
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0  # its vote went with it
    assert [r[0] for r in db.execute("SELECT id FROM questions ORDER BY id")] == [edge, new]
    db.close()


def test_retention_days_come_from_the_environment(tmp_path, monkeypatch):
    from kb.review import open_log

    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KB_LOG_RETENTION_DAYS", "7")
    settings = KbSettings()
    assert settings.log_retention_days == 7
    log = QuestionLog(settings.log_path, retention_days=365)
    eight_days = _ask(log, "八天前")
    six_days = _ask(log, "六天前")
    log.close()
    _backdate(settings.log_path, eight_days, 8)
    _backdate(settings.log_path, six_days, 6)

    log = open_log(settings)
    try:
        assert log.purged_on_open == 1
        assert [q.question for q in log.needing_review()] == ["六天前"]
    finally:
        log.close()


def test_needing_review_is_unanswered_or_thumbs_down(question_log):
    unanswered = _ask(question_log, "没答上来的")
    liked = _ask(question_log, "答得好的", answered=True)
    disliked = _ask(question_log, "答得不好的", answered=True)
    _ask(question_log, "没人评价的", answered=True)
    question_log.feedback(liked, "a", 1)
    question_log.feedback(disliked, "a", 1)
    question_log.feedback(disliked, "b", -1)
    assert [q.id for q in question_log.needing_review()] == [disliked, unanswered]
