"""Routers, one per handler module, built fresh for every Dispatcher (a Router attaches to one only)."""

from __future__ import annotations

from aiogram import Router

from bot.telegram.handlers import callbacks, errors, fallback, media, question, staff, start, topics
from bot.telegram.middlewares import SlidingWindowLimiter


def get_routers(limiter: SlidingWindowLimiter) -> list[Router]:
    """In matching order; the fallback router comes last."""
    return [
        errors.create_router(),
        staff.create_router(),
        start.create_router(),
        topics.create_router(),
        callbacks.create_router(),
        question.create_router(limiter),
        media.create_router(),
        fallback.create_router(),
    ]
