"""Small parts: settings, rendering, splitting, callback data, the rate limiter, the bot's session."""

from __future__ import annotations

import pytest
from tg_fake_kb import FakeKnowledgeBase, citation
from pydantic import ValidationError

from bot.telegram import texts
from bot.telegram.callback_data import ContactCb, FeedbackCb, RelatedCb, SourceCb
from bot.telegram.factory import create_bot
from bot.telegram.middlewares import SlidingWindowLimiter, Verdict
from bot.telegram.settings import BotSettings
from kb.models import Answer


def test_settings_from_environment(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret-token")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("BOT_STAFF_IDS", "11, 22 33")
    monkeypatch.setenv("BOT_RATE_LIMIT", "5")
    monkeypatch.setenv("BOT_MAX_QUESTION_CHARS", "300")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/tg/hook")
    settings = BotSettings(_env_file=None)
    assert settings.staff_ids == {11, 22, 33}
    assert (settings.rate_limit, settings.max_question_chars) == (5, 300)
    assert settings.webhook_path == "/tg/hook"
    assert "secret-token" not in repr(settings)
    bot = create_bot(settings)
    assert bot.token == "123:secret-token"
    assert bot.session.api.api_url(bot.token, "getMe") == "http://127.0.0.1:8081/bot123:secret-token/getMe"


def test_settings_defaults_and_dotenv(tmp_path, monkeypatch):
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "BOT_STAFF_IDS", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    assert not BotSettings(_env_file=None).enabled
    defaults = BotSettings(_env_file=None)
    assert (defaults.rate_limit, defaults.max_question_chars, defaults.staff_ids) == (20, 500, frozenset())
    env = tmp_path / ".env"
    env.write_text("TELEGRAM_BOT_TOKEN=9:x\nBOT_STAFF_IDS=[1,2]\nTELEGRAM_API_URL=\n", encoding="utf-8")
    settings = BotSettings(_env_file=env)
    assert settings.enabled and settings.staff_ids == {1, 2} and settings.api_url is None
    assert create_bot(settings).session.api.base.startswith("https://api.telegram.org/")
    with pytest.raises(ValidationError):
        BotSettings(_env_file=None, rate_limit=-1)


def test_reference_quoted_in_the_answer_is_not_repeated():
    kb = FakeKnowledgeBase()
    first, second = citation("plan:5.1.3"), citation("plan:4.2.1")
    answer = Answer(question="q", answered=True, answer=f"可以。——出自{first.reference}",
                    citations=[first, second])
    text = texts.render_answer(answer, kb.reference)
    assert text.count(first.reference) == 1
    assert f"📖 <b>另见</b>\n{texts.esc(second.reference)}" in text
    plain = answer.model_copy(update={"answer": "可以。"})
    assert "📖 <b>依据</b>" in texts.render_answer(plain, kb.reference)


def test_split_text_keeps_every_character_under_the_limit():
    text = ("第一段。" * 500 + "\n") * 4 + "尾" * 5000
    pieces = texts.split_text(text, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert texts.split_text("短") == ["短"] and texts.split_text("") == [""]


def test_callback_data_fits_64_bytes_and_round_trips():
    worst = [SourceCb(q=2**31, u="plan:box12.34.56.78"), RelatedCb(q=2**31),
             ContactCb(q=2**31, t="enforcement-and-contacts"), FeedbackCb(q=2**31, v=-1)]
    for data in worst:
        packed = data.pack()
        assert len(packed.encode()) <= 64
        assert type(data).unpack(packed) == data


def test_limiter_sliding_window():
    now = [0.0]
    limiter = SlidingWindowLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.check(1) for _ in range(3)] == [Verdict.ALLOWED] * 3
    assert limiter.check(1) is Verdict.LIMITED
    assert limiter.check(1) is Verdict.SILENT
    assert limiter.check(2) is Verdict.ALLOWED
    now[0] = 60.5  # the first three hits left the window
    assert limiter.check(1) is Verdict.ALLOWED
    assert SlidingWindowLimiter(0).check(1) is Verdict.ALLOWED  # 0 disables


def test_very_long_answer_is_sent_in_several_messages():
    from bot.telegram.answering import render_answer_messages

    kb = FakeKnowledgeBase()
    answer = Answer(question="q", answered=False, answer="答" * 7000, citations=[citation("plan:5.1.3")])
    pages = render_answer_messages(answer, kb, note="已截取")
    assert len(pages) == 3 and all(len(p) < texts.MESSAGE_LIMIT for p in pages)
    assert pages[0].startswith("<i>已截取</i>") and sum(p.count("答") for p in pages) == 7000
    assert "📖 <b>依据</b>" in pages[-1] and "☎️ <b>可以联系</b>" in pages[-1]


def test_no_handler_or_filter_runs_in_a_worker_thread(bot_settings):
    """aiogram runs synchronous handlers and filters (magic F filters too) via asyncio.to_thread."""
    from bot.telegram.factory import create_dispatcher

    dp = create_dispatcher(FakeKnowledgeBase(), None, bot_settings)
    checked = 0
    for router in dp.chain_tail:
        for name, observer in router.observers.items():
            for handler in observer.handlers:
                assert handler.awaitable, (router.name, name, handler.callback)
                for event_filter in [*(handler.filters or []), *(observer._handler.filters or [])]:
                    assert event_filter.awaitable, (router.name, name, event_filter.callback)
                checked += 1
    assert checked >= 20
