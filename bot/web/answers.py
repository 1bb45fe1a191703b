"""Answers for the web channel, with a small cache.

``answer()`` costs tens of milliseconds of CPU per question, and the windows ask the same questions all
day, so answers are kept per (index version, question) in a bounded LRU. A newly published index
changes the version, so the cache never serves an answer from an index that is no longer live.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class AnswerCache:
    def __init__(self, kb: Any, max_entries: int = 2048):
        self.kb = kb
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[str, str], tuple[Any, dict[str, Any]]] = OrderedDict()

    def answer(self, question: str) -> tuple[Any, dict[str, Any]]:
        """(Answer, its contract JSON as a fresh dict) for one question; references filled in."""
        snapshot = getattr(self.kb, "current", self.kb)  # one snapshot for the version and the answer
        key = (str(snapshot.version), question)
        cached = self._entries.get(key)
        if cached is not None and self.max_entries:
            self._entries.move_to_end(key)
            self.hits += 1
        else:
            self.misses += 1
            answer = snapshot.answer(question)
            data = answer.model_dump(mode="json")
            for citation in data["citations"]:
                if not citation.get("reference"):
                    citation["reference"] = snapshot.reference(citation["id"])
            cached = (answer, data)
            if self.max_entries:
                self._entries[key] = cached
                if len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        answer, data = cached
        return answer, {**data, "citations": [dict(c) for c in data["citations"]]}
