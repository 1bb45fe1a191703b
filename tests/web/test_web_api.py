"""The JSON API over the real knowledge base: contract, refusals, rate limit, proxies, CORS, errors."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest

from web_support import BrokenKb

from kb.errors import IndexMissingError

SQUATTING = "企业商标被人抢注了怎么办"
PLEDGE = "专利可以拿去银行贷款吗"
PLEDGE_REFERENCE = "《万州区知识产权“十四五”规划》（2021—2025年）第五章第一节「促进知识产权与金融业融合发展」"
CONTRACT_KEYS = {"question", "answered", "answer", "citations", "matched", "suggestions", "topic", "contacts",
                 "question_id"}


def assert_answered(data: dict, question: str) -> None:
    assert CONTRACT_KEYS <= data.keys()
    assert data["question"] == question
    assert data["answered"] is True
    assert len(data["answer"]) > 20
    assert data["citations"], "an answered question cites the plan"
    for citation in data["citations"]:
        assert citation["id"].startswith("plan:")
        assert citation["quote"] and citation["path"]
        assert citation["reference"].startswith("《万州区知识产权“十四五”规划》（2021—2025年）第")
    assert isinstance(data["question_id"], int) and data["question_id"] > 0


async def test_ask_get_returns_the_answer_contract(client, live_kb):
    response = await client.get("/api/ask", params={"q": PLEDGE})
    assert response.status == 200
    assert response.content_type == "application/json"
    data = await response.json()
    assert_answered(data, PLEDGE)
    expected = live_kb.answer(PLEDGE).model_dump(mode="json")
    assert {k: v for k, v in data.items() if k != "question_id"} == expected
    assert "plan:5.1.3" in [c["id"] for c in data["citations"]]
    pledge = next(c for c in data["citations"] if c["id"] == "plan:5.1.3")
    assert pledge["reference"] == PLEDGE_REFERENCE


async def test_ask_post_json_and_squatting_question(client):
    response = await client.post("/api/ask", json={"q": SQUATTING})
    assert response.status == 200
    data = await response.json()
    assert_answered(data, SQUATTING)
    assert "商标" in data["answer"]
    assert any("商标" in c["quote"] for c in data["citations"])


async def test_same_question_twice_gets_two_log_ids_and_same_answer(client):
    first = await (await client.get("/api/ask", params={"q": PLEDGE})).json()
    second = await (await client.post("/api/ask", json={"q": PLEDGE})).json()
    assert second["question_id"] == first["question_id"] + 1
    assert {k: v for k, v in first.items() if k != "question_id"} == \
        {k: v for k, v in second.items() if k != "question_id"}


async def test_question_is_logged_with_the_web_channel(client, question_log):
    await client.get("/api/ask", params={"q": "今天天气怎么样"})
    stats = question_log.stats()
    assert stats.questions == 1
    assert stats.answered == 0
    assert stats.top_unanswered == [("今天天气怎么样", 1)]


async def test_unanswered_question_gets_the_fallback_naming_whom_to_contact(client):
    data = await (await client.get("/api/ask", params={"q": "今天天气怎么样"})).json()
    assert data["answered"] is False
    assert "12345" in data["answer"] or "窗口" in data["answer"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
async def test_empty_question_is_400_with_a_polite_message(client, params):
    response = await client.get("/api/ask", params=params)
    assert response.status == 400
    data = await response.json()
    assert data["error"] == "empty_question"
    assert "请输入您的问题" in data["message"]


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"q": 5}'])
async def test_malformed_post_body_is_400(client, body):
    response = await client.post("/api/ask", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert (await response.json())["error"] == "bad_request"


async def test_question_over_the_limit_is_413(make_client):
    client = await make_client(max_question_chars=20)
    ok = await client.get("/api/ask", params={"q": "专" * 20})
    assert ok.status == 200
    for response in (await client.get("/api/ask", params={"q": "专" * 21}),
                     await client.post("/api/ask", json={"q": "专" * 21})):
        assert response.status == 413
        data = await response.json()
        assert data["error"] == "question_too_long"
        assert "20" in data["message"]


async def test_default_limit_is_500_characters(client):
    assert (await client.post("/api/ask", json={"q": "专利" * 250})).status == 200
    assert (await client.post("/api/ask", json={"q": "专利" * 250 + "吗"})).status == 413


@pytest.mark.parametrize("path, body", [("/api/ask", '{"q": "专利可以拿去银行贷款吗"}'),
                                        ("/api/feedback", '{"question_id": 1, "value": 1}')])
async def test_post_without_json_content_type_is_415(client, question_log, path, body):
    """A page on another site can send text/plain without a CORS preflight; it must not be acted on."""
    await client.get("/api/ask", params={"q": PLEDGE})  # question 1 exists
    asked = question_log.stats().questions
    response = await client.post(path, data=body.encode(), headers={"Content-Type": "text/plain"})
    assert response.status == 415
    assert (await response.json())["error"] == "unsupported_media_type"
    stats = question_log.stats()
    assert (stats.questions, stats.thumbs_up) == (asked, 0)


@pytest.mark.parametrize("size", [100_000, 2_000_000])
async def test_oversized_body_is_413_json(client, size):
    response = await client.post("/api/ask", data=io.BytesIO(b'{"q": "' + b"a" * size + b'"}'),
                                 headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert (await response.json())["error"] == "request_too_large"


async def test_oversized_chunked_body_is_413_json(client):
    async def chunks():
        for _ in range(40):
            yield b"a" * 50_000

    response = await client.post("/api/feedback", data=chunks(), headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert (await response.json())["error"] == "request_too_large"


# ---- feedback ---------------------------------------------------------------------------------
async def test_feedback_on_an_asked_question(client, question_log):
    asked = await (await client.get("/api/ask", params={"q": PLEDGE})).json()
    response = await client.post("/api/feedback", json={"question_id": asked["question_id"], "value": -1})
    assert response.status == 200
    assert (await response.json())["ok"] is True
    assert question_log.stats().thumbs_down == 1
    again = await client.post("/api/feedback", json={"question_id": asked["question_id"], "value": 1})
    assert again.status == 200
    stats = question_log.stats()
    assert (stats.thumbs_up, stats.thumbs_down) == (1, 0)


@pytest.mark.parametrize("question_id", [999_999, 2**62])
async def test_feedback_with_forged_question_id_is_404(client, question_log, question_id):
    response = await client.post("/api/feedback", json={"question_id": question_id, "value": 1})
    assert response.status == 404
    data = await response.json()
    assert data["error"] == "unknown_question"
    assert question_log.stats().thumbs_up == 0


@pytest.mark.parametrize("body", [
    {"question_id": "1", "value": 1}, {"question_id": 1, "value": 2}, {"question_id": 1, "value": True},
    {"question_id": 1.0, "value": 1}, {"question_id": 1, "value": 1.0}, {"question_id": -3, "value": 1},
    {"question_id": 2**70, "value": 1}, {"value": 1}, {"question_id": 1},
])
async def test_malformed_feedback_is_400(client, body):
    await client.get("/api/ask", params={"q": PLEDGE})  # question 1 exists
    response = await client.post("/api/feedback", json=body)
    assert response.status == 400
    assert (await response.json())["error"] == "bad_feedback"


# ---- units, topics, health ------------------------------------------------------------------------
async def test_unit_json_with_reference(client, live_kb):
    response = await client.get("/api/units/plan:5.1.3")
    assert response.status == 200
    data = await response.json()
    assert data["id"] == "plan:5.1.3"
    assert data["heading"] == "促进知识产权与金融业融合发展"
    assert "知识产权质押融资" in data["text"]
    assert data["reference"] == PLEDGE_REFERENCE
    assert data["url"] == "/unit/plan:5.1.3"
    assert data["path"] == live_kb.unit("plan:5.1.3").path


@pytest.mark.parametrize("unit_id", ["plan:99.9", "nope", quote("<script>")])
async def test_unknown_unit_is_404_json(client, unit_id):
    response = await client.get(f"/api/units/{unit_id}")
    assert response.status == 404
    data = await response.json()
    assert data["error"] == "unknown_unit"
    assert "没有找到" in data["message"]


async def test_topics(client, live_kb):
    response = await client.get("/api/topics")
    assert response.status == 200
    topics = await response.json()
    assert [t["id"] for t in topics] == [t.id for t in live_kb.topics()]
    assert sum(t["button"] for t in topics) >= 1
    assert all(t["label"] for t in topics)


async def test_healthz_names_the_index(client, live_kb):
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "index": live_kb.version}
    assert live_kb.version


async def test_unknown_api_path_is_404_json(client):
    response = await client.get("/api/nothing-here")
    assert response.status == 404
    assert response.content_type == "application/json"
    assert (await response.json())["error"] == "not_found"


async def test_wrong_method_is_405_json(client):
    response = await client.delete("/api/ask")
    assert response.status == 405
    assert (await response.json())["error"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


# ---- errors -----------------------------------------------------------------------------------------
async def test_unexpected_exception_is_500_json_without_traceback(make_client, live_kb):
    client = await make_client(kb_override=BrokenKb(live_kb, RuntimeError("secret /etc/passwd detail")))
    response = await client.get("/api/ask", params={"q": PLEDGE})
    assert response.status == 500
    text = await response.text()
    assert "Traceback" not in text and "secret" not in text and "RuntimeError" not in text
    data = await response.json()
    assert data["error"] == "internal_error"
    assert "12345" in data["message"]


async def test_kb_error_is_503_json(make_client, live_kb):
    client = await make_client(kb_override=BrokenKb(live_kb, IndexMissingError("no index in /var/x")))
    response = await client.post("/api/ask", json={"q": PLEDGE})
    assert response.status == 503
    data = await response.json()
    assert data["error"] == "kb_unavailable"
    assert "/var/x" not in data["message"]


# ---- rate limit and proxies -------------------------------------------------------------------------
async def test_rate_limit_429_with_retry_after(make_client):
    client = await make_client(rate_limit=3)
    for _ in range(3):
        assert (await client.get("/api/units/plan:5.1.3")).status == 200
    response = await client.get("/api/ask", params={"q": PLEDGE})
    assert response.status == 429
    data = await response.json()
    assert data["error"] == "rate_limited"
    assert "太频繁" in data["message"]
    assert int(response.headers["Retry-After"]) >= 1
    assert (await client.get("/healthz")).status == 200, "health checks are not limited"
    assert (await client.get("/plan")).status == 200, "browsing the plan is not limited"


async def test_rate_limit_zero_disables_it(make_client):
    client = await make_client(rate_limit=0)
    statuses = {(await client.get("/api/units/plan:5.1.3")).status for _ in range(100)}
    assert statuses == {200}


async def test_forwarded_for_ignored_from_untrusted_peer(make_client):
    client = await make_client(rate_limit=1)
    assert (await client.get("/api/topics", headers={"X-Forwarded-For": "203.0.113.1"})).status == 200
    # a different forged address does not buy a new allowance: the peer (127.0.0.1) is counted
    response = await client.get("/api/topics", headers={"X-Forwarded-For": "203.0.113.2"})
    assert response.status == 429


async def test_forwarded_for_honoured_from_trusted_proxy(make_client):
    client = await make_client(rate_limit=1, trusted_proxies=["127.0.0.1"])
    for address in ("203.0.113.1", "203.0.113.2"):
        assert (await client.get("/api/topics", headers={"X-Forwarded-For": address})).status == 200
    # the right-most untrusted hop counts; a forged left-most hop changes nothing
    response = await client.get("/api/topics", headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.1"})
    assert response.status == 429


async def test_feedback_user_is_the_forwarded_client(make_client, question_log):
    client = await make_client(trusted_proxies=["127.0.0.0/8"])
    asked = await (await client.get("/api/ask", params={"q": PLEDGE},
                                    headers={"X-Forwarded-For": "203.0.113.1"})).json()
    for address in ("203.0.113.1", "203.0.113.2"):
        response = await client.post("/api/feedback", json={"question_id": asked["question_id"], "value": 1},
                                     headers={"X-Forwarded-For": address})
        assert response.status == 200
    assert question_log.stats().thumbs_up == 2, "two clients behind the proxy give two votes"


# ---- escaping, CORS, headers ------------------------------------------------------------------------
async def test_script_in_question_is_data_in_json(client):
    question = '<script>alert("x")</script>专利贷款'
    response = await client.post("/api/ask", json={"q": question})
    assert response.status == 200
    assert response.content_type == "application/json"
    assert (await response.json())["question"] == question
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_cors_is_off_by_default(client):
    response = await client.get("/api/topics", headers={"Origin": "https://evil.example"})
    assert response.status == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = await client.options("/api/ask", headers={"Origin": "https://evil.example",
                                                          "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert preflight.status in (403, 404, 405)


async def test_cors_for_configured_origin_only(make_client):
    client = await make_client(cors_origins=["https://window.example"], rate_limit=1)
    preflight = await client.options("/api/ask", headers={"Origin": "https://window.example",
                                                          "Access-Control-Request-Method": "POST"})
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://window.example"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    ok = await client.get("/api/topics", headers={"Origin": "https://window.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://window.example"
    limited = await client.get("/api/topics", headers={"Origin": "https://window.example"})
    assert limited.status == 429
    assert limited.headers["Access-Control-Allow-Origin"] == "https://window.example", "errors readable too"
    other = await client.get("/api/units/plan:5.1.3", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


@pytest.mark.parametrize("path", ["/", "/api/topics", "/plan", "/static/app.js", "/api/units/nope"])
async def test_security_headers_everywhere(client, path):
    response = await client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "aiohttp" not in response.headers["Server"]
