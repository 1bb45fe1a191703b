"""The one object channels use: open the published index, answer questions, look things up.

``KnowledgeBase`` is one immutable snapshot of a published index. ``LiveKnowledgeBase`` wraps the
snapshot that is published now and switches to a newer one (``kb build``) on its own, between two
questions, so a running bot or web server never restarts and never fails a question while switching.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from kb.corpus_models import Contact, FaqEntry, PlanMeta, Topic
from kb.models import Answer, Citation, Unit
from kb.settings import KbSettings


class KnowledgeBase:
    """One published index, opened read-only."""

    def __init__(self, index_dir: Path, settings: KbSettings):
        from kb.snapshot import Snapshot  # heavy imports (jieba, whoosh) only when opened

        self.index_dir = index_dir
        self.settings = settings
        self._snapshot = Snapshot.open(index_dir, settings)
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._answers_lock = threading.Lock()

    # ---- questions -------------------------------------------------------------------------
    def answer(self, question: str) -> Answer:
        """Answer one question (never raises on user input; empty or junk input gets a polite reply).

        Enterprises ask the same questions again and again: the last ``answer_cache_size`` answers of
        this index are kept (an index published later starts with an empty cache). Callers get a copy.
        """
        size = self.settings.answer_cache_size
        cached = self._answers.get(question) if size else None
        if cached is None:
            cached = self._snapshot.answer(question)
            if size:
                with self._answers_lock:
                    self._answers[question] = cached
                    while len(self._answers) > size:
                        self._answers.popitem(last=False)
        return cached.model_copy(deep=True)

    def related(self, question: str, exclude: list[str] | None = None, k: int = 3) -> list[Citation]:
        """Further plan units for a question (the 相关条目 button), best first, skipping ``exclude``."""
        return self._snapshot.related(question, exclude or [], k)

    # ---- look-ups ----------------------------------------------------------------------------
    def unit(self, unit_id: str) -> Unit | None:
        return self._snapshot.units_by_id.get(unit_id)

    def units(self) -> list[Unit]:
        return self._snapshot.units

    def citation_for(self, unit_id: str, quote: str | None = None) -> Citation | None:
        """A citation for a whole unit (quote defaults to the unit's text)."""
        return self._snapshot.citation_for(unit_id, quote)

    def reference(self, unit_id: str) -> str:
        """《万州区知识产权“十四五”规划》（2021—2025年）第五章第一节「促进知识产权与金融业融合发展」"""
        return self._snapshot.reference(unit_id)

    def plan(self, plan_id: str) -> PlanMeta | None:
        return self._snapshot.plans.get(plan_id)

    def plans(self) -> list[PlanMeta]:
        return list(self._snapshot.plans.values())

    def topics(self) -> list[Topic]:
        return self._snapshot.topics

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self._snapshot.topics if t.id == topic_id), None)

    def contacts(self) -> list[Contact]:
        return self._snapshot.contacts

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self._snapshot.contacts if c.id == contact_id), None)

    def contacts_for_topic(self, topic_id: str | None) -> list[Contact]:
        """Bodies to contact about a topic (the 联系部门 card); the consultation windows when unknown."""
        return self._snapshot.contacts_for_topic(topic_id)

    def contact_card(self, topic_id: str | None) -> str:
        """Plain-text contact card for a topic, with the 12345 hotline where reach-me fields are empty."""
        return self._snapshot.contact_card(topic_id)

    def faq(self, faq_id: str) -> FaqEntry | None:
        return self._snapshot.faq_by_id.get(faq_id)

    @property
    def version(self) -> str:
        """Identifier of the published index (its directory name)."""
        return self.index_dir.name

    def warm(self) -> None:
        """Fill the term-score and clause caches (servers do it once, in a thread, before the first
        questions)."""
        self._snapshot.retriever.warm()
        self._snapshot.answerer.warm()

    def close(self) -> None:
        self._snapshot.close()


def _warm_quietly(kb: KnowledgeBase) -> None:
    """Best effort: a process that stops while warming closes the index under this thread."""
    try:
        kb.warm()
    except Exception:
        pass


class LiveKnowledgeBase:
    """Follows the published index: after ``kb build`` publishes, later calls use the new one.

    With ``background=True`` (servers) the new index is opened in a thread while the old one keeps
    answering, and swapped in when ready; otherwise the first call that notices it opens it.
    """

    def __init__(self, settings: KbSettings | None = None, *, build_if_needed: bool = True,
                 background: bool = False):
        from kb.publish import ensure_index, published_dir

        self.settings = settings or KbSettings()
        if build_if_needed:
            ensure_index(self.settings)
        self._published_dir = published_dir
        self._background = background
        self._lock = threading.Lock()
        self._loading: Path | None = None
        self._failed: Path | None = None
        self._current = KnowledgeBase(published_dir(self.settings), self.settings)
        if background:
            threading.Thread(target=_warm_quietly, args=(self._current,), name="kb-warm", daemon=True).start()

    @property
    def current(self) -> KnowledgeBase:
        """The snapshot to use now; switches when a newer index has been published."""
        target = self._target()
        if target is not None and target != self._current.index_dir:
            if self._background:
                self._load_in_background(target)
            else:
                self._load(target)
        return self._current

    def reload(self) -> bool:
        """Switch to the newest published index now, if it changed; True when it switched."""
        target = self._target()
        return target is not None and target != self._current.index_dir and self._load(target)

    def _target(self) -> Path | None:
        try:
            return self._published_dir(self.settings)
        except Exception:  # nothing published or a broken pointer: keep serving what we have
            return None

    def _load(self, target: Path, warm: bool = False) -> bool:
        """Open ``target`` (outside the lock: other threads keep answering) and swap it in."""
        if target in (self._current.index_dir, self._failed):
            return False  # a damaged build is not retried on every question
        try:
            fresh = KnowledgeBase(target, self.settings)
            if warm:
                fresh.warm()
        except Exception:
            self._failed = target
            return False
        with self._lock:
            if target == self._current.index_dir:
                return False
            self._current = fresh  # the old snapshot is dropped; calls in flight still hold it
            return True

    def _load_in_background(self, target: Path) -> None:
        with self._lock:
            if self._loading == target or target == self._failed:
                return
            self._loading = target

        def work() -> None:
            try:
                self._load(target, warm=True)
            finally:
                with self._lock:
                    if self._loading == target:
                        self._loading = None

        threading.Thread(target=work, name="kb-reload", daemon=True).start()

    def __getattr__(self, name: str):
        return getattr(self.current, name)
