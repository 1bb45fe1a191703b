"""Filters: is a message a question for the bot, is it private, media, from staff.

All are coroutines on purpose: aiogram runs a synchronous filter, magic ``F`` filters included,
in a worker thread (``asyncio.to_thread``), one thread hop per check and per update.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiogram import Bot
from aiogram.enums import ChatType, ContentType, MessageEntityType
from aiogram.filters import BaseFilter
from aiogram.types import Message

from bot.telegram.settings import BotSettings


class AddressedToBot(BaseFilter):
    """True in private chats; in groups only for mentions of the bot and replies to it.

    Passes ``text``: the message text without the @mention. With ``question=True`` only text
    messages that are not commands pass.
    """

    def __init__(self, question: bool = False):
        self.question = question

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        text = message.text or ""
        if self.question and (message.text is None or text.startswith("/")):
            return False
        if message.chat.type == ChatType.PRIVATE:
            return {"text": text}
        me = await bot.me()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == me.id:
            return {"text": text}
        mention = f"@{me.username}".lower() if me.username else None
        for entity in message.entities or []:
            if entity.type == MessageEntityType.MENTION and mention:
                if entity.extract_from(text).lower() == mention:
                    cleaned = text[: _utf16_index(text, entity.offset)] + text[
                        _utf16_index(text, entity.offset + entity.length):]
                    return {"text": " ".join(cleaned.split())}
            elif entity.type == MessageEntityType.TEXT_MENTION and entity.user and entity.user.id == me.id:
                return {"text": text}
        return False


def _utf16_index(text: str, units: int) -> int:
    """Python index of the character at UTF-16 offset ``units`` (Telegram counts in UTF-16)."""
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text)


async def is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


async def is_command(message: Message) -> bool:
    return (message.text or "").startswith("/")


class ContentTypeIn(BaseFilter):
    def __init__(self, types: Iterable[str]):
        self.types = frozenset(ContentType(t) for t in types)

    async def __call__(self, message: Message) -> bool:
        return message.content_type in self.types


class IsStaff(BaseFilter):
    async def __call__(self, message: Message, bot_settings: BotSettings) -> bool:
        return message.from_user is not None and message.from_user.id in bot_settings.staff_ids
