"""Web settings (environment variables prefixed ``KB_WEB_``, or a ``.env`` file)."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KB_WEB_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8080
    rate_limit: int = 60
    """Questions a minute per client address; 0 disables the limit."""
    trusted_proxies: Annotated[list[str], NoDecode] = []
    """Peers (addresses or networks such as 10.0.0.0/8) whose X-Forwarded-For is believed."""
    max_question_chars: int = 500
    answer_cache_size: int = 2048
    """Answers kept per index version for repeated questions; 0 turns the cache off."""
    cors_origins: Annotated[list[str], NoDecode] = []
    """Origins allowed to call /api/* from another site; empty turns CORS off."""

    @field_validator("trusted_proxies", "cors_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        """Accept a JSON list (``["a","b"]``) or a comma-separated string (``a,b``)."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("rate_limit", "answer_cache_size")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be 0 (no limit) or more")
        return value

    @field_validator("max_question_chars")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be 1 or more")
        return value
