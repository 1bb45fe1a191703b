"""Publishing without downtime, proved on real on-disk indexes:

- a LiveKnowledgeBase answers continuously from another thread while the index is rebuilt and
  republished several times (each time with a new FAQ entry): no exception, no empty answer, and
  the new entry is answered by the next question after ``build_and_publish`` returns (by default),
  or once the new index has loaded beside the old one (``background=True``, as the servers run);
- a build killed with SIGKILL half-way leaves ``current`` on the old complete index, which still
  answers; the next build removes the leftover;
- a corpus edit with a mistake: ``kb build`` exits non-zero with the exact file:line and publishes
  nothing; once fixed, ``kb build`` publishes and the running knowledge base answers the new question.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kb_support import make_settings
from test_check import STRAY, assert_tie_reported
from kb.errors import CorpusError
from kb.publish import build_and_publish, ensure_index, published_dir, published_manifest
from kb.scaffold import new_entry
from kb.service import KnowledgeBase, LiveKnowledgeBase

NEW_ENTRIES = [
    ("ip-mascot", ["万州知识产权吉祥物征集怎么参加", "知识产权吉祥物叫什么名字", "吉祥物征集活动啥时候开始"]),
    ("ip-open-day", ["知识产权开放日在哪天", "开放日能参观知识产权局吗", "知识产权开放日怎么报名"]),
    ("ip-quiz-contest", ["知识产权知识竞赛怎么报名", "知识竞赛有奖品吗", "知识产权竞赛题库在哪下载"]),
]
ASKED = ["专利能拿去银行贷款吗", "有人仿冒我们的商标该找谁", "申请专利有补贴吗", "万州有多少注册商标",
         "今天天气怎么样", "", "Can I use a patent as collateral for a bank loan?",
         *(questions[1] for _, questions in NEW_ENTRIES)]
TIMEOUT = 300  # seconds; only reached when something is broken


def add_entry(corpus_dir: Path, entry_id: str, questions: list[str], source: str = "plan:5.1.3") -> int:
    """Append an FAQ entry to corpus/faq/talent.yaml as staff would; returns the line of its source."""
    path = corpus_dir / "faq" / "talent.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    block = (f"  - id: {entry_id}\n    questions:\n" + "".join(f"      - {q}\n" for q in questions)
             + f"    answer: 关于“{questions[0]}”，规划没有写明，请向知识产权综合咨询服务窗口了解。\n"
             + f"    sources:\n      - {source}\n    topics:\n      - talent\n    reviewed: 2026-11-25\n")
    path.write_text(text + block, encoding="utf-8")
    return text.count("\n") + 1 + block.splitlines().index(f"      - {source}")


def current_link(settings) -> str:
    return os.readlink(settings.index_root / "current")


@pytest.fixture
def published(tmp_path):
    settings = make_settings(tmp_path)
    build_and_publish(settings, gate=False)
    return settings


class Asker(threading.Thread):
    """Asks questions through a LiveKnowledgeBase, as a channel does, until stopped."""

    def __init__(self, live: LiveKnowledgeBase):
        super().__init__(daemon=True)
        self.live = live
        self.answers = 0
        self.errors: list[BaseException] = []
        self.empty: list[str] = []
        self.versions: set[str] = set()
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        i = 0
        while not self.stop.is_set():
            question = ASKED[i % len(ASKED)]
            i += 1
            try:
                snapshot = self.live.current  # what live.answer() resolves to: switches when published
                answer = snapshot.answer(question)
                if not answer.answer.strip():
                    self.empty.append(question)
            except BaseException as exc:  # noqa: BLE001 - any failure is what this test looks for
                self.errors.append(exc)
                answer = None
            with self.progress:
                self.answers += 1
                if answer is not None:
                    self.versions.add(snapshot.version)
                self.progress.notify_all()

    def wait_for(self, predicate) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: predicate() or not self.is_alive(), timeout=TIMEOUT)
        assert self.is_alive() or self.stop.is_set(), self.errors


@pytest.mark.parametrize("background", [False, True], ids=["switch-on-next-question", "load-in-background"])
def test_questions_never_fail_while_publishing_several_times(published, background):
    """``background=True`` is how bot/app.py runs it: the new index is opened beside the old one."""
    settings = published
    live = LiveKnowledgeBase(settings, build_if_needed=False, background=background)
    asker = Asker(live)
    asker.start()
    asker.wait_for(lambda: asker.answers >= len(ASKED))
    published_versions = [live.current.version]
    answered_while_building = []
    answered_during_publish = 0
    try:
        for entry_id, questions in NEW_ENTRIES:
            assert live.answer(questions[1]).matched.id != entry_id
            add_entry(settings.corpus_dir, entry_id, questions)

            def during_build(message: str) -> None:
                # called after the new index is written and before it is switched to: the asker must
                # keep answering from the old index meanwhile (it does not wait for the build)
                if message.startswith("built "):
                    assert list((settings.index_root / "builds").glob(".tmp-*"))
                    start = asker.answers
                    asker.wait_for(lambda: asker.answers >= start + 5)
                    answered_while_building.append(asker.answers - start)

            answers_before = asker.answers
            build_and_publish(settings, gate=False, progress=during_build)
            answered_during_publish += asker.answers - answers_before
            version = published_dir(settings).name
            assert version not in published_versions
            published_versions.append(version)

            if background:  # the asker's next question starts loading the new index beside the old
                asker.wait_for(lambda: version in asker.versions)  # one: wait until it answers from it
            answer = live.answer(questions[1])  # the next question is answered by the new entry
            assert answer.answered and answer.matched.id == entry_id, answer
            assert live.current.version == version
            asker.wait_for(lambda: version in asker.versions)  # the other thread switched too
    finally:
        asker.stop.set()
        asker.join(TIMEOUT)
    assert asker.errors == []
    assert asker.empty == []
    assert set(published_versions) <= asker.versions
    assert len(answered_while_building) == len(NEW_ENTRIES)
    print(f"\n{asker.answers} questions answered across {len(published_versions)} published indexes, "
          f"{answered_during_publish} of them while build_and_publish was running")


def test_reload_switches_once(published):
    settings = published
    live = LiveKnowledgeBase(settings, build_if_needed=False)
    assert live.reload() is False
    old = live._current
    add_entry(settings.corpus_dir, *NEW_ENTRIES[0])
    build_and_publish(settings, gate=False)
    assert live._current is old  # nothing switches until asked
    assert live.reload() is True and live.reload() is False
    assert live.answer(NEW_ENTRIES[0][1][0]).matched.id == NEW_ENTRIES[0][0]


def _wait_for_path(pattern: str, directory: Path, proc: subprocess.Popen) -> Path:
    """Poll until a path matching ``pattern`` appears (the subprocess reached that point)."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        found = next(directory.glob(pattern), None) if directory.exists() else None
        if found is not None:
            return found
        assert proc.poll() is None, f"the build ended before it could be interrupted: {proc.communicate()}"
        assert time.monotonic() < deadline
        time.sleep(0.002)  # polling interval of the check above, not a synchronisation by itself


def _env(settings) -> dict[str, str]:
    return {**os.environ, "KB_CORPUS_DIR": str(settings.corpus_dir), "KB_DATA_DIR": str(settings.data_dir)}


def test_a_build_killed_half_way_leaves_the_serving_index(published, tmp_path):
    settings = published
    before_link, before_manifest = current_link(settings), published_manifest(settings)
    live = LiveKnowledgeBase(settings, build_if_needed=False)
    add_entry(settings.corpus_dir, *NEW_ENTRIES[0])
    builds = settings.index_root / "builds"

    proc = subprocess.Popen([sys.executable, "-m", "kb", "build", "--no-gate"], cwd=tmp_path, env=_env(settings),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        leftover = _wait_for_path(".tmp-*", builds, proc)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(TIMEOUT)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert leftover.is_dir()  # killed while writing: the half-built directory is still there

    assert current_link(settings) == before_link
    assert published_manifest(settings) == before_manifest
    assert live.reload() is False
    assert live.answer("专利能拿去银行贷款吗").matched.id == "pledge-financing"
    fresh = KnowledgeBase(published_dir(settings), settings)  # a process starting now opens it fine
    assert fresh.answer("专利能拿去银行贷款吗").matched.id == "pledge-financing"
    fresh.close()

    build_and_publish(settings, gate=False)
    assert not leftover.exists() and not list(builds.glob(".tmp-*"))
    assert current_link(settings) != before_link
    assert live.answer(NEW_ENTRIES[0][1][0]).matched.id == NEW_ENTRIES[0][0]


def test_a_mistake_is_refused_at_its_line_then_the_fix_is_served_at_once(published, tmp_path):
    settings = published
    before_link, before_builds = current_link(settings), sorted((settings.index_root / "builds").iterdir())
    live = LiveKnowledgeBase(settings, build_if_needed=False)
    entry_id, questions = NEW_ENTRIES[1]
    line = add_entry(settings.corpus_dir, entry_id, questions, source="plan:9.9.9")

    refused = subprocess.run([sys.executable, "-m", "kb", "build"], cwd=tmp_path, env=_env(settings),
                             capture_output=True, text=True, timeout=TIMEOUT)
    assert refused.returncode == 1, refused
    assert (f"corpus/faq/talent.yaml:{line}: FAQ entry '{entry_id}' sources: unknown plan unit id 'plan:9.9.9' "
            "(see `kb units`)" in refused.stderr.splitlines())
    assert current_link(settings) == before_link
    assert sorted((settings.index_root / "builds").iterdir()) == before_builds
    assert live.answer(questions[0]).matched.id != entry_id
    assert live.answer("专利能拿去银行贷款吗").matched.id == "pledge-financing"

    talent = settings.corpus_dir / "faq" / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").replace("plan:9.9.9", "plan:5.1.3"), encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "kb", "build"], cwd=tmp_path, env=_env(settings),
                           capture_output=True, text=True, timeout=TIMEOUT)
    assert built.returncode == 0, built
    answer = live.answer(questions[0])
    assert answer.answered and answer.matched.id == entry_id
    assert current_link(settings) != before_link


def test_build_refuses_a_question_another_entry_answers(published):
    settings = published
    before_link = current_link(settings)
    finance = settings.corpus_dir / "faq" / "finance.yaml"
    text = finance.read_text(encoding="utf-8")
    assert text.count("      - 想学学专利质押的流程\n") == 1
    finance.write_text(text.replace("      - 想学学专利质押的流程\n", f"      - 想学学专利质押的流程\n      - {STRAY}\n"),
                       encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        build_and_publish(settings, gate=False)
    header, *problems = str(caught.value).splitlines()
    assert header == "the corpus has 1 problem(s); nothing was published:"
    assert_tie_reported(problems, finance)
    assert current_link(settings) == before_link
    assert not list((settings.index_root / "builds").glob(".tmp-*"))


def test_a_serving_process_starting_during_an_unfinished_edit_keeps_the_published_index(published):
    """A restart while staff have a half-written entry (kb faq new) must not take the service down."""
    settings = published
    before_link = current_link(settings)
    new_entry(settings.corpus_dir, "finance")
    messages: list[str] = []
    ensure_index(settings, progress=messages.append)
    assert current_link(settings) == before_link
    assert any(m.startswith("kept the serving index: the corpus has") and "待补充" in m for m in messages)
    live = LiveKnowledgeBase(settings)  # what bot/app.py does at start-up
    assert live.answer("专利能拿去银行贷款吗").matched.id == "pledge-financing"
