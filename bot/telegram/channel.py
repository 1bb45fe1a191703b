"""Run the bot inside the application's process: long polling, or a webhook on the web app."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.telegram.factory import create_bot, create_dispatcher
from bot.telegram.settings import BotSettings

logger = logging.getLogger(__name__)
STOP_TIMEOUT = 10.0


class TelegramChannel:
    def __init__(self, bot: Bot, dispatcher: Dispatcher, settings: BotSettings):
        self.bot = bot
        self.dispatcher = dispatcher
        self.settings = settings
        self._polling: asyncio.Task[None] | None = None

    @classmethod
    def create(cls, kb: Any, log: Any, settings: BotSettings,
               session: BaseSession | None = None) -> TelegramChannel:
        return cls(create_bot(settings, session), create_dispatcher(kb, log, settings), settings)

    @property
    def webhook(self) -> bool:
        return bool(self.settings.webhook_url)

    def mount(self, app: web.Application) -> None:
        """Webhook mode: Telegram POSTs updates to WEBHOOK_URL's path on the web app.

        The app's start-up registers the webhook and the command menu; its shutdown closes the
        bot session.
        """
        secret = self.settings.webhook_secret
        SimpleRequestHandler(
            dispatcher=self.dispatcher, bot=self.bot,
            secret_token=secret.get_secret_value() if secret else None,
        ).register(app, path=self.settings.webhook_path)
        setup_application(app, self.dispatcher, bot=self.bot)

    def start_polling(self) -> asyncio.Task[None]:
        """Long polling in a task; signals are the application's business, not aiogram's."""
        self._polling = asyncio.create_task(
            self.dispatcher.start_polling(self.bot, handle_signals=False, close_bot_session=True),
            name="telegram-polling",
        )
        self._polling.add_done_callback(_report_end)
        return self._polling

    async def stop(self) -> None:
        """Stop polling and make sure the bot session is closed.

        In webhook mode there is nothing to do: the web app's shutdown closes the session.
        """
        task = self._polling
        if task is None:
            return
        if not task.done():
            try:
                await asyncio.wait_for(self.dispatcher.stop_polling(), STOP_TIMEOUT)
            except (RuntimeError, TimeoutError):  # not started yet, or stuck: cancel it
                task.cancel()
            with suppress(asyncio.CancelledError, Exception):  # a failure was logged already
                await task
        await self.bot.session.close()


def _report_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (exc := task.exception()) is not None:
        logger.error("Telegram bot stopped: %s: %s (the web chat keeps running)",
                     type(exc).__name__, exc)
