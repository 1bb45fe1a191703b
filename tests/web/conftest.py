"""Fixtures for the web channel: an app over the real knowledge base, served by aiohttp's test server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from web_support import web_settings

from bot.web.app import create_web_app

MakeClient = Callable[..., Awaitable[TestClient]]


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
