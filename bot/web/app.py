"""The aiohttp application: routes, middlewares (CORS, errors, rate limit) and security headers."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.web import api, messages, pages
from bot.web.clients import RateLimiter, parse_networks, retry_after_seconds
from bot.web.errors import WebError
from bot.web.answers import AnswerCache
from bot.web.keys import (ANSWERS_KEY, ASSETS_KEY, KB_KEY, LIMITER_KEY, LOG_KEY, SETTINGS_KEY, TRUSTED_KEY,
                          client_of)
from bot.web.settings import WebSettings
from kb.errors import KbError

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MAX_BODY_BYTES = 1024 * 1024  # aiohttp's default; /api/* refuses bodies over 64 KiB itself
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(request: web.Request, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> web.StreamResponse:
    if wants_json(request):
        return api.json_response({"error": code, "message": message}, status=status, headers=headers)
    body = f'<h1>{pages.esc(message)}</h1><p><a href="/">返回提问</a> · <a href="/plan">浏览规划全文</a></p>'
    response = pages.page(request, "出错了", body, status=status)
    response.headers.update(headers or {})
    return response


_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "request_too_large",
          429: "rate_limited"}
_KEPT_HEADERS = ("Allow", "Retry-After")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The one place that turns failures into responses: JSON for /api/*, a short page elsewhere."""
    try:
        return await handler(request)
    except WebError as refused:
        return error_response(request, refused.status, refused.code, refused.message, refused.headers)
    except web.HTTPException as http:
        if http.status < 400:
            raise
        kept = {k: http.headers[k] for k in _KEPT_HEADERS if k in http.headers}
        return error_response(request, http.status, _CODES.get(http.status, "http_error"),
                              messages.status_message(http.status), kept)
    except KbError:
        log.exception("knowledge base error on %s", request.path)
        return error_response(request, 503, "kb_unavailable", messages.KB_UNAVAILABLE)
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        log.exception("unexpected error on %s", request.path)
        return error_response(request, 500, "internal_error", messages.INTERNAL_ERROR)


def _limited(request: web.Request) -> bool:
    """Questions and API calls count towards the limit; pages, static files and /healthz do not."""
    if request.method == "OPTIONS":
        return False
    if request.path.startswith("/api/"):
        return True
    return request.path == "/" and bool(request.query.get("q", "").strip())


@web.middleware
async def rate_limit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    limiter = request.app[LIMITER_KEY]
    if limiter.enabled and _limited(request):
        wait = limiter.hit(client_of(request))
        if wait > 0:
            seconds = retry_after_seconds(wait)
            raise WebError(429, "rate_limited", messages.too_many(seconds), {"Retry-After": str(seconds)})
    return await handler(request)


def cors_middleware(origins: list[str]) -> Any:
    """Allow the listed origins (or ``*``) to call /api/*; only installed when origins are configured."""
    any_origin = "*" in origins

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        allowed = origin is not None and request.path.startswith("/api/") and (any_origin or origin in origins)
        if allowed and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response: web.StreamResponse = web.Response(status=204)
            response.headers["Access-Control-Allow-Methods"] = "GET, POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
        else:
            response = await handler(request)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = "*" if any_origin else origin
            if not any_origin:
                response.headers["Vary"] = "Origin"
        return response

    return middleware


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = "wanzhou-ip"  # not aiohttp's name and version
    if wants_json(request):
        response.headers.setdefault("Cache-Control", "no-store")
    elif request.path.startswith("/static/") and request.query.get("v"):
        response.headers["Cache-Control"] = "public, max-age=604800, immutable"


def _asset_urls() -> dict[str, str]:
    urls = {}
    for name in ("app.js", "style.css"):
        digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
        urls[name] = f"/static/{name}?v={digest}"
    return urls


def create_web_app(kb: Any, log: Any, settings: WebSettings) -> web.Application:
    """The web application over a knowledge base (``answer()`` etc.) and a QuestionLog."""
    middlewares = [error_middleware, rate_limit_middleware]
    if settings.cors_origins:
        middlewares.insert(0, cors_middleware(settings.cors_origins))
    app = web.Application(middlewares=middlewares, client_max_size=MAX_BODY_BYTES)
    app[KB_KEY] = kb
    app[LOG_KEY] = log
    app[ANSWERS_KEY] = AnswerCache(kb, settings.answer_cache_size)
    app[SETTINGS_KEY] = settings
    app[LIMITER_KEY] = RateLimiter(settings.rate_limit)
    app[TRUSTED_KEY] = parse_networks(settings.trusted_proxies)
    app[ASSETS_KEY] = _asset_urls()
    pages.add_routes(app)
    api.add_routes(app)
    app.router.add_static("/static", STATIC_DIR, show_index=False, follow_symlinks=False)
    app.on_response_prepare.append(_security_headers)
    return app


async def run_web(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start serving ``app`` on host:port; the caller awaits ``runner.cleanup()`` when done.

    Objects alive now (above all the loaded knowledge base: jieba's dictionary, the index) are
    frozen out of the garbage collector's full passes, which otherwise stall every request for
    ~100–200 ms now and then under load.
    """
    gc.collect()
    gc.freeze()
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
