"""Helpers for the web tests: settings without the environment, knowledge bases that misbehave on purpose.

Imported by bare name (``from web_support import ...``): pytest puts this folder on sys.path.
"""

from __future__ import annotations

from typing import Any

from bot.web.settings import WebSettings


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
