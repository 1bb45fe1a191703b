"""The conversation, driven through the real Dispatcher with ``feed_update``.

``harness`` runs over the real knowledge base; ``fake`` over a tiny fake one where a test needs an
exact answer, a very long unit or a failing search.
"""

from __future__ import annotations

import logging

from aiogram.methods import EditMessageReplyMarkup, SendMessage
from tg_updates import BOT, GROUP, OTHER, STAFF, USER, bot_message, button, buttons

from bot.telegram import texts

PLAN = "《万州区知识产权“十四五”规划》（2021—2025年）"
TOPIC_BUTTONS = ["资助奖励", "质押融资", "维权投诉与联系方式", "商标与地理标志", "专利", "服务窗口"]


async def test_start_greets_with_the_plan_period_and_topic_buttons(harness):
    await harness.feed(harness.updates.message("/start"))
    reply = harness.last()
    assert reply.chat_id == USER["id"]
    assert "李&lt;经理&gt;" in reply.text  # the user's own name is escaped
    assert PLAN in reply.text and "已结束" in reply.text
    assert [text for text, _ in buttons(reply.reply_markup)] == TOPIC_BUTTONS


async def test_deep_link_opens_a_topic_and_unknown_payload_greets(harness, live_kb):
    await harness.feed(harness.updates.message("/start finance"))
    topic = harness.last()
    assert "<b>质押融资</b>" in topic.text
    examples = live_kb.topic("finance").examples[:5]
    assert [t for t, _ in buttons(topic.reply_markup)] == [*examples, texts.BUTTON_CONTACT]
    await harness.feed(harness.updates.message("/start no-such-topic"))
    assert "您好" in harness.last().text


async def test_help_topics_and_a_topic_button(harness):
    await harness.feed(harness.updates.message("/help"))
    assert "/topics" in harness.last().text and PLAN in harness.last().text
    await harness.feed(harness.updates.message("/topics"))
    reply = harness.last()
    assert reply.text == texts.TOPICS_INTRO
    await harness.feed(harness.updates.callback(bot_message(reply), button(reply.reply_markup, "专利")))
    assert "<b>专利</b>" in harness.last().text
    assert harness.callback_answers()[-1].text is None  # the spinner is stopped


async def test_question_gets_answer_reference_and_buttons(harness, question_log):
    update = harness.updates.message("专利可以拿去贷款吗")
    await harness.feed(update)
    reply = harness.last()
    assert PLAN in reply.text
    assert "促进知识产权与金融业融合发展" in reply.text or "知识产权金融创新专项计划" in reply.text
    assert reply.reply_parameters.message_id == update["message"]["message_id"]
    labels = [text for text, _ in buttons(reply.reply_markup)]
    for label in (texts.BUTTON_SOURCE, texts.BUTTON_RELATED, texts.BUTTON_CONTACT, "👍", "👎"):
        assert label in labels
    assert all(len(data.encode()) <= 64 for _, data in buttons(reply.reply_markup))
    assert question_log.stats().questions == 1


async def test_unanswered_gets_fallback_and_contact_card(harness, question_log):
    await harness.feed(harness.updates.message("今天天气怎么样"))
    reply = harness.last()
    assert "☎️ <b>可以联系</b>" in reply.text and "12345" in reply.text
    assert texts.BUTTON_SOURCE not in [t for t, _ in buttons(reply.reply_markup)]
    stats = question_log.stats()
    assert (stats.questions, stats.answered) == (1, 0)
    assert stats.top_unanswered == [("今天天气怎么样", 1)]


async def test_suggestion_buttons_ask_their_question(fake, fake_kb):
    await fake.feed(fake.updates.message("今天天气"))
    reply = fake.last()
    assert "您是不是想问" in reply.text
    await fake.feed(fake.updates.callback(bot_message(reply), button(reply.reply_markup, "专利可以拿去贷款吗")))
    assert fake_kb.asked[-1] == "专利可以拿去贷款吗"
    assert "规划鼓励知识产权质押融资" in fake.last().text


async def test_long_question_is_cut_with_a_note(fake, fake_kb, bot_settings):
    await fake.feed(fake.updates.message("贷" * 800))
    assert len(fake_kb.asked[-1]) == bot_settings.max_question_chars
    assert "已按前 500 个字作答" in fake.last().text


async def test_answer_buttons(harness, live_kb, question_log):
    await harness.feed(harness.updates.message("专利可以拿去贷款吗"))
    answer = harness.last()
    message = bot_message(answer)
    markup = answer.reply_markup

    harness.session.clear()  # 查看原文: the cited unit in full
    await harness.feed(harness.updates.callback(message, button(markup, "查看原文")))
    unit = live_kb.unit(next(d for t, d in buttons(markup) if "查看原文" in t).split("|")[2])
    assert [p.text for p in harness.sent()] == texts.render_unit(unit, live_kb.reference(unit.id))

    harness.session.clear()  # 相关条目: further units, or a note that there are none
    await harness.feed(harness.updates.callback(message, button(markup, "相关条目")))
    if harness.sent():
        assert "相关条目" in harness.last().text and PLAN in harness.last().text
    else:
        assert harness.callback_answers()[-1].text == texts.NO_MORE_RELATED

    await harness.feed(harness.updates.callback(message, button(markup, "联系部门")))
    assert harness.last().text == texts.render_contact(live_kb.contact_card("finance"))

    harness.session.clear()  # 👍: stored, thanked, the vote buttons removed
    await harness.feed(harness.updates.callback(message, button(markup, "👍")))
    assert harness.callback_answers()[-1].text == texts.FEEDBACK_THANKS[1]
    edit = harness.session.of(EditMessageReplyMarkup)[-1]
    assert "👍" not in [t for t, _ in buttons(edit.reply_markup)]
    await harness.feed(harness.updates.callback(message, button(markup, "👎"), user=OTHER))
    stats = question_log.stats()
    assert (stats.thumbs_up, stats.thumbs_down) == (1, 1)


async def test_long_unit_is_split_under_the_message_limit(fake):
    await fake.feed(fake.updates.message("网上有人卖我们的仿冒货"))
    answer = fake.last()
    fake.session.clear()
    await fake.feed(fake.updates.callback(bot_message(answer), button(answer.reply_markup, "查看原文")))
    pages = fake.sent()
    assert len(pages) == 3
    assert all(len(p.text) < texts.MESSAGE_LIMIT for p in pages)
    assert "严厉打击&lt;侵权&gt;假冒&amp;违法行为" in pages[0].text
    assert sum(p.text.count("长") for p in pages) == 9000


async def test_related_lists_further_units(fake):
    await fake.feed(fake.updates.message("专利可以拿去贷款吗"))
    answer = fake.last()
    await fake.feed(fake.updates.callback(bot_message(answer), button(answer.reply_markup, "相关条目")))
    related = fake.last()
    assert "相关条目" in related.text and "「加大行政执法力度」" in related.text
    assert "促进知识产权与金融业融合发展」" not in related.text.split("相关条目", 1)[1]
    assert [t for t, _ in buttons(related.reply_markup)] == ["📄 原文1"]


async def test_forged_or_stale_callbacks_are_answered_politely(harness):
    await harness.feed(harness.updates.message("专利可以拿去贷款吗"))
    message = bot_message(harness.last())
    forged = ["src|1|plan:99.99", "fb|999999|1", "fb|1|5", "rel|424242", "ct|1|no-such-topic",
              "tp|nope", "ask|7", "ask|x", "zzz", "src|x|y|z", "", "a" * 64]
    for data in forged:
        harness.session.clear()
        await harness.feed(harness.updates.callback(message, data))
        assert [a.text for a in harness.callback_answers()] == [texts.STALE], data
        assert harness.sent() == [], data


async def test_feedback_without_a_logged_question_is_stale(harness):
    message = bot_message(SendMessage(chat_id=USER["id"], text="旧回答"))
    await harness.feed(harness.updates.callback(message, "fb|1|1"))
    assert harness.callback_answers()[-1].text == texts.STALE


async def test_media_gets_a_short_explanation(harness):
    u = harness.updates
    cases = {
        "贴纸": u.sticker(),
        "图片": u.message(photo=[{"file_id": "p", "file_unique_id": "p1", "width": 1, "height": 1}]),
        "语音": u.message(voice={"file_id": "v", "file_unique_id": "v1", "duration": 3}),
        "文件": u.message(document={"file_id": "d", "file_unique_id": "d1"}),
        "位置": u.message(location={"latitude": 30.8, "longitude": 108.4}),
    }
    for name, update in cases.items():
        await harness.feed(update)
        assert f"看不懂{name}" in harness.last().text


async def test_group_chat_only_mentions_replies_and_commands(harness, question_log):
    u = harness.updates
    await harness.feed(u.message("专利可以拿去贷款吗", chat=GROUP))
    await harness.feed(u.sticker(chat=GROUP))
    await harness.feed(u.message("/nonsense", chat=GROUP))
    await harness.feed(u.message("/help@other_bot", chat=GROUP))
    assert harness.sent() == [] and question_log.stats().questions == 0

    await harness.feed(u.message("@wz_ip_bot 专利可以拿去贷款吗", chat=GROUP))
    assert harness.last().chat_id == GROUP["id"] and PLAN in harness.last().text
    assert question_log.needing_review() == []  # asked without the mention, and answered

    bot_said = {"message_id": 77, "date": 1, "chat": GROUP, "from": BOT, "text": "…"}
    await harness.feed(u.message("商标能质押吗", chat=GROUP, reply_to=bot_said))
    assert question_log.stats().questions == 2

    await harness.feed(u.message("/help@wz_ip_bot", chat=GROUP))
    assert "/topics" in harness.last().text


async def test_group_mention_is_removed_from_the_question(fake, fake_kb):
    await fake.feed(fake.updates.message("请问 @wz_ip_bot 专利可以拿去贷款吗", chat=GROUP))
    assert fake_kb.asked == ["请问 专利可以拿去贷款吗"]


async def test_edited_message_is_answered_again(harness, question_log):
    first = harness.updates.message("今天天气")
    await harness.feed(first)
    await harness.feed(harness.updates.edited(first["message"], "专利可以拿去贷款吗"))
    assert question_log.stats().questions == 2
    assert "质押融资" in harness.last().text
    assert harness.last().reply_parameters.message_id == first["message"]["message_id"]


async def test_rate_limit_is_per_user_and_polite(harness, question_log):
    for _ in range(20):
        await harness.feed(harness.updates.message("专利可以拿去贷款吗"))
    harness.session.clear()
    await harness.feed(harness.updates.message("专利可以拿去贷款吗"))
    assert harness.last().text == texts.esc(texts.RATE_LIMITED.format(limit=20))
    await harness.feed(harness.updates.message("专利可以拿去贷款吗"))
    assert len(harness.sent()) == 1  # told once, not once per message
    assert question_log.stats().questions == 20

    await harness.feed(harness.updates.message("专利可以拿去贷款吗", user=OTHER))
    assert question_log.stats().questions == 21  # somebody else is not limited

    harness.clock.now += 61
    await harness.feed(harness.updates.message("专利可以拿去贷款吗"))
    assert question_log.stats().questions == 22


async def test_staff_commands(harness, live_kb):
    await harness.feed(harness.updates.message("<script>怎么办</script>"))
    await harness.feed(harness.updates.message("/stats", user=STAFF))
    stats = harness.last().text
    assert "提问：1 条" in stats and "👍 0 / 👎 0" in stats
    assert "<script>" not in stats

    await harness.feed(harness.updates.message("/reload", user=STAFF))
    assert live_kb.version in harness.last().text

    for command in ("/stats", "/reload"):
        await harness.feed(harness.updates.message(command))
        assert harness.last().text == texts.STAFF_ONLY

    harness.session.clear()  # not in a group, not even for staff
    await harness.feed(harness.updates.message("/stats", user=STAFF, chat=GROUP))
    assert harness.sent() == []


async def test_stats_escape_unanswered_questions(fake):
    await fake.feed(fake.updates.message("<script>怎么办</script>"))
    await fake.feed(fake.updates.message("/stats", user=STAFF))
    assert "1. &lt;script&gt;怎么办&lt;/script&gt;（1 次）" in fake.last().text


async def test_unknown_command_in_private(harness):
    await harness.feed(harness.updates.message("/nonsense"))
    assert harness.last().text == texts.UNKNOWN_COMMAND


async def test_handler_error_is_logged_and_apologised(fake, fake_kb, caplog):
    fake_kb.fail = True
    with caplog.at_level(logging.ERROR):
        await fake.feed(fake.updates.message("专利可以拿去贷款吗"))
    assert fake.last().text == texts.esc(texts.APOLOGY)
    assert "index exploded" in caplog.text

    fake_kb.fail = False
    await fake.feed(fake.updates.message("今天天气"))
    reply = fake.last()
    fake_kb.fail = True
    await fake.feed(fake.updates.callback(bot_message(reply), button(reply.reply_markup, "专利可以")))
    assert fake.callback_answers()[-1].text == texts.APOLOGY
