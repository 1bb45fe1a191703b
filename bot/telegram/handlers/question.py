"""Free-text questions (new or edited) and the buttons that ask a question; all rate limited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message

from bot.telegram import texts
from bot.telegram.answering import answer_question
from bot.telegram.callback_data import AskCb
from bot.telegram.filters import AddressedToBot
from bot.telegram.keyboards import asked_question
from bot.telegram.middlewares import RateLimitMiddleware, SlidingWindowLimiter

if TYPE_CHECKING:
    from kb.question_log import QuestionLog
    from kb.service import KnowledgeBase

    from bot.telegram.recent import RecentQuestions
    from bot.telegram.settings import BotSettings


async def on_question(message: Message, text: str, bot: Bot, kb: KnowledgeBase, log: QuestionLog,
                      recent: RecentQuestions, bot_settings: BotSettings) -> None:
    """Answer a question; an edited question is answered again. ``text`` comes from AddressedToBot."""
    question = text.strip()
    if not question:
        await message.reply(texts.EMPTY_QUESTION)
        return
    note = None
    limit = bot_settings.max_question_chars
    if len(question) > limit:
        question = question[:limit]
        note = texts.CUT_NOTE.format(limit=limit)
    user_id = message.from_user.id if message.from_user else message.chat.id
    await answer_question(bot, message.chat.id, user_id, question, kb=kb, log=log, recent=recent,
                          note=note, reply_to=message)


async def on_ask_button(query: CallbackQuery, bot: Bot, kb: KnowledgeBase, log: QuestionLog,
                        recent: RecentQuestions) -> None:
    """您是不是想问 / a topic's example: ask the question written on the pressed button."""
    message = query.message  # None or InaccessibleMessage when too old: nothing to read back
    question = asked_question(message.reply_markup, query.data or "") if isinstance(message, Message) else None
    if question is None:
        await query.answer(texts.STALE, show_alert=True)
        return
    await query.answer()
    await answer_question(bot, message.chat.id, query.from_user.id, question,
                          kb=kb, log=log, recent=recent)


def create_router(limiter: SlidingWindowLimiter) -> Router:
    router = Router(name="question")
    rate_limit = RateLimitMiddleware(limiter)
    for observer in (router.message, router.edited_message, router.callback_query):
        observer.middleware(rate_limit)  # inner: counts only events a handler here accepts
    router.message.register(on_question, AddressedToBot(question=True))
    router.edited_message.register(on_question, AddressedToBot(question=True))
    router.callback_query.register(on_ask_button, AskCb.filter())
    return router
