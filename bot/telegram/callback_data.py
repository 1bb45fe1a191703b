"""Callback data of the inline buttons (aiogram's CallbackData factory).

Telegram allows 64 bytes. Every button carries only small ids: the logged question id ``q``, a plan
unit id ``u`` (``plan:5.1.3``), a topic id ``t`` or an index. Unit ids contain ``:``, so the separator
is ``|``. Anything that does not unpack, or refers to something that no longer exists, is answered
with "该条目已更新，请重新提问" (see ``handlers/callbacks.py`` and ``handlers/fallback.py``).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class SourceCb(CallbackData, prefix="src", sep="|"):
    """查看原文: the full text of a plan unit."""

    q: int
    u: str


class RelatedCb(CallbackData, prefix="rel", sep="|"):
    """相关条目: further results for logged question ``q``."""

    q: int


class ContactCb(CallbackData, prefix="ct", sep="|"):
    """联系部门: the contact card of topic ``t`` ("" when the topic is unknown)."""

    q: int
    t: str


class FeedbackCb(CallbackData, prefix="fb", sep="|"):
    """👍 (v=1) / 👎 (v=-1) for logged question ``q``."""

    q: int
    v: int


class TopicCb(CallbackData, prefix="tp", sep="|"):
    """A topic button: open topic ``t``."""

    t: str


class AskCb(CallbackData, prefix="ask", sep="|"):
    """Ask the question written on button number ``i`` (您是不是想问, a topic's example questions).

    The question is read back from the button's own label in the message's keyboard, which
    Telegram sends with the callback, so nothing needs to be remembered and nothing can be forged.
    """

    i: int
