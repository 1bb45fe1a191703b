"""Build the Bot (HTTP session, default HTML parse mode) and the Dispatcher (routers, middlewares, data)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.telegram import texts
from bot.telegram.handlers import get_routers
from bot.telegram.middlewares import KbSnapshotMiddleware, SlidingWindowLimiter
from bot.telegram.recent import RecentQuestions
from bot.telegram.settings import BotSettings

if TYPE_CHECKING:
    from kb.question_log import QuestionLog

logger = logging.getLogger(__name__)


def create_bot(settings: BotSettings, session: BaseSession | None = None) -> Bot:
    """The one place the token is unwrapped."""
    if settings.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    if session is None:
        session = (AiohttpSession(api=TelegramAPIServer.from_base(settings.api_url))
                   if settings.api_url else AiohttpSession())
    return Bot(
        token=settings.token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True,
                                     allow_sending_without_reply=True),
    )


def create_dispatcher(kb: Any, log: QuestionLog, settings: BotSettings, *,
                      limiter: SlidingWindowLimiter | None = None) -> Dispatcher:
    """A Dispatcher whose handlers receive ``kb``, ``log``, ``recent`` and ``bot_settings``."""
    dp = Dispatcher(kb=kb, log=log, bot_settings=settings, recent=RecentQuestions())
    dp.update.outer_middleware(KbSnapshotMiddleware())
    dp.include_routers(*get_routers(limiter or SlidingWindowLimiter(settings.rate_limit,
                                                                     settings.rate_window)))
    dp.startup.register(on_startup)
    return dp


async def on_startup(bot: Bot, dispatcher: Dispatcher, bot_settings: BotSettings) -> None:
    """Register the command menu; point Telegram at the webhook, or clear it for long polling.

    Failures are logged, not raised: the bot still answers without a command menu.
    """
    commands = [BotCommand(command=c, description=d) for c, d in texts.COMMANDS.items()]
    staff = commands + [BotCommand(command=c, description=d) for c, d in texts.STAFF_COMMANDS.items()]
    await _try("set the command menu", bot.set_my_commands(commands, scope=BotCommandScopeDefault()))
    if bot_settings.webhook_url:
        secret = bot_settings.webhook_secret
        await _try("set the webhook", bot.set_webhook(
            bot_settings.webhook_url, secret_token=secret.get_secret_value() if secret else None,
            allowed_updates=dispatcher.resolve_used_update_types()))
    else:  # getUpdates fails while a webhook is set
        await _try("delete the webhook", bot.delete_webhook(drop_pending_updates=False))
    for staff_id in sorted(bot_settings.staff_ids):  # fails until that person has opened the chat
        await _try(f"set the staff menu for {staff_id}",
                   bot.set_my_commands(staff, scope=BotCommandScopeChat(chat_id=staff_id)))


async def _try(what: str, call: Awaitable[Any]) -> None:
    try:
        await call
    except TelegramAPIError as exc:
        logger.warning("could not %s: %s", what, exc)
