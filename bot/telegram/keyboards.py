"""Inline keyboards, one small function each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram import texts
from bot.telegram.callback_data import AskCb, ContactCb, FeedbackCb, RelatedCb, SourceCb, TopicCb

if TYPE_CHECKING:
    from kb.corpus_models import Topic
    from kb.models import Answer, Citation

MAX_SOURCES = 3
MAX_QUESTION_BUTTONS = 5
BUTTON_TEXT_CHARS = 60


def _label(question: str) -> str:
    question = " ".join(question.split())
    return question if len(question) <= BUTTON_TEXT_CHARS else question[: BUTTON_TEXT_CHARS - 1] + "…"


def topics_kb(topics: Iterable[Topic]) -> InlineKeyboardMarkup:
    """The topic buttons of /start and /topics (topics marked ``button: true``), two a row."""
    builder = InlineKeyboardBuilder()
    for topic in topics:
        if topic.button:
            builder.button(text=topic.label, callback_data=TopicCb(t=topic.id))
    builder.adjust(2)
    return builder.as_markup()


def _question_buttons(questions: Sequence[str]) -> InlineKeyboardBuilder:
    """One button a row per question; pressing it asks the question written on it (``AskCb``)."""
    builder = InlineKeyboardBuilder()
    for i, question in enumerate(questions[:MAX_QUESTION_BUTTONS]):
        builder.row(InlineKeyboardButton(text=_label(question), callback_data=AskCb(i=i).pack()))
    return builder


def topic_kb(topic: Topic) -> InlineKeyboardMarkup:
    """A topic's example questions, then its 联系部门 button."""
    builder = _question_buttons(topic.examples)
    builder.row(InlineKeyboardButton(text=texts.BUTTON_CONTACT,
                                     callback_data=ContactCb(q=0, t=topic.id).pack()))
    return builder.as_markup()


def answer_kb(answer: Answer, question_id: int) -> InlineKeyboardMarkup:
    """查看原文 / 相关条目 / 联系部门 / 👍 👎, then the "您是不是想问" questions."""
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    sources = _unique_units(answer.citations)[:MAX_SOURCES]
    for n, unit_id in enumerate(sources):
        text = texts.BUTTON_SOURCE if n == 0 else f"📄 原文{n + 1}"
        builder.button(text=text, callback_data=SourceCb(q=question_id, u=unit_id))
    if sources:
        sizes.append(len(sources))
        builder.button(text=texts.BUTTON_RELATED, callback_data=RelatedCb(q=question_id))
        builder.button(text=texts.BUTTON_CONTACT,
                       callback_data=ContactCb(q=question_id, t=answer.topic or ""))
        sizes.append(2)
    else:
        builder.button(text=texts.BUTTON_CONTACT,
                       callback_data=ContactCb(q=question_id, t=answer.topic or ""))
        sizes.append(1)
    builder.button(text=texts.BUTTON_UP, callback_data=FeedbackCb(q=question_id, v=1))
    builder.button(text=texts.BUTTON_DOWN, callback_data=FeedbackCb(q=question_id, v=-1))
    sizes.append(2)
    builder.adjust(*sizes)
    builder.attach(_question_buttons([s.question for s in answer.suggestions]))
    return builder.as_markup()


def related_kb(citations: Sequence[Citation], question_id: int) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    for n, citation in enumerate(citations, 1):
        builder.button(text=f"📄 原文{n}", callback_data=SourceCb(q=question_id, u=citation.id))
    builder.adjust(3)
    return builder.as_markup() if builder.buttons else None


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard with the 👍 / 👎 row removed (after a vote)."""
    if markup is None:
        return None
    prefix = FeedbackCb.__prefix__ + FeedbackCb.__separator__
    rows = [[b for b in row if not (b.callback_data or "").startswith(prefix)]
            for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def asked_question(markup: InlineKeyboardMarkup | None, callback_data: str) -> str | None:
    """The question written on the button that sent ``callback_data`` (None when not on the keyboard)."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == callback_data:
                return button.text.removesuffix("…")
    return None


def _unique_units(citations: Iterable[Citation]) -> list[str]:
    seen: list[str] = []
    for citation in citations:
        if citation.id not in seen:
            seen.append(citation.id)
    return seen
