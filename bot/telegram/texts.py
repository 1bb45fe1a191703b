"""What the bot says (Simplified Chinese) and how answers are rendered as Telegram HTML.

Every string that comes from a user or from the corpus goes through ``esc`` (``html.escape``).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.models import Answer, Citation, Unit

# Telegram allows 4,096 characters a message (UTF-16 units, after entities are parsed). Chunks are
# cut from plain text before escaping, with room left for a heading.
MESSAGE_LIMIT = 4096
CHUNK_CHARS = 3500
ANSWER_CHUNK_CHARS = 3000  # the last answer message also carries references and contacts

STALE = "该条目已更新，请重新提问"
APOLOGY = "抱歉，处理您的消息时出了点问题。请稍后再试，或换个说法提问；急事可拨打 12345 政务服务热线。"
RATE_LIMITED = "您提问有点频繁，请稍等片刻再问（每位用户每分钟最多 {limit} 个问题）。谢谢理解！"
CUT_NOTE = "您的问题较长，已按前 {limit} 个字作答。"
FEEDBACK_THANKS = {1: "感谢您的肯定！", -1: "感谢反馈，我们会改进这条回答。"}
NO_MORE_RELATED = "没有更多相关条目了。"
STAFF_ONLY = "此命令仅限工作人员使用。"
UNKNOWN_COMMAND = "没有这个命令。发送 /help 查看使用说明，或直接用文字提问。"
NOT_TEXT = ("我目前只能阅读文字，暂时看不懂{what}。请用文字描述您的问题，"
            "例如：专利可以拿去银行贷款吗？")
CONTENT_NAMES = {
    "sticker": "贴纸", "photo": "图片", "voice": "语音", "video_note": "视频消息", "audio": "音频",
    "video": "视频", "animation": "动图", "document": "文件", "location": "位置",
    "venue": "地点", "contact": "名片", "poll": "投票", "dice": "骰子",
}
EMPTY_QUESTION = "请直接用文字输入您的问题，例如：专利可以拿去银行贷款吗？"

BUTTON_SOURCE = "📄 查看原文"
BUTTON_RELATED = "🔎 相关条目"
BUTTON_CONTACT = "☎️ 联系部门"
BUTTON_UP = "👍"
BUTTON_DOWN = "👎"

COMMANDS = {
    "start": "开始使用",
    "topics": "常见问题主题",
    "help": "使用说明",
}
STAFF_COMMANDS = {
    "stats": "今日统计（工作人员）",
    "reload": "切换到最新知识库（工作人员）",
}


def esc(text: object) -> str:
    return html.escape(str(text))


def plans_line(plans: Iterable[object], today: dt.date | None = None) -> str:
    """Which plan the answers quote and whether its period has ended."""
    year = (today or dt.date.today()).year
    lines = []
    for plan in plans:
        cite = getattr(plan, "cite_name", "")
        end = getattr(plan, "period_end", None)
        if end is not None and end < year:
            lines.append(f"回答依据{esc(cite)}。该规划期已结束，规划中的 {end} 年目标是当时设定的目标，"
                         "不代表现状；新规划发布后，本助手将随之更新。")
        else:
            lines.append(f"回答依据{esc(cite)}。")
    return "\n".join(lines)


def greeting(first_name: str | None, plans: Iterable[object]) -> str:
    name = f"，{esc(first_name)}" if first_name else ""
    return (
        f"您好{name}！我是万州区知识产权政策助手。\n\n"
        "我可以回答企业关心的知识产权政策问题：资助奖励、专利和商标质押融资、"
        "侵权维权与投诉、商标与地理标志、专利、服务窗口和联系部门。每个回答都会注明依据的规划条文。\n\n"
        f"{plans_line(plans)}\n\n"
        "请直接输入您的问题，或点选下面的主题："
    )


HELP = (
    "<b>使用说明</b>\n"
    "• 直接用文字提问，例如：专利可以拿去银行贷款吗？网上有人卖我们品牌的仿冒货，该找谁？\n"
    "• 回答下方的按钮：📄 查看原文（规划条文全文）、🔎 相关条目、☎️ 联系部门、👍/👎 评价回答。\n"
    "• 在群里使用时，请 @我 或回复我的消息。\n\n"
    "<b>命令</b>\n"
    "/start 开始　/topics 常见问题主题　/help 使用说明\n\n"
)

TOPICS_INTRO = "请选择您关心的主题："


def topic_text(label: str, description: str, has_examples: bool) -> str:
    text = f"<b>{esc(label)}</b>"
    if description:
        text += f"\n{esc(description)}"
    if has_examples:
        text += "\n\n您可以这样问（点选即可）："
    else:
        text += "\n\n请直接输入您的问题。"
    return text


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Cut plain text into pieces of at most ``limit`` characters, at line or sentence ends if possible."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = max(window.rfind(mark) for mark in "。；！？;.!?")
            cut = cut + 1 if cut >= limit // 2 else limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not chunks:
        chunks.append(rest)
    return chunks


def citation_reference(citation: Citation, reference_of) -> str:
    return citation.reference or reference_of(citation.id)


def render_answer(answer: Answer, reference_of, contact_card: str | None = None,
                  note: str | None = None, max_refs: int = 3) -> str:
    """The reply to a question: answer text, the reference line(s), contacts when unanswered.

    ``reference_of(unit_id)`` gives the reference when a citation does not carry it.
    """
    parts: list[str] = []
    if note:
        parts.append(f"<i>{esc(note)}</i>")
    parts.append(esc(answer.answer))
    refs = list(dict.fromkeys(filter(None, (citation_reference(c, reference_of)
                                             for c in answer.citations[:max_refs]))))
    shown = [r for r in refs if r not in answer.answer]  # the answer text may quote one already
    if shown:
        heading = "依据" if len(shown) == len(refs) else "另见"
        parts.append(f"📖 <b>{heading}</b>\n" + "\n".join(esc(r) for r in shown))
    if contact_card and contact_card.strip() and contact_card.strip() not in answer.answer:
        parts.append("☎️ <b>可以联系</b>\n" + esc(contact_card.strip()))
    if answer.suggestions:
        parts.append("您是不是想问（点选下面的问题）：")
    return "\n\n".join(parts)


def render_unit(unit: Unit, reference: str) -> list[str]:
    """查看原文: the unit's reference then its full text, in messages under Telegram's limit."""
    head = f"📄 <b>{esc(reference or unit.heading)}</b>"
    chunks = split_text(unit.text)
    pages = []
    for n, chunk in enumerate(chunks, 1):
        page_head = head if len(chunks) == 1 else f"{head}（{n}/{len(chunks)}）"
        pages.append(f"{page_head}\n\n{esc(chunk)}")
    return pages


def render_related(citations: list[Citation], reference_of, quote_chars: int = 120) -> str:
    lines = ["🔎 <b>相关条目</b>"]
    for n, citation in enumerate(citations, 1):
        quote = citation.quote.strip()
        if len(quote) > quote_chars:
            quote = quote[:quote_chars] + "…"
        lines.append(f"\n{n}. {esc(citation_reference(citation, reference_of))}\n{esc(quote)}")
    return "\n".join(lines)


def render_contact(card: str) -> str:
    return "☎️ <b>联系部门</b>\n\n" + esc(card.strip())


def render_stats(stats) -> str:
    lines = [
        f"📊 <b>今日统计</b>（{esc(stats.day)}，UTC）",
        f"提问：{stats.questions} 条",
        f"已回答：{stats.answered} 条（{stats.share_answered:.0%}）",
        f"评价：👍 {stats.thumbs_up} / 👎 {stats.thumbs_down}",
    ]
    if stats.top_unanswered:
        lines.append("\n<b>未能回答的问题</b>")
        lines.extend(f"{n}. {esc(q)}（{c} 次）" for n, (q, c) in enumerate(stats.top_unanswered, 1))
    else:
        lines.append("\n今天没有未能回答的问题。")
    return "\n".join(lines)
