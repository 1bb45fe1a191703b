"""A recording Bot API session for tests and the benchmark: no network, canned results.

Every request is kept (``requests``, with the time it was made in ``sent_at``); ``getMe`` returns the
bot user, methods that return a Message get one built from the request, everything else ``True``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import GetMe, TelegramMethod
from aiogram.types import Chat, Message, User

BOT_USER = User(id=42, is_bot=True, first_name="万州知识产权助手", username="wz_ip_bot")


class RecordingSession(BaseSession):
    def __init__(self, me: User = BOT_USER) -> None:
        super().__init__()
        self.me = me
        self.requests: list[TelegramMethod[Any]] = []
        self.sent_at: list[float] = []
        self._message_ids = itertools.count(1000)

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        self.requests.append(method)
        self.sent_at.append(time.perf_counter())
        if isinstance(method, GetMe):
            return self.me
        if method.__returning__ is Message:
            return self._message(bot, method)
        return True

    def _message(self, bot: Bot, method: TelegramMethod[Any]) -> Message:
        chat_id = getattr(method, "chat_id", 0)
        return Message(
            message_id=next(self._message_ids), date=int(time.time()),
            chat=Chat(id=chat_id if isinstance(chat_id, int) else 0,
                      type="private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"),
            from_user=self.me, text=getattr(method, "text", None),
            reply_markup=getattr(method, "reply_markup", None),
        ).as_(bot)

    def of(self, method_type: type[TelegramMethod[Any]]) -> list[Any]:
        """The requests of one kind, in order (``session.of(SendMessage)``)."""
        return [m for m in self.requests if isinstance(m, method_type)]

    def clear(self) -> None:
        self.requests.clear()
        self.sent_at.clear()

    async def close(self) -> None:
        pass

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
                             chunk_size: int = 65536, raise_for_status: bool = True
                             ) -> AsyncGenerator[bytes, None]:  # pragma: no cover - no files here
        if False:
            yield b""
