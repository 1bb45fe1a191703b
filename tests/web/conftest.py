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


class CannedKb:
    """The real knowledge base, except for the questions given a canned answer."""

    def __init__(self, kb: Any, canned: dict[str, Any]):
        self._kb = kb
        self._canned = canned

    @property
    def current(self) -> "CannedKb":
        return self

    def answer(self, question: str) -> Any:
        return self._canned.get(question) or self._kb.answer(question)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._kb, name)


def clarifying_answer(kb: Any, question: str, choices: list[str]) -> Any:
    """An answer offering "您是不是想问" choices, as the knowledge base gives for vague questions."""
    from kb.models import Answer, Matched, Suggestion

    return Answer(question=question, answered=False, answer="您是不是想问：\n" + "\n".join(choices),
                  matched=Matched(kind="clarify"),
                  suggestions=[Suggestion(question=c, kind="faq", id=f"faq-{i}") for i, c in enumerate(choices)])


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
