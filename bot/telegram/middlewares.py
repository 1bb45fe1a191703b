"""Middlewares: one knowledge-base snapshot per update, and a per-user rate limit on questions."""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.telegram import texts

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class KbSnapshotMiddleware(BaseMiddleware):
    """Hands every handler of one update the same snapshot of the published index.

    The dispatcher holds the ``LiveKnowledgeBase`` (workflow data ``kb``). This outer middleware
    replaces ``data["kb"]`` by ``kb.current`` for the update, so the answer, the references and the
    keyboard built for it come from one index even if ``kb build`` publishes meanwhile, and the
    published pointer is checked once per update instead of once per attribute. The live object
    stays available as ``live_kb`` (for /reload).
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        kb = data.get("kb")
        current = getattr(type(kb), "current", None)
        if isinstance(current, property):
            data["live_kb"] = kb
            data["kb"] = kb.current
        else:
            data.setdefault("live_kb", kb)
        return await handler(event, data)


class Verdict(enum.Enum):
    ALLOWED = "allowed"
    LIMITED = "limited"  # over the limit: tell the user once
    SILENT = "silent"    # still over the limit and already told: say nothing more


class SlidingWindowLimiter:
    """At most ``limit`` events per key in any ``window`` seconds (in memory, one process).

    A limited user is told once per episode; further messages inside the same episode are dropped
    silently so that a flood does not turn into a flood of replies.
    """

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._told_until: dict[int, float] = {}
        self._checks = 0

    def check(self, key: int) -> Verdict:
        if self.limit <= 0:
            return Verdict.ALLOWED
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        self._checks += 1
        if self._checks % 1024 == 0:
            self._sweep(now)
        if len(hits) < self.limit:
            hits.append(now)
            return Verdict.ALLOWED
        if self._told_until.get(key, 0.0) > now:
            return Verdict.SILENT
        self._told_until[key] = hits[0] + self.window
        return Verdict.LIMITED

    def _sweep(self, now: float) -> None:
        """Forget users with no event inside the window (keeps memory bounded by active users)."""
        cutoff = now - self.window
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= cutoff]:
            del self._hits[key]
        for key in [k for k, until in self._told_until.items() if until <= now]:
            del self._told_until[key]


class RateLimitMiddleware(BaseMiddleware):
    """Inner middleware on the observers that ask the knowledge base (questions, question buttons)."""

    def __init__(self, limiter: SlidingWindowLimiter):
        self.limiter = limiter

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        verdict = self.limiter.check(user.id)
        if verdict is Verdict.ALLOWED:
            return await handler(event, data)
        text = texts.RATE_LIMITED.format(limit=self.limiter.limit)
        if isinstance(event, CallbackQuery):
            await event.answer(text, show_alert=True)
        elif isinstance(event, Message) and verdict is Verdict.LIMITED:
            await event.reply(texts.esc(text))
        return None
