"""Stickers, photos, voice, files, locations …: a short explanation that the bot reads text."""

from __future__ import annotations

from aiogram import Router
from aiogram.enums import ContentType
from aiogram.types import Message

from bot.telegram import texts
from bot.telegram.filters import AddressedToBot, ContentTypeIn


async def not_text(message: Message) -> None:
    what = texts.CONTENT_NAMES.get(ContentType(message.content_type).value, "这类消息")
    await message.reply(texts.NOT_TEXT.format(what=what))


def create_router() -> Router:
    router = Router(name="media")
    router.message.register(not_text, ContentTypeIn(texts.CONTENT_NAMES), AddressedToBot())
    return router
