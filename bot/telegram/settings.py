"""Telegram bot settings (environment variables or a ``.env`` file)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _env(name: str) -> AliasChoices:
    # the field name keeps working as a keyword argument (tests, code), the env name from outside
    return AliasChoices(name, name.lower())


class BotSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    token: SecretStr | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    api_url: str | None = Field(
        None, validation_alias=_env("TELEGRAM_API_URL"),
        description="Base URL of another Bot API server (a local server, a test server)",
    )
    webhook_url: str | None = Field(None, validation_alias=_env("WEBHOOK_URL"))
    webhook_secret: SecretStr | None = Field(None, validation_alias=_env("WEBHOOK_SECRET"))
    staff_ids: Annotated[frozenset[int], NoDecode] = Field(
        frozenset(), validation_alias=_env("BOT_STAFF_IDS")
    )
    rate_limit: int = Field(20, ge=0, validation_alias=_env("BOT_RATE_LIMIT"),
                            description="questions per user a minute; 0 disables the limit")
    rate_window: float = Field(60.0, gt=0, validation_alias=_env("BOT_RATE_WINDOW"))
    max_question_chars: int = Field(500, ge=10, validation_alias=_env("BOT_MAX_QUESTION_CHARS"))

    @field_validator("api_url", "webhook_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("token", "webhook_secret", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("staff_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept ``123,456``, ``123 456`` or a JSON list ``[123, 456]``."""
        if isinstance(value, str):
            return [part for part in value.replace("[", " ").replace("]", " ")
                    .replace(",", " ").split() if part]
        if isinstance(value, int):
            return [value]
        return value

    @property
    def webhook_path(self) -> str:
        """The path the webhook is served on (the path part of ``WEBHOOK_URL``)."""
        path = urlsplit(self.webhook_url or "").path
        return path if path and path != "/" else "/telegram/webhook"

    @property
    def enabled(self) -> bool:
        return self.token is not None
