"""Composition root: one process serving the web chat and, when a token is set, the Telegram bot.

One LiveKnowledgeBase and one QuestionLog are shared by both channels.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress
from typing import Any

from aiohttp import web

from kb.question_log import QuestionLog
from kb.settings import KbSettings

logger = logging.getLogger("bot")

try:
    from bot.web.app import create_web_app, run_web
    from bot.web.settings import WebSettings
except ModuleNotFoundError as missing:  # the web channel has not landed yet: serve a placeholder
    if not (missing.name or "").startswith("bot.web"):
        raise
    from pydantic_settings import BaseSettings, SettingsConfigDict

    class WebSettings(BaseSettings):  # type: ignore[no-redef]
        model_config = SettingsConfigDict(env_prefix="KB_WEB_", env_file=".env", extra="ignore")
        host: str = "127.0.0.1"
        port: int = 8080

    def create_web_app(kb: Any, log: Any, settings: Any) -> web.Application:  # type: ignore[misc]
        async def index(request: web.Request) -> web.Response:
            return web.Response(text="万州区知识产权政策助手：网页版尚未安装。\n", charset="utf-8")

        async def healthz(request: web.Request) -> web.Response:
            return web.json_response({"ok": True, "version": kb.version})

        app = web.Application()
        app.router.add_get("/", index)
        app.router.add_get("/healthz", healthz)
        return app

    async def run_web(app: web.Application, host: str, port: int) -> web.AppRunner:  # type: ignore[misc]
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        return runner


async def main(host: str | None = None, port: int | None = None) -> None:
    """Serve until SIGINT or SIGTERM, then stop polling, close the sessions and the log."""
    from bot.telegram.settings import BotSettings
    from kb.service import LiveKnowledgeBase

    kb_settings = KbSettings()
    bot_settings = BotSettings()
    web_settings = WebSettings()
    kb = LiveKnowledgeBase(kb_settings)
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
            if telegram is not None and not telegram.webhook:
                telegram.start_polling()
            elif telegram is not None:
                logger.info("Telegram bot: webhook on %s", bot_settings.webhook_path)
            await _until_signalled()
        finally:
            if telegram is not None:
                await telegram.stop()
            await runner.cleanup()
    finally:
        log.close()
        with suppress(Exception):
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
