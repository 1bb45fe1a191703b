"""Recently answered questions, by logged question id (for the 相关条目 button)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Asked:
    question: str
    cited: tuple[str, ...]


class RecentQuestions:
    """A bounded in-memory map question id -> question and cited units.

    After a restart (or once evicted) the 相关条目 button of an old answer is stale and the user is
    asked to ask again; the 查看原文, 联系部门 and 👍/👎 buttons carry everything they need.
    """

    def __init__(self, size: int = 10_000):
        self.size = size
        self._items: OrderedDict[int, Asked] = OrderedDict()

    def remember(self, question_id: int, question: str, cited: list[str]) -> None:
        self._items[question_id] = Asked(question, tuple(cited))
        self._items.move_to_end(question_id)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def get(self, question_id: int) -> Asked | None:
        return self._items.get(question_id)
