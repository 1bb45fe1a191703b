"""Last router: whatever nobody else took (unknown commands, other messages, unknown buttons)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message

from bot.telegram import texts


async def unknown_command(message: Message) -> None:
    await message.reply(texts.UNKNOWN_COMMAND)


async def anything_else(message: Message) -> None:
    await message.reply(texts.NOT_TEXT.format(what="这类消息"))


async def unknown_button(query: CallbackQuery) -> None:
    """Forged or outdated callback data (it did not unpack into any of our buttons)."""
    await query.answer(texts.STALE, show_alert=True)


def create_router() -> Router:
    router = Router(name="fallback")
    private = F.chat.type == ChatType.PRIVATE  # in groups, what is not for the bot is ignored
    router.message.register(unknown_command, private, F.text.startswith("/"))
    router.message.register(anything_else, private)
    router.callback_query.register(unknown_button)
    return router
