"""Staff commands (Telegram ids in BOT_STAFF_IDS): /stats and /reload."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.telegram import texts
from bot.telegram.filters import IsStaff, is_private

if TYPE_CHECKING:
    from kb.question_log import QuestionLog


async def stats(message: Message, log: QuestionLog) -> None:
    await message.answer(texts.render_stats(log.stats()))


async def reload(message: Message, live_kb) -> None:
    switched = await asyncio.to_thread(live_kb.reload)  # opening an index takes a moment
    version = texts.esc(live_kb.version)
    await message.answer(f"已切换到最新发布的知识库：{version}" if switched
                         else f"知识库已是最新发布的版本：{version}")


async def refuse(message: Message) -> None:
    await message.answer(texts.STAFF_ONLY)


def create_router() -> Router:
    router = Router(name="staff")
    router.message.filter(is_private)  # statistics are not for group chats
    router.message.register(stats, Command("stats"), IsStaff())
    router.message.register(reload, Command("reload"), IsStaff())
    router.message.register(refuse, Command(*texts.STAFF_COMMANDS))
    return router
