"""Last router: whatever nobody else took (unknown commands, other messages, unknown buttons)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.telegram import texts
from bot.telegram.filters import is_command, is_private


async def unknown_command(message: Message) -> None:
    await message.reply(texts.UNKNOWN_COMMAND)


async def anything_else(message: Message) -> None:
    await message.reply(texts.NOT_TEXT.format(what="这类消息"))


async def unknown_button(query: CallbackQuery) -> None:
    """Forged or outdated callback data (it did not unpack into any of our buttons)."""
    await query.answer(texts.STALE, show_alert=True)


def create_router() -> Router:
    router = Router(name="fallback")
    # in groups, what is not for the bot is ignored
    router.message.register(unknown_command, is_private, is_command)
    router.message.register(anything_else, is_private)
    router.callback_query.register(unknown_button)
    return router
