"""A handler error is logged and answered with an apology, never dropped silently."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent

from bot.telegram import texts

logger = logging.getLogger(__name__)


async def on_error(event: ErrorEvent) -> bool:
    update = event.update
    logger.error("update %s failed: %r", update.update_id, event.exception, exc_info=event.exception)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.APOLOGY, show_alert=True)
        elif (message := update.message or update.edited_message) is not None:
            await message.reply(texts.esc(texts.APOLOGY))
    except Exception:  # the apology itself failed (network, Telegram): logged, nothing more to do
        logger.exception("could not send the apology for update %s", update.update_id)
    return True


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
