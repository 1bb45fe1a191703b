"""The question log: questions asked, answers given, feedback and unanswered questions (SQLite, WAL).

User ids are stored only as salted hashes; phone numbers, ID-card numbers and e-mail addresses are
masked before a question is stored; rows older than the retention period are deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kb.models import Answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    matched_kind TEXT NOT NULL,
    matched_id TEXT,
    top_unit TEXT,
    answer TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions(asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    given_at TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    UNIQUE (question_id, user_hash)
);
"""

# Patterns run on a copy with full-width digits and signs made half-width (same length, so the spans
# found there are replaced in the original). Separators: hyphen, dash, space, ideographic space.
_HALF = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       "＋": "+", "（": "(", "）": ")", "＠": "@", "－": "-", "．": "."})
_SEP = r"[-‐–—\s\u3000]?"
_INTL = r"(?:(?:\+|00)\s?86[-\s]?)"  # +86, 0086
_MOBILE = rf"{_INTL}?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}"
_LANDLINE = (rf"(?:{_INTL}\(?0?\d{{2,3}}\)?|\(0\d{{2,3}}\)|0\d{{2,3}}){_SEP}\d{{3,4}}{_SEP}\d{{4}}"
             rf"(?:{_SEP}(?:转|分机|ext\.?)?\s?\d{{1,5}}(?!\d))?")
_MASKS = (
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[邮箱]"),
    (re.compile(r"(?<!\d)\d{6}[- ]?\d{8}[- ]?\d{3}[\dXx](?![\dA-Za-z])"), "[身份证号]"),
    (re.compile(rf"(?<![\d+])(?:{_MOBILE}|{_LANDLINE})(?!\d)", re.I), "[电话]"),
    (re.compile(r"(?<![\dA-Za-z])\d{15}(?!\d)"), "[身份证号]"),  # the old 15-digit ID cards
)
_LOCAL_PHONE = re.compile(r"((?:电话|手机|座机|联系方式|号码|tel|phone)[:：\s]*)(\d{3,4}[- ]?\d{4})(?!\d)", re.I)


def mask_personal_data(text: str) -> str:
    """Replace e-mail addresses, ID-card numbers and phone numbers with placeholders.

    Phones: mobiles (+86 / 0086 prefixes, spaces or hyphens between groups), landlines with an area
    code (023-58123456, (023)58123456, +86 23 5812 3456, extensions), and bare local numbers right
    after a word such as 电话 or 手机. ID cards: 18 digits (the last may be X) and old 15-digit ones.
    Full-width digits (１３８…) are recognised too.
    """
    probe = text.translate(_HALF)
    for pattern, label in (*_MASKS, (_LOCAL_PHONE, "[电话]")):
        spans = [(m.start(2), m.end(2)) if pattern is _LOCAL_PHONE else m.span() for m in pattern.finditer(probe)]
        for start, end in reversed(spans):
            text = text[:start] + label + text[end:]
            probe = probe[:start] + label + probe[end:]
    return text


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    asked_at: str
    channel: str
    question: str
    answered: bool
    matched_kind: str
    matched_id: str | None
    top_unit: str | None
    votes: int


@dataclass(frozen=True)
class DayStats:
    day: str
    questions: int
    answered: int
    thumbs_up: int
    thumbs_down: int
    top_unanswered: list[tuple[str, int]]

    @property
    def share_answered(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class QuestionLog:
    def __init__(self, path: Path, salt: str = "wanzhou-ip", retention_days: int = 180):
        self.path = Path(path)
        self.salt = salt
        self.retention_days = retention_days
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self.purged_on_open = self.purge_expired()  # the retention period holds from the moment it opens

    def close(self) -> None:
        self._db.close()

    def user_hash(self, user: str | int) -> str:
        return hashlib.sha256(f"{self.salt}:{user}".encode()).hexdigest()[:32]

    def record(self, channel: str, user: str | int, answer: Answer) -> int:
        """Store one question and the answer given; returns the question id used for feedback."""
        top = answer.citations[0].id if answer.citations else None
        cur = self._db.execute(
            "INSERT INTO questions (asked_at, channel, user_hash, question, answered, matched_kind,"
            " matched_id, top_unit, answer) VALUES (?,?,?,?,?,?,?,?,?)",
            (_now().isoformat(timespec="seconds"), channel, self.user_hash(user),
             mask_personal_data(answer.question), int(answer.answered), answer.matched.kind,
             answer.matched.id, top, mask_personal_data(answer.answer)),
        )
        return int(cur.lastrowid)

    def feedback(self, question_id: int, user: str | int, value: int) -> bool:
        """Record 👍 (1) or 👎 (-1); a second vote by the same user replaces the first.

        Returns False when the question id is unknown (forged or expired).
        """
        if value not in (-1, 1):
            raise ValueError("feedback is 1 or -1")
        exists = self._db.execute("SELECT 1 FROM questions WHERE id=?", (question_id,)).fetchone()
        if not exists:
            return False
        self._db.execute(
            "INSERT INTO feedback (question_id, given_at, user_hash, value) VALUES (?,?,?,?)"
            " ON CONFLICT(question_id, user_hash) DO UPDATE SET value=excluded.value,"
            " given_at=excluded.given_at",
            (question_id, _now().isoformat(timespec="seconds"), self.user_hash(user), value),
        )
        return True

    def purge_expired(self) -> int:
        cutoff = (_now() - dt.timedelta(days=self.retention_days)).isoformat(timespec="seconds")
        cur = self._db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
        return cur.rowcount

    def stats(self, day: dt.date | None = None, top: int = 5) -> DayStats:
        day = day or _now().date()
        prefix = day.isoformat() + "%"
        total, answered = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(answered),0) FROM questions WHERE asked_at LIKE ?", (prefix,)
        ).fetchone()
        up, down = self._db.execute(
            "SELECT COALESCE(SUM(value=1),0), COALESCE(SUM(value=-1),0) FROM feedback f"
            " JOIN questions q ON q.id=f.question_id WHERE q.asked_at LIKE ?", (prefix,)
        ).fetchone()
        rows = self._db.execute(
            "SELECT question, COUNT(*) c FROM questions WHERE asked_at LIKE ? AND answered=0"
            " GROUP BY question ORDER BY c DESC, MAX(id) DESC LIMIT ?", (prefix, top)
        ).fetchall()
        return DayStats(day.isoformat(), total, answered, up, down, [(q, c) for q, c in rows])

    def needing_review(self, limit: int = 1000) -> list[LoggedQuestion]:
        """Unanswered questions and questions that got a 👎, newest first."""
        rows = self._db.execute(
            "SELECT q.id, q.asked_at, q.channel, q.question, q.answered, q.matched_kind, q.matched_id,"
            " q.top_unit, COALESCE(SUM(f.value),0) AS votes FROM questions q"
            " LEFT JOIN feedback f ON f.question_id=q.id GROUP BY q.id"
            " HAVING q.answered=0 OR MIN(COALESCE(f.value,0)) < 0 ORDER BY q.id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [LoggedQuestion(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8]) for r in rows]
