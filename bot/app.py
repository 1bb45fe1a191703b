"""Composition root: one process serving the web chat and, when a token is set, the Telegram bot.

One LiveKnowledgeBase and one QuestionLog are shared by both channels.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.telegram.settings import BotSettings
from bot.web.app import create_web_app, run_web
from bot.web.settings import WebSettings
from kb.question_log import QuestionLog
from kb.service import LiveKnowledgeBase
from kb.settings import KbSettings

logger = logging.getLogger("bot")


async def main(host: str | None = None, port: int | None = None) -> None:
    """Serve until SIGINT or SIGTERM, then stop polling, close the sessions and the log."""
    kb_settings = KbSettings()
    bot_settings = BotSettings()
    web_settings = WebSettings()
    kb = LiveKnowledgeBase(kb_settings, background=True)  # a new index loads beside the old one
    log = QuestionLog(kb_settings.log_path, salt=kb_settings.user_hash_salt,
                      retention_days=kb_settings.log_retention_days)
    telegram = None
    try:
        app = create_web_app(kb, log, web_settings)
        if bot_settings.enabled:
            from bot.telegram.channel import TelegramChannel  # aiogram only when it is used

            telegram = TelegramChannel.create(kb, log, bot_settings)
            if telegram.webhook:
                telegram.mount(app)
        else:
            logger.info("Telegram bot is off (TELEGRAM_BOT_TOKEN is not set); serving the web chat only")
        host = host or web_settings.host
        port = port or web_settings.port
        runner = await run_web(app, host, port)
        logger.info("web chat: http://%s:%s/", host, port)
        try:
            if telegram is not None and telegram.webhook:
                logger.info("Telegram bot: webhook on %s", bot_settings.webhook_path)
            elif telegram is not None:
                telegram.start_polling()
            await _until_signalled()
        finally:
            if telegram is not None:
                await telegram.stop()
            await runner.cleanup()
    finally:
        log.close()
        kb.close()
        logger.info("stopped")


async def _until_signalled() -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


def run() -> None:
    """``python -m bot``: a knowledge-base or address problem ends with one clear line, exit code 1."""
    from kb.errors import KbError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(main())
    except (KbError, OSError) as exc:
        logger.error("cannot start: %s", exc)
        raise SystemExit(1) from None
