"""``kb review``: the questions the corpus fails (unanswered, or answered and voted 👎), grouped.

Grouping. Each question is normalised (kb.text.normalize) and segmented with the published index's
analyzer (jieba plus the domain dictionary, stop words dropped, dictionary sub-words added so 商标注册
meets 注册商标); the synonym targets of its words are added (补贴, 给钱 -> 资助奖励) and the words that
only say a figure is wanted (多少, 几个: corpus/dict/figure_words.txt) and the masks of personal data
are dropped. Questions are then taken oldest first: one joins the group whose members it resembles
most on average, when that average rapidfuzz ``token_set_ratio`` of the segmented texts reaches
``SIMILARITY`` (0–100), and otherwise starts a group of its own.

SIMILARITY = 60: on sample questions, rewordings of one question score 62–95 (商标注册要多少钱 /
注册商标费用多少 87, 商标被抢注了怎么办 / 有人抢注我们的商标 89) while different questions sharing
a word score 40–57 (商标注册要多少钱 / 商标被抢注了怎么办 57); tests/test_review.py pins examples
on either side of the line.

A group's id is the log id of its first (oldest) question, so it stays the same while newer
questions join: ``kb review --draft 17`` still means the group shown as [17] yesterday (with the same
``--days`` window, and as long as its first question is within the retention period).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kb.question_log import LoggedQuestion, QuestionLog
from kb.settings import KbSettings

SIMILARITY = 60
DRAFT_QUESTIONS = 8  # at most this many phrasings go into a draft entry
DRAFT_SOURCES = 2
CSV_COLUMNS = ("cluster", "count", "newest", "question", "asked_at", "channel", "reason")


@dataclass
class ReviewQuestion:
    logged: LoggedQuestion
    words: list[str]

    @property
    def reason(self) -> str:
        if not self.logged.answered:
            return "unanswered"
        return f"👎 on {self.logged.matched_kind}:{self.logged.matched_id}" if self.logged.matched_id else "👎"


@dataclass
class Cluster:
    id: int
    members: list[ReviewQuestion] = field(default_factory=list)  # oldest first

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def newest(self) -> str:
        return max(m.logged.asked_at for m in self.members)

    def newest_first(self) -> list[ReviewQuestion]:
        return sorted(self.members, key=lambda m: (m.logged.asked_at, m.logged.id), reverse=True)

    def distinct_questions(self) -> list[str]:
        """Each wording once, newest first."""
        from kb.check import phrasing_key

        seen: set[str] = set()
        out = []
        for member in self.newest_first():
            key = phrasing_key(member.logged.question)
            if key and key not in seen:
                seen.add(key)
                out.append(member.logged.question.strip())
        return out


_MASKS = re.compile(r"\[(?:电话|邮箱|身份证号)\]")


def review_words(analyzer, question: str) -> list[str]:
    """The words a question is grouped by (see the module docstring)."""
    lexicon = analyzer.lexicon
    out: list[str] = []
    for token in analyzer.tokens(_MASKS.sub(" ", question)):
        if token in lexicon.figure_words:
            continue
        for word in (token, *lexicon.synonyms.get(token, ())):
            if word not in out:
                out.append(word)
    return out


def similarity(a: list[str], b: list[str]) -> float:
    from rapidfuzz import fuzz

    if not a or not b:
        return 0.0
    return fuzz.token_set_ratio(" ".join(a), " ".join(b))


def cluster_questions(questions: list[ReviewQuestion], threshold: float = SIMILARITY) -> list[Cluster]:
    """Group questions (see the module docstring); returns groups newest first."""
    clusters: list[Cluster] = []
    for question in sorted(questions, key=lambda q: (q.logged.asked_at, q.logged.id)):
        best, best_score = None, 0.0
        for cluster in clusters:
            score = sum(similarity(question.words, m.words) for m in cluster.members) / cluster.count
            if score > best_score:
                best, best_score = cluster, score
        if best is not None and best_score >= threshold:
            best.members.append(question)
        else:
            clusters.append(Cluster(id=question.logged.id, members=[question]))
    return sorted(clusters, key=lambda c: (c.newest, c.id), reverse=True)


def _analyzer(settings: KbSettings):
    """The published index's analyzer (its lexicon), or one from corpus/dict when nothing is published."""
    from kb.errors import KbError
    from kb.lexicon import Lexicon
    from kb.publish import published_dir
    from kb.tokenize import Analyzer

    try:
        lexicon = Lexicon.from_json((published_dir(settings) / "lexicon.json").read_text(encoding="utf-8"))
    except (KbError, OSError, ValueError, KeyError):
        lexicon = Lexicon.load_dir(settings.corpus_dir / "dict")
    return Analyzer(lexicon, settings.cache_dir)


def open_log(settings: KbSettings) -> QuestionLog:
    """The question log with the configured retention period (rows past it are deleted on open)."""
    return QuestionLog(settings.log_path, salt=settings.user_hash_salt, retention_days=settings.log_retention_days)


def questions_to_review(log: QuestionLog, days: int | None = None, now: dt.datetime | None = None
                        ) -> list[LoggedQuestion]:
    """Unanswered and 👎 questions, newest first; only the last ``days`` days when given."""
    rows = log.needing_review(limit=1_000_000)
    if days is None:
        return rows
    cutoff = (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=days)
    return [r for r in rows if dt.datetime.fromisoformat(r.asked_at) >= cutoff]


def review(settings: KbSettings, days: int | None = None) -> tuple[list[Cluster], int]:
    """Groups of questions to review, newest first, and how many old rows the retention purge removed."""
    log = open_log(settings)
    try:
        purged = log.purged_on_open + log.purge_expired()
        rows = questions_to_review(log, days)
    finally:
        log.close()
    if not rows:
        return [], purged
    analyzer = _analyzer(settings)
    questions = [ReviewQuestion(r, review_words(analyzer, r.question)) for r in rows]
    return cluster_questions(questions), purged


def write_csv(clusters: list[Cluster], path: Path) -> int:
    """One row per question (UTF-8 with BOM, so Excel and WPS show the Chinese); returns the row count."""
    rows = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for cluster in clusters:
            for member in cluster.newest_first():
                writer.writerow([cluster.id, cluster.count, cluster.newest, member.logged.question,
                                 member.logged.asked_at, member.logged.channel, member.reason])
                rows += 1
    return rows


def format_clusters(clusters: list[Cluster], examples: int = 3) -> str:
    lines = []
    for cluster in clusters:
        reasons = Counter("unanswered" if m.reason == "unanswered" else "👎" for m in cluster.members)
        why = ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        lines.append(f"[{cluster.id}] {cluster.count} question(s), newest {cluster.newest} ({why})")
        shown = cluster.newest_first()[:examples]
        for member in shown:
            extra = "" if member.reason == "unanswered" else f"; {member.reason}"
            lines.append(f"    {member.logged.question}    ({member.logged.asked_at}, {member.logged.channel}{extra})")
        if cluster.count > len(shown):
            lines.append(f"    … and {cluster.count - len(shown)} more (--csv FILE lists them all)")
    return "\n".join(lines)


# ---- drafts --------------------------------------------------------------------------------------
def draft_from_cluster(settings: KbSettings, cluster: Cluster, kb) -> tuple[Path, int]:
    """Append a draft FAQ entry made from ``cluster`` to corpus/faq/<guessed topic>.yaml (drafts.yaml when
    no topic is guessed). Its phrasings are the group's questions; sources are the plan units the
    published index cites first for them; id and answer are left as 待补充 for staff to write."""
    from kb.scaffold import EntryDraft, append_entry, faq_file_for, topic_contacts

    questions = cluster.distinct_questions()[:DRAFT_QUESTIONS]
    sources: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    for question in questions:
        answer = kb.answer(question)
        cited = [c.id for c in answer.citations] or [c.id for c in kb.related(question, k=1)]
        for rank, unit_id in enumerate(cited[:2]):
            sources[unit_id] += 2 - rank
        if answer.topic:
            topics[answer.topic] += 1
    topic = topics.most_common(1)[0][0] if topics else None
    contacts = topic_contacts(settings.corpus_dir).get(topic, [])[:3] if topic else []
    draft = EntryDraft(
        questions=questions,
        sources=[unit_id for unit_id, _ in sources.most_common(DRAFT_SOURCES)],
        topics=[topic] if topic else [],
        contacts=contacts,
        heading=[f"草稿（kb review --draft {cluster.id}，{dt.date.today().isoformat()}）："
                 f"{cluster.count} 次提问未得到满意回答，最近一次 {cluster.newest[:10]}。",
                 "questions 来自用户原话（个人信息已遮盖），可删改；sources 和 topics 是系统建议，请核对。",
                 "写好 id 和 answer、去掉所有“待补充”后运行 kb check，通过后 kb build 发布。"],
    )
    path = faq_file_for(settings.corpus_dir, topic)
    if topic and not path.exists():
        path = faq_file_for(settings.corpus_dir, None)
    line = append_entry(path, draft, header="FAQ entries written with kb faq new / kb review --draft; "
                                             "move them to a topic file when finished (optional).")
    return path, line
