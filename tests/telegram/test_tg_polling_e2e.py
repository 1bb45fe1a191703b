"""End to end: the real polling loop and AiohttpSession against a loopback fake Bot API server.

The bot is built exactly as in production (``TelegramChannel.create`` with TELEGRAM_API_URL pointing
at the fake server) over the real knowledge base. Tests wait on futures the server resolves when the
expected call arrives; nothing sleeps.
"""

from __future__ import annotations

import asyncio

import pytest
from tg_fake_bot_api import TIMEOUT, FakeBotApi, ask, to_chat, within
from tg_updates import GROUP, OTHER, STAFF, USER, button, buttons

from bot.telegram import texts
from bot.telegram.channel import TelegramChannel
from bot.telegram.settings import BotSettings

@pytest.fixture
async def api():
    server = FakeBotApi()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def channel(api, live_kb, question_log):
    settings = BotSettings(_env_file=None, token=api.token, api_url=api.base_url, staff_ids=[STAFF["id"]])
    channel = TelegramChannel.create(live_kb, question_log, settings)  # a fresh Bot per test
    polling = api.expect("getUpdates")
    channel.start_polling()
    await within(polling)
    yield channel
    await channel.stop()


async def test_startup_registers_commands_then_polls(api, channel):
    methods = [c.method for c in api.calls]
    assert methods.index("getMe") < methods.index("getUpdates")
    assert "deleteWebhook" in methods and "setWebhook" not in methods
    menus = api.calls_of("setMyCommands")
    default = next(c for c in menus if c.params["scope"]["type"] == "default")
    assert [c["command"] for c in default.params["commands"]] == ["start", "topics", "help"]
    staff = next(c for c in menus if c.params["scope"]["type"] == "chat")
    assert staff.params["scope"]["chat_id"] == STAFF["id"]
    assert {"stats", "reload"} <= {c["command"] for c in staff.params["commands"]}


async def test_start_shows_the_topic_keyboard(api, channel):
    reply = await ask(api, "/start")
    assert "2021—2025年" in reply.params["text"]
    assert reply.params["parse_mode"] == "HTML"
    assert [t for t, _ in buttons(reply.params["reply_markup"])] == [
        "资助奖励", "质押融资", "维权投诉与联系方式", "商标与地理标志", "专利", "服务窗口"]

    topic = api.expect("sendMessage", to_chat(USER["id"]))
    api.press(reply.result, button(reply.params["reply_markup"], "质押融资"))
    topic = await within(topic)
    assert "<b>质押融资</b>" in topic.params["text"]

    example = topic.params["reply_markup"]["inline_keyboard"][0][0]
    answer = api.expect("sendMessage", to_chat(USER["id"]))
    api.press(topic.result, example["callback_data"])
    answer = await within(answer)
    assert "《万州区知识产权“十四五”规划》" in answer.params["text"]


async def test_deep_link_opens_a_topic(api, channel):
    reply = await ask(api, "/start enforcement")
    assert "<b>维权投诉与联系方式</b>" in reply.params["text"]


async def test_counterfeit_question_answered_with_citation_and_contact_button(api, channel):
    reply = await ask(api, "网上有人卖我们品牌的仿冒货，该找谁")
    text = reply.params["text"]
    assert "《万州区知识产权“十四五”规划》（2021—2025年）" in text and "「" in text
    labels = [t for t, _ in buttons(reply.params["reply_markup"])]
    assert texts.BUTTON_CONTACT in labels and texts.BUTTON_SOURCE in labels
    assert reply.result["reply_to_message"]["text"] == "网上有人卖我们品牌的仿冒货，该找谁"


async def test_pledge_question_cites_the_finance_measures(api, channel):
    reply = await ask(api, "专利可以拿去贷款吗")
    assert ("促进知识产权与金融业融合发展" in reply.params["text"]
            or "知识产权金融创新专项计划" in reply.params["text"])


async def test_each_answer_button(api, channel, question_log):
    reply = await ask(api, "专利可以拿去贷款吗")
    markup = reply.params["reply_markup"]

    source = api.expect("sendMessage", to_chat(USER["id"], "📄"))
    done = api.expect("answerCallbackQuery")
    api.press(reply.result, button(markup, "查看原文"))
    source, done = await within(source), await within(done)
    assert "鼓励知识产权金融创新" in source.params["text"] or "银企" in source.params["text"]
    assert "text" not in done.params

    related = api.expect("sendMessage", to_chat(USER["id"], "相关条目"))
    api.press(reply.result, button(markup, "相关条目"))
    related = await within(related)
    assert "《万州区知识产权“十四五”规划》" in related.params["text"]

    contact = api.expect("sendMessage", to_chat(USER["id"], "联系部门"))
    api.press(reply.result, button(markup, "联系部门"))
    assert "区市场监管局" in (await within(contact)).params["text"]

    thanks = api.expect("answerCallbackQuery")
    edited = api.expect("editMessageReplyMarkup")
    api.press(reply.result, button(markup, "👍"))
    assert (await within(thanks)).params["text"] == texts.FEEDBACK_THANKS[1]
    edited = await within(edited)
    assert "👍" not in [t for t, _ in buttons(edited.params["reply_markup"])]

    down = api.expect("answerCallbackQuery")
    api.press(reply.result, button(markup, "👎"), user=OTHER)
    assert (await within(down)).params["text"] == texts.FEEDBACK_THANKS[-1]
    stats = question_log.stats()
    assert (stats.thumbs_up, stats.thumbs_down) == (1, 1)


async def test_sticker_gets_an_explanation(api, channel):
    reply = api.expect("sendMessage", to_chat(USER["id"]))
    api.push(api.updates.sticker())
    assert "贴纸" in (await within(reply)).params["text"]


async def test_flood_from_one_user_is_limited_politely(api, channel):
    replies = api.expect_many("sendMessage", 21, to_chat(USER["id"]))
    for n in range(21):
        api.user_sends(f"专利可以拿去贷款吗{n}")
    replies = await asyncio.wait_for(replies, TIMEOUT)
    limited = [c for c in replies if "频繁" in c.params["text"]]
    assert [c.params["text"] for c in limited] == [texts.esc(texts.RATE_LIMITED.format(limit=20))]
    assert sum("《万州区知识产权“十四五”规划》" in c.params["text"] for c in replies) == 20


async def test_forged_callback_is_answered_not_an_error(api, channel):
    reply = await ask(api, "专利可以拿去贷款吗")
    for data in ("src|1|plan:99.99", "fb|99999|1", "rel|123456", "garbage|||", "ask|9"):
        answer = api.expect("answerCallbackQuery")
        api.press(reply.result, data)
        assert (await within(answer)).params["text"] == texts.STALE


async def test_edited_message_is_answered_again(api, channel):
    first = api.expect("sendMessage", to_chat(USER["id"]))
    message = api.user_sends("专利")
    await within(first)
    again = api.expect("sendMessage", to_chat(USER["id"]))
    api.edit(message, "专利可以拿去贷款吗")
    again = await within(again)
    assert again.params["reply_parameters"]["message_id"] == message["message_id"]
    assert "质押融资" in again.params["text"]


async def test_group_message_without_mention_is_ignored(api, channel):
    ignored = api.user_sends("专利可以拿去贷款吗", chat=GROUP)
    reply = await ask(api, "@wz_ip_bot 专利可以拿去贷款吗", chat=GROUP)
    # the first message was processed before the second one (no I/O in between): no reply to it
    assert [c.params.get("reply_parameters", {}).get("message_id")
            for c in api.calls_of("sendMessage", GROUP["id"])] == [reply.result["reply_to_message"]["message_id"]]
    assert reply.result["reply_to_message"]["message_id"] != ignored["message_id"]
    bot_said = reply.result
    replied = await ask(api, "商标能质押吗", chat=GROUP, reply_to=bot_said)
    assert "《万州区知识产权“十四五”规划》" in replied.params["text"]


async def test_staff_stats_allowed_and_refused(api, channel):
    await ask(api, "今天天气怎么样")
    refused = await ask(api, "/stats", user=OTHER)
    assert refused.params["text"] == texts.STAFF_ONLY
    stats = await ask(api, "/stats", user=STAFF)
    assert "今日统计" in stats.params["text"] and "今天天气怎么样" in stats.params["text"]
    reload = await ask(api, "/reload", user=STAFF)
    assert "知识库" in reload.params["text"]


async def test_wrong_token_stops_the_bot_but_not_the_process(api, live_kb, question_log, caplog):
    settings = BotSettings(_env_file=None, token="13:WRONG", api_url=api.base_url)
    channel = TelegramChannel.create(live_kb, question_log, settings)
    task = channel.start_polling()
    await asyncio.wait_for(asyncio.wait([task]), TIMEOUT)
    assert "Telegram bot stopped: TelegramUnauthorizedError" in caplog.text
    await channel.stop()  # nothing left to stop: returns quietly
