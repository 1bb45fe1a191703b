"""Errors a web handler raises on purpose; the error middleware turns them into a response."""

from __future__ import annotations


class WebError(Exception):
    """A refusal with a status, a machine-readable code and a polite message for the person asking."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
