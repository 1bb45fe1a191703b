"""Ask the knowledge base, log the question, send the answer with its buttons.

Shared by typed questions (``handlers/question.py``) and question buttons (您是不是想问, topic
examples). The knowledge base and the question log are synchronous and fast (milliseconds); they are
called directly on the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup, Message

from bot.telegram import texts
from bot.telegram.keyboards import answer_kb

if TYPE_CHECKING:
    from kb.models import Answer
    from kb.question_log import QuestionLog
    from kb.service import KnowledgeBase

    from bot.telegram.recent import RecentQuestions

CHANNEL = "telegram"


def render_answer_messages(answer: Answer, kb: KnowledgeBase, note: str | None = None) -> list[str]:
    """The answer as one message, or several when the answer text itself is very long."""
    card = None if answer.answered else kb.contact_card(answer.topic)
    pieces = texts.split_text(answer.answer, texts.ANSWER_CHUNK_CHARS)
    if len(pieces) == 1:
        return [texts.render_answer(answer, kb.reference, card, note)]
    head = [texts.esc(piece) for piece in pieces[:-1]]
    if note:
        head[0] = f"<i>{texts.esc(note)}</i>\n\n{head[0]}"
    last = answer.model_copy(update={"answer": pieces[-1]})
    return [*head, texts.render_answer(last, kb.reference, card)]


async def send_messages(bot: Bot, chat_id: int, pages: list[str], markup: InlineKeyboardMarkup | None,
                        reply_to: Message | None = None) -> None:
    """Send pages in order; the first replies to ``reply_to``, the last carries the keyboard."""
    for n, page in enumerate(pages):
        last = n == len(pages) - 1
        if n == 0 and reply_to is not None:
            await reply_to.reply(page, reply_markup=markup if last else None)
        else:
            await bot.send_message(chat_id, page, reply_markup=markup if last else None)


async def answer_question(
    bot: Bot,
    chat_id: int,
    user_id: int,
    question: str,
    *,
    kb: KnowledgeBase,
    log: QuestionLog,
    recent: RecentQuestions,
    note: str | None = None,
    reply_to: Message | None = None,
) -> Answer:
    answer = kb.answer(question)
    question_id = log.record(CHANNEL, user_id, answer)
    recent.remember(question_id, question, [c.id for c in answer.citations])
    pages = render_answer_messages(answer, kb, note)
    await send_messages(bot, chat_id, pages, answer_kb(answer, question_id), reply_to=reply_to)
    return answer
