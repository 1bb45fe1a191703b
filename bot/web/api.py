"""JSON API: /api/ask, /api/feedback, /api/units/<id>, /api/topics, /healthz."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.web import messages
from bot.web.answers import Answered, dumps
from bot.web.errors import WebError
from bot.web.keys import ANSWERS_KEY, KB_KEY, LOG_KEY, SETTINGS_KEY, client_of

CHANNEL = "web"
API_MAX_BODY_BYTES = 64 * 1024
"""An /api/* body larger than this is refused before it is read (the app's own bound is larger,
for the Telegram webhook that may be mounted on the same application)."""


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=dumps)


def checked_question(raw: object, limit: int) -> str:
    """The question, stripped; 400 when empty or not text, 413 when longer than ``limit``."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise WebError(400, "bad_request", messages.BAD_REQUEST)
    question = raw.strip()
    if not question:
        raise WebError(400, "empty_question", messages.EMPTY_QUESTION)
    if len(question) > limit:
        raise WebError(413, "question_too_long", messages.too_long(limit))
    return question


def ask_and_log(request: web.Request, question: str) -> tuple[Answered, int]:
    """Answer one question and log it; returns the answer and the question id for feedback."""
    answered = request.app[ANSWERS_KEY].answer(question)
    return answered, request.app[LOG_KEY].record(CHANNEL, client_of(request), answered.answer)


def answer_payload(request: web.Request, question: str) -> dict[str, Any]:
    """The answer contract plus ``question_id`` (for pages)."""
    answered, question_id = ask_and_log(request, question)
    return answered.payload(question_id)


def answer_response(request: web.Request, question: str) -> web.Response:
    answered, question_id = ask_and_log(request, question)
    return web.Response(body=answered.json_body(question_id), content_type="application/json",
                        charset="utf-8")


async def _json_body(request: web.Request) -> dict[str, Any]:
    if (request.content_length or 0) > API_MAX_BODY_BYTES:
        raise WebError(413, "request_too_large", messages.request_too_large())
    if request.content_type != "application/json":
        # Other sites' pages can POST text/plain without asking (no CORS preflight); JSON they cannot.
        raise WebError(415, "unsupported_media_type", messages.NOT_JSON)
    try:
        body = await request.json(loads=json.loads)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise WebError(400, "bad_request", messages.BAD_REQUEST) from None
    if not isinstance(body, dict):
        raise WebError(400, "bad_request", messages.BAD_REQUEST)
    return body


async def ask_get(request: web.Request) -> web.Response:
    question = checked_question(request.query.get("q"), request.app[SETTINGS_KEY].max_question_chars)
    return answer_response(request, question)


async def ask_post(request: web.Request) -> web.Response:
    body = await _json_body(request)
    question = checked_question(body.get("q"), request.app[SETTINGS_KEY].max_question_chars)
    return answer_response(request, question)


async def feedback(request: web.Request) -> web.Response:
    body = await _json_body(request)
    question_id, value = body.get("question_id"), body.get("value")
    if type(question_id) is not int or not 1 <= question_id < 2**63 or type(value) is not int \
            or value not in (1, -1):
        raise WebError(400, "bad_feedback", messages.BAD_FEEDBACK)
    if not request.app[LOG_KEY].feedback(question_id, client_of(request), value):
        raise WebError(404, "unknown_question", messages.UNKNOWN_QUESTION)
    return json_response({"ok": True, "message": messages.THANKS})


def unit_payload(kb: Any, unit_id: str) -> dict[str, Any]:
    unit = kb.unit(unit_id)
    if unit is None:
        raise WebError(404, "unknown_unit", messages.UNKNOWN_UNIT)
    data = unit.model_dump(mode="json")
    data["reference"] = kb.reference(unit.id)
    data["url"] = unit_url(unit.id)
    return data


def unit_url(unit_id: str) -> str:
    from urllib.parse import quote

    return "/unit/" + quote(unit_id, safe=":.")


async def unit(request: web.Request) -> web.Response:
    return json_response(unit_payload(request.app[KB_KEY], request.match_info["unit_id"]))


async def topics(request: web.Request) -> web.Response:
    return json_response([topic.model_dump(mode="json") for topic in request.app[KB_KEY].topics()])


async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok", "index": request.app[KB_KEY].version})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/ask", ask_get, allow_head=False)
    app.router.add_post("/api/ask", ask_post)
    app.router.add_post("/api/feedback", feedback)
    app.router.add_get("/api/units/{unit_id}", unit, allow_head=False)
    app.router.add_get("/api/topics", topics)
    app.router.add_get("/healthz", healthz)
