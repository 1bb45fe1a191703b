"""A loopback fake of the Telegram Bot API (aiohttp), for end-to-end tests of the real polling loop.

Serves ``/bot<token>/<method>`` on 127.0.0.1 at a free port (``base_url`` is what TELEGRAM_API_URL
takes). ``getUpdates`` long-polls over a queue the test fills (``user_sends``, ``press``, ``edit``);
replies are stored as messages so that their buttons can be pressed. Every call is recorded, and
``expect(method, where)`` gives a future the server resolves when a matching call arrives.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from tg_updates import BOT, USER, Updates, private_chat

JSON_FIELDS = {"reply_markup", "reply_parameters", "commands", "scope", "allowed_updates", "entities",
               "link_preview_options"}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "cache_time"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None


@dataclass
class _Waiter:
    method: str
    where: Callable[[Call], bool] | None
    count: int
    future: asyncio.Future[Any] = field(repr=False)
    seen: list[Call] = field(default_factory=list)


class FakeBotApi:
    def __init__(self, token: str = "42:TEST") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates = Updates()
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self._queue: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()
        self._waiters: list[_Waiter] = []
        self._bot_message_ids = iter(range(10_000, 10**9))
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # ---- server ---------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def close(self) -> None:
        self._closing = True
        self._arrived.set()  # pending long polls return at once
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"},
                                     status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        if method == "getUpdates":  # a long poll: "the bot is listening" is known on arrival
            self._notify(call)
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            result: Any = None
            response = web.json_response({"ok": False, "error_code": 404,
                                          "description": "Not Found: method not found"}, status=404)
        else:
            result = await handler(params)
            response = web.json_response({"ok": True, "result": result})
        call.result = result
        if method != "getUpdates":  # others once answered, so that the result is known
            self._notify(call)
        return response

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        params: dict[str, Any] = {}
        for key, value in (await request.post()).items():
            value = str(value)
            if key in JSON_FIELDS or value in ("true", "false"):
                params[key] = json.loads(value)
            elif key in INT_FIELDS:
                params[key] = int(value)
            else:
                params[key] = value
        return params

    # ---- synchronisation ------------------------------------------------------------------------
    def expect(self, method: str, where: Callable[[Call], bool] | None = None) -> asyncio.Future[Call]:
        """A future resolved by the next call of ``method`` (matching ``where``) from now on."""
        return self._wait(method, where, 1)

    def expect_many(self, method: str, count: int, where: Callable[[Call], bool] | None = None
                    ) -> asyncio.Future[list[Call]]:
        """A future resolved with the next ``count`` matching calls."""
        return self._wait(method, where, count)

    def _wait(self, method: str, where: Callable[[Call], bool] | None, count: int) -> asyncio.Future[Any]:
        waiter = _Waiter(method, where, count, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        return waiter.future

    def _notify(self, call: Call) -> None:
        for waiter in list(self._waiters):
            if waiter.future.done():
                self._waiters.remove(waiter)
            elif waiter.method == call.method and (waiter.where is None or waiter.where(call)):
                waiter.seen.append(call)
                if len(waiter.seen) == waiter.count:
                    waiter.future.set_result(waiter.seen[0] if waiter.count == 1 else waiter.seen)
                    self._waiters.remove(waiter)

    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls
                if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)]

    # ---- what users do ----------------------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        self._queue.append(update)
        self._arrived.set()
        return update

    def user_sends(self, text: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """Queue a message from a user; returns the message (to edit it or reply to it)."""
        update = self.updates.message(text, **kwargs)
        message = update["message"]
        self._remember(message)
        self.push(update)
        return message

    def edit(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        update = self.push(self.updates.edited(message, text))
        return update["edited_message"]

    def press(self, message: dict[str, Any], data: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a button press on a message the bot sent (or any callback data at all)."""
        return self.push(self.updates.callback(message, data, **kwargs))

    def _remember(self, message: dict[str, Any]) -> None:
        self.chats[message["chat"]["id"]] = message["chat"]
        self.messages[(message["chat"]["id"], message["message_id"])] = message

    # ---- Bot API methods ----------------------------------------------------------------------------
    async def api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT

    async def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset", 0)
        limit = params.get("limit", 100)
        timeout = params.get("timeout", 0)
        # updates below the offset are confirmed: forget them (as Telegram does)
        self._queue = [u for u in self._queue if u["update_id"] >= offset]
        if not self._queue and timeout and not self._closing:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout)
            except TimeoutError:
                pass
        return self._queue[:limit]

    async def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params["chat_id"]
        chat = self.chats.get(chat_id) or (private_chat({"id": chat_id, "first_name": "?"})
                                           if chat_id > 0 else {"id": chat_id, "type": "supergroup"})
        message: dict[str, Any] = {"message_id": next(self._bot_message_ids), "date": int(time.time()),
                                   "chat": chat, "from": BOT, "text": params["text"]}
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        reply = params.get("reply_parameters") or {}
        if (replied := self.messages.get((chat_id, reply.get("message_id", -1)))) is not None:
            message["reply_to_message"] = replied
        self._remember(message)
        return message

    async def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self.messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            return True
        message.update(text=params["text"])
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    async def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self.messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            return True
        message["reply_markup"] = params.get("reply_markup", {"inline_keyboard": []})
        return message

    async def api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params["chat_id"]
        return self.chats.get(chat_id) or {"id": chat_id, "type": "private", "first_name": "?"}

    async def _true(self, params: dict[str, Any]) -> bool:
        return True

    api_answerCallbackQuery = _true
    api_setMyCommands = _true
    api_deleteWebhook = _true
    api_setWebhook = _true
    api_deleteMessage = _true
    api_sendChatAction = _true


# ---- helpers for tests ------------------------------------------------------------------------------
TIMEOUT = 15


async def within(future: asyncio.Future[Any]) -> Any:
    return await asyncio.wait_for(future, TIMEOUT)


def to_chat(chat_id: int, contains: str | None = None):
    def match(call: Call) -> bool:
        return call.params.get("chat_id") == chat_id and (contains is None or contains in call.params["text"])
    return match


async def ask(api: FakeBotApi, text: str, user=USER, **kwargs) -> Call:
    reply = api.expect("sendMessage", to_chat(kwargs.get("chat", {}).get("id", user["id"])))
    api.user_sends(text, user=user, **kwargs)
    return await within(reply)
