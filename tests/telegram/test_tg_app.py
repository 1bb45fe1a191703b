"""The run command as a new user would start it, and webhook mode on the web app."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

import aiohttp
from tg_fake_bot_api import FakeBotApi, ask, to_chat, within
from tg_updates import STAFF, USER, Updates, buttons

from bot.telegram import texts
from bot.telegram.channel import TelegramChannel
from bot.telegram.settings import BotSettings
from bot.web.app import create_web_app, run_web
from bot.web.settings import WebSettings
from kb.settings import PROJECT_ROOT

START_TIMEOUT = 90  # a fresh interpreter imports aiogram, jieba and opens the index


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(built_settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WEBHOOK_", "BOT_", "KB_"))}
    env.update(KB_CORPUS_DIR=str(built_settings.corpus_dir), KB_DATA_DIR=str(built_settings.data_dir),
               KB_WEB_HOST="127.0.0.1", PYTHONPATH=str(PROJECT_ROOT), **extra)
    return env


async def run_bot(env: dict[str, str], cwd) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", env=env, cwd=cwd,
                                                stderr=asyncio.subprocess.PIPE)


async def read_until(proc: asyncio.subprocess.Process, marker: str) -> str:
    seen = []
    async def scan() -> str:
        while line := await proc.stderr.readline():
            seen.append(line.decode())
            if marker in seen[-1]:
                return "".join(seen)
        raise AssertionError("process ended before %r:\n%s" % (marker, "".join(seen)))
    return await asyncio.wait_for(scan(), START_TIMEOUT)


async def stop(proc: asyncio.subprocess.Process, sig: signal.Signals) -> str:
    proc.send_signal(sig)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    return err.decode()


async def test_run_command_with_token_answers_through_the_api_url(built_settings, tmp_path):
    api = FakeBotApi()
    await api.start()
    port = free_port()
    polling = api.expect("getUpdates")
    proc = await run_bot(clean_env(built_settings, TELEGRAM_BOT_TOKEN=api.token,
                                   TELEGRAM_API_URL=api.base_url, KB_WEB_PORT=str(port)), tmp_path)
    try:
        await asyncio.wait_for(polling, START_TIMEOUT)
        reply = await ask(api, "网上有人卖我们品牌的仿冒货，该找谁")
        assert "《万州区知识产权“十四五”规划》" in reply.params["text"]
        assert texts.BUTTON_CONTACT in [t for t, _ in buttons(reply.params["reply_markup"])]
        async with aiohttp.ClientSession() as http:  # the same process serves the web chat
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200
        log = await stop(proc, signal.SIGTERM)
        assert "Telegram bot is off" not in log and "stopped" in log
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await api.close()


async def test_run_command_without_token_serves_the_web_chat_only(built_settings, tmp_path):
    port = free_port()
    proc = await run_bot(clean_env(built_settings, KB_WEB_PORT=str(port)), tmp_path)
    try:
        log = await read_until(proc, "web chat: http://")
        assert "Telegram bot is off" in log
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/") as response:
                assert response.status == 200
        await stop(proc, signal.SIGINT)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_webhook_mode_on_the_web_app(live_kb, question_log):
    api = FakeBotApi()
    await api.start()
    settings = BotSettings(_env_file=None, token=api.token, api_url=api.base_url,
                           webhook_url="https://bot.example.org/tg/hook", webhook_secret="s3cret",
                           staff_ids=[STAFF["id"]])
    channel = TelegramChannel.create(live_kb, question_log, settings)
    app = create_web_app(live_kb, question_log, WebSettings(_env_file=None))
    channel.mount(app)
    webhook_set = api.expect("setWebhook")
    runner = await run_web(app, "127.0.0.1", 0)
    try:
        hook = await within(webhook_set)
        assert hook.params["url"] == "https://bot.example.org/tg/hook"
        assert hook.params["secret_token"] == "s3cret"
        assert "callback_query" in hook.params["allowed_updates"]
        host, port = runner.addresses[0][:2]
        url = f"http://{host}:{port}/tg/hook"
        update = Updates().message("专利可以拿去贷款吗")
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update) as response:
                assert response.status == 401  # no secret: refused
            reply = api.expect("sendMessage", to_chat(USER["id"]))
            async with http.post(url, json=update,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}) as response:
                assert response.status == 200
            reply = await within(reply)
        assert "促进知识产权与金融业融合发展" in reply.params["text"] or "知识产权金融" in reply.params["text"]
    finally:
        await runner.cleanup()  # closes the bot session
        await api.close()
    assert channel.bot.session._session is None or channel.bot.session._session.closed


async def test_run_command_reports_a_busy_port_in_one_line(built_settings, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        proc = await run_bot(clean_env(built_settings, KB_WEB_PORT=str(busy.getsockname()[1])), tmp_path)
        _, err = await asyncio.wait_for(proc.communicate(), START_TIMEOUT)
    assert proc.returncode == 1
    assert "cannot start:" in err.decode() and "Traceback" not in err.decode()
