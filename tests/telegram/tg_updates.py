"""Builders of Telegram updates as the Bot API sends them (plain dicts)."""

from __future__ import annotations

import itertools
import time
from typing import Any

BOT = {"id": 42, "is_bot": True, "first_name": "万州知识产权助手", "username": "wz_ip_bot"}
USER = {"id": 1001, "is_bot": False, "first_name": "李<经理>", "language_code": "zh-hans"}
OTHER = {"id": 1002, "is_bot": False, "first_name": "王会计"}
STAFF = {"id": 7, "is_bot": False, "first_name": "窗口小张"}
GROUP = {"id": -100500, "type": "supergroup", "title": "万州企业交流群"}


def private_chat(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Updates:
    """Numbers updates, messages and callback queries like Telegram does."""

    def __init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    def update(self, **payload: Any) -> dict[str, Any]:
        return {"update_id": next(self._update_ids), **payload}

    def message_dict(self, text: str | None = None, *, user: dict[str, Any] = USER,
                     chat: dict[str, Any] | None = None, reply_to: dict[str, Any] | None = None,
                     **content: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": chat or private_chat(user), "from": user, **content,
        }
        if text is not None:
            message["text"] = text
            entities = []
            if text.startswith("/"):
                entities.append({"type": "bot_command", "offset": 0,
                                 "length": _utf16_len(text.split()[0])})
            mention = "@" + BOT["username"]
            if mention in text:
                entities.append({"type": "mention", "offset": _utf16_len(text[: text.index(mention)]),
                                 "length": len(mention)})
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    def message(self, text: str | None = None, **kwargs: Any) -> dict[str, Any]:
        return self.update(message=self.message_dict(text, **kwargs))

    def edited(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        edited = {**message, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        return self.update(edited_message=edited)

    def sticker(self, **kwargs: Any) -> dict[str, Any]:
        sticker = {"file_id": "CAAC", "file_unique_id": "u1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
        return self.message(sticker=sticker, **kwargs)

    def callback(self, message: dict[str, Any], data: str, *, user: dict[str, Any] = USER
                 ) -> dict[str, Any]:
        return self.update(callback_query={
            "id": str(next(self._callback_ids)), "from": user, "chat_instance": "ci-1",
            "message": message, "data": data,
        })


def bot_message(request: Any, message_id: int = 500, chat: dict[str, Any] | None = None
                ) -> dict[str, Any]:
    """The message a recorded SendMessage request became (for pressing its buttons)."""
    markup = getattr(request, "reply_markup", None)
    message = {"message_id": message_id, "date": int(time.time()),
               "chat": chat or {"id": request.chat_id, "type": "private"}, "from": BOT,
               "text": request.text}
    if markup is not None:
        message["reply_markup"] = markup.model_dump(mode="json", exclude_none=True)
    return message


def buttons(markup: Any) -> list[tuple[str, str]]:
    """(text, callback_data) of every button of a keyboard (object or dict)."""
    if markup is None:
        return []
    rows = markup["inline_keyboard"] if isinstance(markup, dict) else markup.inline_keyboard
    out = []
    for row in rows:
        for b in row:
            out.append((b["text"], b.get("callback_data")) if isinstance(b, dict)
                       else (b.text, b.callback_data))
    return out


def button(markup: Any, label: str) -> str:
    """The callback data of the button whose text contains ``label``."""
    for text, data in buttons(markup):
        if label in text:
            return data
    raise AssertionError(f"no button {label!r} in {buttons(markup)}")
