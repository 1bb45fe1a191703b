"""``python -m bot``: the web chat, and the Telegram bot when TELEGRAM_BOT_TOKEN is set."""

from bot.app import run

run()
