"""Fixtures for the Telegram bot: a dispatcher fed through a recording session (unit tests)."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Update
from tg_fake_kb import FakeKnowledgeBase
from tg_updates import Updates

from bot.telegram.factory import create_bot, create_dispatcher
from bot.telegram.middlewares import SlidingWindowLimiter
from bot.telegram.settings import BotSettings
from bot.telegram.testing import RecordingSession

STAFF_ID = 7


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Harness:
    """A real Dispatcher and Bot over a RecordingSession; ``feed`` runs one update through it."""

    def __init__(self, kb: Any, log: Any, settings: BotSettings) -> None:
        self.kb = kb
        self.log = log
        self.settings = settings
        self.clock = Clock()
        self.limiter = SlidingWindowLimiter(settings.rate_limit, settings.rate_window, clock=self.clock)
        self.session = RecordingSession()
        self.bot = create_bot(settings, session=self.session)
        self.dp = create_dispatcher(kb, log, settings, limiter=self.limiter)
        self.updates = Updates()

    async def feed(self, update: dict[str, Any]) -> Any:
        return await self.dp.feed_update(self.bot, Update.model_validate(update, context={"bot": self.bot}))

    def sent(self) -> list[SendMessage]:
        return self.session.of(SendMessage)

    def last(self) -> SendMessage:
        sent = self.sent()
        assert sent, f"nothing was sent; requests: {self.session.requests}"
        return sent[-1]

    def callback_answers(self) -> list[AnswerCallbackQuery]:
        return self.session.of(AnswerCallbackQuery)


@pytest.fixture
def bot_settings() -> BotSettings:
    return BotSettings(_env_file=None, token="42:TEST", staff_ids=[STAFF_ID])


@pytest.fixture
def fake_kb() -> FakeKnowledgeBase:
    return FakeKnowledgeBase()


@pytest.fixture
def harness(live_kb, question_log, bot_settings) -> Harness:
    """The dispatcher over the real knowledge base (an index built from the real corpus)."""
    return Harness(live_kb, question_log, bot_settings)


@pytest.fixture
def fake(fake_kb, question_log, bot_settings) -> Harness:
    """The dispatcher over a tiny fake knowledge base: exact answers, injected failures."""
    return Harness(fake_kb, question_log, bot_settings)
