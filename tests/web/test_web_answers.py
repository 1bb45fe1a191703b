"""The answer cache: same answers as the knowledge base, never across index versions."""

from __future__ import annotations

from bot.web.answers import AnswerCache


class CountingKb:
    def __init__(self, kb, version: str):
        self._kb = kb
        self.version = version
        self.calls = 0

    def answer(self, question):
        self.calls += 1
        return self._kb.answer(question)

    def reference(self, unit_id):
        return self._kb.reference(unit_id)


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cached_answer_equals_a_fresh_one_and_is_a_copy(live_kb):
    import json

    kb = CountingKb(live_kb, "v1")
    cache = AnswerCache(kb)
    first = cache.answer("专利可以拿去银行贷款吗")
    changed = first.payload(7)
    changed["citations"][0]["quote"] = "changed by a caller"
    again = cache.answer("专利可以拿去银行贷款吗")
    assert kb.calls == 1 and cache.hits == 1
    assert again is first
    fresh = live_kb.answer("专利可以拿去银行贷款吗").model_dump(mode="json")
    assert again.payload(8) == {**fresh, "question_id": 8}
    assert json.loads(again.json_body(12345)) == {**fresh, "question_id": 12345}


def test_new_index_version_is_not_served_old_answers(live_kb):
    clock = Clock()
    first, second = CountingKb(live_kb, "v1"), CountingKb(live_kb, "v2")

    class Live:
        current = first

    cache = AnswerCache(Live, recheck_seconds=1.0, clock=clock)
    cache.answer("商标被抢注")
    Live.current = second  # published: the next look-up after a second sees it
    cache.answer("商标被抢注")
    assert (first.calls, second.calls) == (1, 0)
    clock.now = 1.0
    cache.answer("商标被抢注")
    assert (first.calls, second.calls) == (1, 1)


def test_cache_is_bounded_and_can_be_off(live_kb):
    kb = CountingKb(live_kb, "v1")
    cache = AnswerCache(kb, max_entries=2)
    for q in ("专利", "商标", "贷款", "专利"):
        cache.answer(q)
    assert kb.calls == 4, "the oldest entry was dropped"
    off = AnswerCache(kb, max_entries=0)
    off.answer("专利")
    off.answer("专利")
    assert kb.calls == 6
