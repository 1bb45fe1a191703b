"""Schemas of the files staff edit under ``corpus/`` (validated with pydantic)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_UNIT_ID = re.compile(r"^[a-z0-9]+:[a-z0-9.]+$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("id must be lower-case letters, digits and '-' (e.g. pledge-financing)")
    return value


class PlanMeta(Strict):
    id: str
    title: str
    issuer: str = ""
    period_start: int
    period_end: int
    vision_year: int | None = None
    status: Literal["in_force", "superseded"] = "in_force"
    note: str = ""

    @property
    def period(self) -> str:
        return f"{self.period_start}—{self.period_end}年"

    @property
    def cite_name(self) -> str:
        return f"《{self.title}》（{self.period}）"


class FaqEntry(Strict):
    id: str
    questions: list[str] = Field(min_length=3)
    answer: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    topics: list[str] = Field(min_length=1)
    contacts: list[str] = Field(default_factory=list)
    reviewed: dt.date
    # false: the plan does not answer these questions (amounts, fees, procedures it never sets); the
    # entry says so and whom to ask, and is given as the fallback (answered false, logged for staff)
    in_plan: bool = True

    _id = field_validator("id")(_check_id)

    @field_validator("questions")
    @classmethod
    def _questions_not_blank(cls, value: list[str]) -> list[str]:
        if any(not q.strip() for q in value):
            raise ValueError("a question is empty")
        return value

    @field_validator("sources")
    @classmethod
    def _unit_ids(cls, value: list[str]) -> list[str]:
        for unit_id in value:
            if not _UNIT_ID.match(unit_id):
                raise ValueError(f"'{unit_id}' is not a plan unit id such as plan:5.1.3")
        return value


class FaqFile(Strict):
    entries: list[FaqEntry] = Field(min_length=1)


class Contact(Strict):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    handles: list[str] = Field(min_length=1)
    topics: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    phone: str = ""
    address: str = ""
    hours: str = ""
    url: str = ""

    _id = field_validator("id")(_check_id)

    @property
    def reachable(self) -> bool:
        return bool(self.phone or self.address or self.url)


class ContactsFile(Strict):
    contacts: list[Contact] = Field(min_length=1)


class Topic(Strict):
    id: str
    label: str
    button: bool = False
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    contacts: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)

    _id = field_validator("id")(_check_id)


class TopicsFile(Strict):
    topics: list[Topic] = Field(min_length=1)


class EvalQuestion(Strict):
    q: str
    expect: list[str] = Field(default_factory=list)
    topic: str = ""
    figure: str = ""

    @property
    def in_scope(self) -> bool:
        return bool(self.expect)


class EvalFile(Strict):
    questions: list[EvalQuestion] = Field(min_length=1)
