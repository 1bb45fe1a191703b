"""Data models shared by the knowledge base and every channel (the answer contract)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class IndicatorRow(BaseModel):
    """One row of an indicator table (专栏1): what the plan recorded for 2020 and targeted for 2025."""

    number: int
    indicator: str
    baseline: str
    target: str
    attribute: str
    baseline_year: int
    target_year: int


class Unit(BaseModel):
    """A citable piece of a plan: chapter, section, box, measure, box item or paragraph."""

    id: str
    plan_id: str
    kind: Literal["preamble", "chapter", "section", "box", "measure", "box_item", "paragraph", "goal"]
    heading: str
    path: list[str]
    text: str
    order: int
    parent: str | None = None
    rows: list[IndicatorRow] = Field(default_factory=list)
    source_line: int = 0

    @property
    def body(self) -> str:
        """Text without the lead phrase when the unit opens with its own heading."""
        if self.text.startswith(self.heading):
            return self.text[len(self.heading):].lstrip("。.：: ")
        return self.text


class Citation(BaseModel):
    id: str
    title: str
    path: list[str]
    quote: str
    score: float
    plan: str = ""
    period: str = ""
    reference: str = ""


class Matched(BaseModel):
    kind: Literal["faq", "unit", "contact", "figure", "none", "clarify"]
    id: str | None = None


class Suggestion(BaseModel):
    """A "您是不是想问" choice: a question the user can pick instead."""

    question: str
    kind: Literal["faq", "unit", "contact"]
    id: str


class Answer(BaseModel):
    question: str
    answered: bool
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    matched: Matched = Field(default_factory=lambda: Matched(kind="none"))
    suggestions: list[Suggestion] = Field(default_factory=list)
    topic: str | None = None
    contacts: list[str] = Field(default_factory=list)
