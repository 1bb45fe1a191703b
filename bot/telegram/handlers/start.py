"""/start (with deep links ``/start <topic_id>``) and /help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.telegram import texts
from bot.telegram.handlers.topics import send_topic
from bot.telegram.keyboards import topics_kb

if TYPE_CHECKING:
    from kb.service import KnowledgeBase


async def start(message: Message, kb: KnowledgeBase) -> None:
    name = message.from_user.first_name if message.from_user else None
    await message.answer(texts.greeting(name, kb.plans()), reply_markup=topics_kb(kb.topics()))


async def start_deep_link(message: Message, command: CommandObject, bot: Bot, kb: KnowledgeBase) -> None:
    """``t.me/<bot>?start=finance`` opens the topic; an unknown payload gets the normal greeting."""
    topic = kb.topic((command.args or "").strip().lower())
    if topic is None:
        await start(message, kb)
    else:
        await send_topic(bot, message.chat.id, topic)


async def help_(message: Message, kb: KnowledgeBase) -> None:
    await message.answer(texts.HELP + texts.plans_line(kb.plans()))


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(start_deep_link, CommandStart(deep_link=True))
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    return router
