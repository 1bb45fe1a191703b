"""Fixtures for the web channel: an app over the real knowledge base, served by aiohttp's test server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_web_app
from bot.web.settings import WebSettings

MakeClient = Callable[..., Awaitable[TestClient]]


def web_settings(**overrides: Any) -> WebSettings:
    """Settings that ignore the environment and any .env file."""
    return WebSettings(_env_file=None, **overrides)


class BrokenKb:
    """The real knowledge base, except that answer() raises what it is given."""

    def __init__(self, kb: Any, error: BaseException):
        self._kb = kb
        self._error = error

    @property
    def current(self) -> "BrokenKb":
        return self

    def answer(self, question: str) -> Any:
        raise self._error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._kb, name)


@pytest.fixture
def kb(live_kb):
    return live_kb


@pytest.fixture
async def make_client(kb, question_log) -> AsyncIterator[MakeClient]:
    """``await make_client(rate_limit=0, kb=..., ...)`` -> a started TestClient; all closed at the end."""
    clients: list[TestClient] = []

    async def make(*, kb_override: Any = None, **overrides: Any) -> TestClient:
        overrides.setdefault("rate_limit", 0)
        app = create_web_app(kb_override or kb, question_log, web_settings(**overrides))
        client = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def client(make_client) -> TestClient:
    return await make_client()
