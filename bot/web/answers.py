"""Answers for the web channel, with a small cache.

``answer()`` costs tens of milliseconds of CPU per question, and the windows ask the same questions all
day, so answers are kept per (index version, question) in a bounded LRU. A newly published index
changes the version, so the cache never serves an answer from an index that is no longer live.
"""

from __future__ import annotations

import copy
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


class AnswerCache:
    def __init__(self, kb: Any, max_entries: int = 2048, recheck_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic):
        self.kb = kb
        self.max_entries = max_entries
        self.recheck_seconds = recheck_seconds
        self.clock = clock
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[str, str], Answered] = OrderedDict()
        self._snapshot: Any = None
        self._checked = float("-inf")

    def snapshot(self) -> Any:
        """The live snapshot, looked up at most once every ``recheck_seconds``.

        ``LiveKnowledgeBase.current`` checks the published pointer on disk at each call; under load
        that is several system calls per request, and a newly published index may wait a second.
        """
        now = self.clock()
        if self._snapshot is None or now - self._checked >= self.recheck_seconds:
            self._snapshot = getattr(self.kb, "current", self.kb)
            self._checked = now
        return self._snapshot

    def answer(self, question: str) -> Answered:
        """The answer to one question, from the cache when this index answered it before."""
        snapshot = self.snapshot()  # one snapshot for the version and the answer
        key = (str(snapshot.version), question)
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            return cached
        self.misses += 1
        answer = snapshot.answer(question)
        data = answer.model_dump(mode="json")
        for citation in data["citations"]:
            if not citation.get("reference"):
                citation["reference"] = snapshot.reference(citation["id"])
        answered = Answered(answer, data, dumps(data).encode()[:-1] + b',"question_id":')
        if self.max_entries:
            self._entries[key] = answered
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return answered


@dataclass(frozen=True)
class Answered:
    """One answer: the Answer (for the question log), its contract JSON, and that JSON pre-encoded."""

    answer: Any
    _data: dict[str, Any]
    _json_prefix: bytes

    def payload(self, question_id: int) -> dict[str, Any]:
        """The contract JSON plus ``question_id``, as a fresh dict the caller may change."""
        return {**copy.deepcopy(self._data), "question_id": question_id}

    def json_body(self, question_id: int) -> bytes:
        """``payload(question_id)`` encoded, without encoding the answer again."""
        return self._json_prefix + str(int(question_id)).encode() + b"}"
