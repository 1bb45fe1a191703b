"""/topics and the topic buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.telegram import texts
from bot.telegram.callback_data import TopicCb
from bot.telegram.keyboards import topic_kb, topics_kb

if TYPE_CHECKING:
    from kb.corpus_models import Topic
    from kb.service import KnowledgeBase


async def send_topic(bot: Bot, chat_id: int, topic: Topic) -> None:
    """A topic: its description, its example questions as buttons, its 联系部门 button."""
    await bot.send_message(chat_id, texts.topic_text(topic.label, topic.description, bool(topic.examples)),
                           reply_markup=topic_kb(topic))


async def list_topics(message: Message, kb: KnowledgeBase) -> None:
    await message.answer(texts.TOPICS_INTRO, reply_markup=topics_kb(kb.topics()))


async def open_topic(query: CallbackQuery, callback_data: TopicCb, bot: Bot, kb: KnowledgeBase) -> None:
    topic = kb.topic(callback_data.t)
    if topic is None or query.message is None:
        await query.answer(texts.STALE, show_alert=True)
        return
    await query.answer()
    await send_topic(bot, query.message.chat.id, topic)


def create_router() -> Router:
    router = Router(name="topics")
    router.message.register(list_topics, Command("topics"))
    router.callback_query.register(open_topic, TopicCb.filter())
    return router
