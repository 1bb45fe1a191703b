"""The answer buttons: 查看原文, 相关条目, 联系部门, 👍 / 👎.

Every button is checked against what exists now; anything unknown (forged, or from an older index,
or from before a restart) gets "该条目已更新，请重新提问" as the callback answer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from bot.telegram import texts
from bot.telegram.answering import send_messages
from bot.telegram.callback_data import ContactCb, FeedbackCb, RelatedCb, SourceCb
from bot.telegram.keyboards import related_kb, without_feedback

if TYPE_CHECKING:
    from kb.question_log import QuestionLog
    from kb.service import KnowledgeBase

    from bot.telegram.recent import RecentQuestions

logger = logging.getLogger(__name__)


async def stale(query: CallbackQuery) -> None:
    await query.answer(texts.STALE, show_alert=True)


async def show_source(query: CallbackQuery, callback_data: SourceCb, bot: Bot, kb: KnowledgeBase) -> None:
    unit = kb.unit(callback_data.u)
    if unit is None or query.message is None:
        await stale(query)
        return
    await query.answer()
    await send_messages(bot, query.message.chat.id, texts.render_unit(unit, kb.reference(unit.id)), None)


async def show_related(query: CallbackQuery, callback_data: RelatedCb, bot: Bot, kb: KnowledgeBase,
                       recent: RecentQuestions) -> None:
    asked = recent.get(callback_data.q)
    if asked is None or query.message is None:
        await stale(query)
        return
    citations = kb.related(asked.question, exclude=list(asked.cited), k=3)
    if not citations:
        await query.answer(texts.NO_MORE_RELATED, show_alert=True)
        return
    await query.answer()
    await bot.send_message(query.message.chat.id, texts.render_related(citations, kb.reference),
                           reply_markup=related_kb(citations, callback_data.q))


async def show_contact(query: CallbackQuery, callback_data: ContactCb, bot: Bot, kb: KnowledgeBase) -> None:
    topic_id = callback_data.t or None
    if (topic_id is not None and kb.topic(topic_id) is None) or query.message is None:
        await stale(query)
        return
    await query.answer()
    await bot.send_message(query.message.chat.id, texts.render_contact(kb.contact_card(topic_id)))


async def give_feedback(query: CallbackQuery, callback_data: FeedbackCb, log: QuestionLog) -> None:
    if callback_data.v not in (1, -1) or not log.feedback(callback_data.q, query.from_user.id,
                                                           callback_data.v):
        await stale(query)
        return
    await query.answer(texts.FEEDBACK_THANKS[callback_data.v])
    if isinstance(query.message, Message):
        try:  # the vote is stored either way; hiding the buttons is a courtesy
            await query.message.edit_reply_markup(reply_markup=without_feedback(query.message.reply_markup))
        except TelegramBadRequest as exc:
            logger.info("could not remove the feedback buttons: %s", exc)


def create_router() -> Router:
    router = Router(name="callbacks")
    router.callback_query.register(show_source, SourceCb.filter())
    router.callback_query.register(show_related, RelatedCb.filter())
    router.callback_query.register(show_contact, ContactCb.filter())
    router.callback_query.register(give_feedback, FeedbackCb.filter())
    return router
