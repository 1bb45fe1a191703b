"""Inline keyboards, one small function each.

Built as plain rows of ``InlineKeyboardButton``: aiogram's ``InlineKeyboardBuilder`` deep-copies the
whole markup on every button added, which cost more per answer than the search itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import texts
from bot.telegram.callback_data import AskCb, ContactCb, FeedbackCb, RelatedCb, SourceCb, TopicCb

if TYPE_CHECKING:
    from kb.corpus_models import Topic
    from kb.models import Answer, Citation

MAX_SOURCES = 3
MAX_QUESTION_BUTTONS = 5
BUTTON_TEXT_CHARS = 60

Rows = list[list[InlineKeyboardButton]]


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _label(question: str) -> str:
    question = " ".join(question.split())
    return question if len(question) <= BUTTON_TEXT_CHARS else question[: BUTTON_TEXT_CHARS - 1] + "…"


def _question_rows(questions: Sequence[str]) -> Rows:
    """One button a row per question; pressing it asks the question written on it (``AskCb``)."""
    return [[_button(_label(q), AskCb(i=i))] for i, q in enumerate(questions[:MAX_QUESTION_BUTTONS])]


def topics_kb(topics: Iterable[Topic]) -> InlineKeyboardMarkup:
    """The topic buttons of /start and /topics (topics marked ``button: true``), two a row."""
    shown = [_button(t.label, TopicCb(t=t.id)) for t in topics if t.button]
    return InlineKeyboardMarkup(inline_keyboard=[shown[i:i + 2] for i in range(0, len(shown), 2)])


def topic_kb(topic: Topic) -> InlineKeyboardMarkup:
    """A topic's example questions, then its 联系部门 button."""
    rows = _question_rows(topic.examples)
    rows.append([_button(texts.BUTTON_CONTACT, ContactCb(q=0, t=topic.id))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def answer_kb(answer: Answer, question_id: int) -> InlineKeyboardMarkup:
    """查看原文 / 相关条目 / 联系部门 / 👍 👎, then the "您是不是想问" questions."""
    rows: Rows = []
    sources = _unique_units(answer.citations)[:MAX_SOURCES]
    contact = _button(texts.BUTTON_CONTACT, ContactCb(q=question_id, t=answer.topic or ""))
    if sources:
        rows.append([_button(texts.BUTTON_SOURCE if n == 0 else f"📄 原文{n + 1}",
                             SourceCb(q=question_id, u=unit_id)) for n, unit_id in enumerate(sources)])
        rows.append([_button(texts.BUTTON_RELATED, RelatedCb(q=question_id)), contact])
    else:
        rows.append([contact])
    rows.append([_button(texts.BUTTON_UP, FeedbackCb(q=question_id, v=1)),
                 _button(texts.BUTTON_DOWN, FeedbackCb(q=question_id, v=-1))])
    rows.extend(_question_rows([s.question for s in answer.suggestions]))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def related_kb(citations: Sequence[Citation], question_id: int) -> InlineKeyboardMarkup | None:
    row = [_button(f"📄 原文{n}", SourceCb(q=question_id, u=c.id)) for n, c in enumerate(citations, 1)]
    return InlineKeyboardMarkup(inline_keyboard=[row[i:i + 3] for i in range(0, len(row), 3)]) if row else None


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard with the 👍 / 👎 row removed (after a vote)."""
    if markup is None:
        return None
    prefix = FeedbackCb.__prefix__ + FeedbackCb.__separator__
    rows = [[b for b in row if not (b.callback_data or "").startswith(prefix)]
            for row in markup.inline_keyboard]
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


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
    return list(dict.fromkeys(c.id for c in citations))
