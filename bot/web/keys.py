"""Objects shared through the aiohttp application (``web.AppKey``), and small request helpers."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.web.answers import AnswerCache
from bot.web.clients import IPNetwork, RateLimiter, client_address
from bot.web.settings import WebSettings

KB_KEY: web.AppKey[Any] = web.AppKey("kb", object)
"""A LiveKnowledgeBase (or anything with its methods)."""
LOG_KEY: web.AppKey[Any] = web.AppKey("question_log", object)
"""A QuestionLog: record(channel, user, answer) -> id, feedback(id, user, value) -> bool."""
ANSWERS_KEY = web.AppKey("answers", AnswerCache)
SETTINGS_KEY = web.AppKey("web_settings", WebSettings)
LIMITER_KEY = web.AppKey("rate_limiter", RateLimiter)
TRUSTED_KEY: web.AppKey[list[IPNetwork]] = web.AppKey("trusted_proxies", list)
ASSETS_KEY: web.AppKey[dict[str, str]] = web.AppKey("asset_urls", dict)
"""Static file name -> URL with a content hash (``/static/app.js?v=…``), for long caching."""


CLIENT_KEY: Any = web.RequestKey("client", str) if hasattr(web, "RequestKey") else "client"  # aiohttp < 3.12


def client_of(request: web.Request) -> str:
    """The client address of a request (computed once per request)."""
    if CLIENT_KEY not in request:
        request[CLIENT_KEY] = client_address(
            request.remote, request.headers.getall("X-Forwarded-For", []), request.app[TRUSTED_KEY]
        )
    return request[CLIENT_KEY]
