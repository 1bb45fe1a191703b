"""Server-rendered HTML pages: ask (/), the plan (/plan), one unit (/unit/<id>), contacts (/contacts).

Every corpus or user string goes through ``esc`` (html.escape); the page script builds the DOM with
textContent, so nothing anyone types or staff write is ever read as markup.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.web import messages
from bot.web.api import answer_payload, checked_question, dumps, unit_url
from bot.web.errors import WebError
from bot.web.keys import ASSETS_KEY, KB_KEY, SETTINGS_KEY

SITE = "万州区知识产权政策问答"
PATH_SEPARATOR = " › "
GENERIC_PERIOD_NOTE = "规划期为2021—2025年，已经结束；文中2025年的数值是规划设定的目标，不是当前统计数据。"


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def ask_url(question: str) -> str:
    return "/?q=" + quote(question, safe="")


def period_notes(kb: Any, today: dt.date | None = None) -> list[str]:
    """One sentence per plan: whether its period has ended and how to read its target figures."""
    year = (today or dt.date.today()).year
    notes = []
    for plan in kb.plans():
        if plan.status == "superseded":
            notes.append(f"{plan.cite_name}已被新规划取代，仅供查阅。")
        elif plan.period_end < year:
            notes.append(f"{plan.cite_name}的规划期已经结束；文中{plan.period_end}年的数值是规划设定的目标，"
                         "不是当前统计数据。")
        else:
            notes.append(f"{plan.cite_name}：文中{plan.period_end}年的数值是规划设定的目标。")
    return notes or [GENERIC_PERIOD_NOTE]


def _notes_or_generic(kb: Any) -> list[str]:
    try:
        return period_notes(kb)
    except Exception:  # error pages render even when the knowledge base does not answer
        return [GENERIC_PERIOD_NOTE]


def page(request: web.Request, title: str, body: str, *, status: int = 200, note: bool = True) -> web.Response:
    assets = request.app[ASSETS_KEY]
    notes = "".join(f"<p>{esc(n)}</p>" for n in _notes_or_generic(request.app[KB_KEY])) if note else ""
    document = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="format-detection" content="telephone=no">
<title>{esc(title)} · {SITE}</title>
<link rel="stylesheet" href="{esc(assets["style.css"])}">
<script src="{esc(assets["app.js"])}" defer></script>
</head>
<body>
<header class="site">
<a class="brand" href="/">{SITE}</a>
<nav><a href="/">提问</a><a href="/plan">浏览规划全文</a><a href="/contacts">联系部门</a></nav>
</header>
<main>
{body}
</main>
<footer class="site">
{f'<div class="period-note">{notes}</div>' if notes else ""}
<p>答案摘自规划原文；办理具体事项，{esc(messages.HOTLINE)}。</p>
</footer>
</body>
</html>
"""
    response = web.Response(text=document, status=status, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-cache"
    return response


# ---- the ask page ------------------------------------------------------------------------------
def render_answer(data: dict[str, Any], contact_names: dict[str, str]) -> str:
    """The answer block; app.js builds the same structure from the JSON answer."""
    classes = "answer-text" + ("" if data["answered"] else " fallback")
    parts = [f'<section class="answer" data-question-id="{esc(data["question_id"])}">',
             f'<p class="asked">问：{esc(data["question"])}</p>',
             f'<div class="{classes}">{esc(data["answer"])}</div>']
    if data.get("suggestions"):
        parts.append('<div class="suggestions"><p>您是不是想问：</p>')
        parts += [f'<a class="ask-q suggestion" href="{esc(ask_url(s["question"]))}" '
                  f'data-q="{esc(s["question"])}">{esc(s["question"])}</a>' for s in data["suggestions"]]
        parts.append("</div>")
    if data["citations"]:
        parts.append('<h2 class="cite-title">规划原文依据</h2><ol class="citations">')
        for c in data["citations"]:
            copy = f'{c["reference"]}：{c["quote"]}'
            parts.append(
                f'<li class="citation" data-id="{esc(c["id"])}">'
                f'<p class="cite-path">{esc(PATH_SEPARATOR.join(c["path"]))}</p>'
                f'<blockquote class="cite-quote">{esc(c["quote"])}</blockquote>'
                f'<p class="cite-ref">{esc(c["reference"])}</p>'
                f'<p class="cite-actions"><button type="button" class="copy" data-copy="{esc(copy)}">复制引用</button>'
                f'<a href="{esc(unit_url(c["id"]))}">查看原文</a></p></li>')
        parts.append("</ol>")
    contacts = [cid for cid in data.get("contacts", []) if cid in contact_names]
    if contacts:
        links = "、".join(f'<a href="/contacts#{esc(cid)}">{esc(contact_names[cid])}</a>' for cid in contacts)
        parts.append(f'<p class="contacts-hint">可以联系：{links}</p>')
    parts.append('<div class="feedback"><span>这个回答有帮助吗？</span>'
                 '<button type="button" class="fb" data-value="1" aria-pressed="false">👍 有帮助</button>'
                 '<button type="button" class="fb" data-value="-1" aria-pressed="false">👎 没帮助</button>'
                 '<span class="fb-status" role="status"></span></div>')
    parts.append("</section>")
    return "".join(parts)


async def index(request: web.Request) -> web.Response:
    kb = request.app[KB_KEY]
    limit = request.app[SETTINGS_KEY].max_question_chars
    raw = request.query.get("q", "")
    names = {c.id: c.name for c in kb.contacts()}
    result, status, error = "", 200, ""
    if raw.strip():
        try:
            data = answer_payload(request, checked_question(raw, limit))
            result = render_answer(data, names)
        except WebError as refused:
            status, error = refused.status, refused.message
    topics = "".join(
        f'<a class="ask-q topic" href="{esc(ask_url(t.examples[0] if t.examples else t.label))}" '
        f'data-q="{esc(t.examples[0] if t.examples else t.label)}" title="{esc(t.description)}">{esc(t.label)}</a>'
        for t in kb.topics() if t.button)
    notes = "".join(f"<p>{esc(n)}</p>" for n in period_notes(kb))
    body = f"""<h1>知识产权政策问答</h1>
<p class="intro">输入您的问题，得到规划原文依据，可一键复制引用。</p>
<form id="ask-form" class="ask" method="get" action="/">
<label for="q" class="visually-hidden">您的问题</label>
<textarea id="q" name="q" rows="2" maxlength="{limit}" enterkeyhint="send"
 placeholder="例如：企业商标被人抢注了怎么办？">{esc(raw)}</textarea>
<button type="submit" id="ask-button">提问</button>
</form>
<p id="error" class="error" role="alert"{"" if error else " hidden"}>{esc(error)}</p>
<nav class="topics" aria-label="常见主题">{topics}</nav>
<div class="note">{notes}</div>
<div id="result" aria-live="polite" data-contacts="{esc(dumps(names))}">{result}</div>
<p class="more"><a href="/plan">浏览规划全文</a> · <a href="/contacts">联系部门</a></p>"""
    return page(request, "提问", body, status=status, note=False)


# ---- the plan ------------------------------------------------------------------------------------
_LEVEL = {"chapter": 2, "section": 3, "box": 3}


async def plan(request: web.Request) -> web.Response:
    kb = request.app[KB_KEY]
    units = sorted(kb.units(), key=lambda u: (u.plan_id, u.order))
    parts = []
    for meta in kb.plans():
        own = [u for u in units if u.plan_id == meta.id]
        toc = "".join(f'<li><a href="#{esc(u.id)}">{esc(u.heading)}</a></li>' for u in own if u.kind == "chapter")
        parts.append(f'<h1>{esc(meta.cite_name)}</h1><nav class="toc" aria-label="目录"><ol>{toc}</ol></nav>')
        items: list[str] = []
        for u in own:
            link = f'<a href="{esc(unit_url(u.id))}">{esc(u.heading)}</a>'
            level = _LEVEL.get(u.kind)
            if level:
                if items:
                    parts.append(f'<ul class="units">{"".join(items)}</ul>')
                    items = []
                parts.append(f'<h{level} id="{esc(u.id)}" class="{esc(u.kind)}">{link}</h{level}>')
            else:
                items.append(f'<li class="{esc(u.kind)}">{link}</li>')
        if items:
            parts.append(f'<ul class="units">{"".join(items)}</ul>')
    return page(request, "浏览规划全文", "".join(parts) or "<p>规划尚未发布。</p>")


async def unit(request: web.Request) -> web.Response:
    kb = request.app[KB_KEY]
    unit_id = request.match_info["unit_id"]
    u = kb.unit(unit_id)
    if u is None:
        body = (f'<h1>没有找到这个条目</h1><p>条目编号 <code>{esc(unit_id)}</code> 不存在。</p>'
                f'<p><a href="/plan">浏览规划全文</a></p>')
        return page(request, "没有找到", body, status=404)
    reference = kb.reference(u.id)
    chain = []
    parent = kb.unit(u.parent) if u.parent else None
    while parent is not None:
        chain.append(parent)
        parent = kb.unit(parent.parent) if parent.parent else None
    crumbs = "".join(f'<li><a href="{esc(unit_url(p.id))}">{esc(p.heading)}</a></li>' for p in reversed(chain))
    crumbs += f'<li aria-current="page">{esc(u.heading)}</li>'
    body_text = u.body
    parts = [f'<nav class="crumbs" aria-label="位置"><ol>{crumbs}</ol></nav>',
             f'<h1>{esc(u.heading)}</h1>',
             f'<p class="cite-path">{esc(PATH_SEPARATOR.join(u.path))}</p>']
    if body_text:
        parts.append(f'<div class="unit-text">{esc(body_text)}</div>')
    if u.rows:
        rows = "".join(f"<tr><td>{r.number}</td><td>{esc(r.indicator)}</td><td>{esc(r.baseline)}</td>"
                       f"<td>{esc(r.target)}</td><td>{esc(r.attribute)}</td></tr>" for r in u.rows)
        first = u.rows[0]
        parts.append(f'<div class="table-wrap"><table><thead><tr><th>序号</th><th>指标</th>'
                     f'<th>{first.baseline_year}年</th><th>{first.target_year}年目标</th><th>属性</th></tr>'
                     f'</thead><tbody>{rows}</tbody></table></div>')
    children = [c for c in kb.units() if c.parent == u.id]
    if children:
        items = "".join(f'<li><a href="{esc(unit_url(c.id))}">{esc(c.heading)}</a></li>'
                        for c in sorted(children, key=lambda c: c.order))
        parts.append(f'<ul class="units">{items}</ul>')
    copy = f"{reference}：{body_text}" if body_text else reference
    parts.append(f'<p class="cite-ref">{esc(reference)}</p>'
                 f'<p class="cite-actions"><button type="button" class="copy" data-copy="{esc(copy)}">复制引用</button>'
                 f'<span class="permalink">本条链接：<a href="{esc(unit_url(u.id))}">{esc(unit_url(u.id))}</a></span></p>')
    siblings = sorted((x for x in kb.units() if x.plan_id == u.plan_id), key=lambda x: x.order)
    at = next(i for i, x in enumerate(siblings) if x.id == u.id)
    pager = []
    if at > 0:
        pager.append(f'<a rel="prev" href="{esc(unit_url(siblings[at - 1].id))}">← {esc(siblings[at - 1].heading)}</a>')
    if at + 1 < len(siblings):
        pager.append(f'<a rel="next" href="{esc(unit_url(siblings[at + 1].id))}">{esc(siblings[at + 1].heading)} →</a>')
    parts.append(f'<nav class="pager">{"".join(pager)}</nav>')
    return page(request, u.heading, "".join(parts))


# ---- contacts ------------------------------------------------------------------------------------
def _safe_url(url: str) -> str | None:
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


async def contacts(request: web.Request) -> web.Response:
    kb = request.app[KB_KEY]
    labels = {t.id: t.label for t in kb.topics()}
    cards = []
    for c in kb.contacts():
        rows = [f'<p class="handles">负责：{esc("；".join(c.handles))}</p>']
        if c.aliases:
            rows.append(f'<details class="aliases"><summary>又称</summary>{esc("、".join(c.aliases))}</details>')
        if c.topics:
            rows.append(f'<p class="topics-of">相关主题：{esc("、".join(labels.get(t, t) for t in c.topics))}</p>')
        if c.phone:
            tel = "".join(ch for ch in c.phone if ch.isdigit() or ch in "+-")
            rows.append(f'<p>电话：<a href="tel:{esc(tel)}">{esc(c.phone)}</a></p>')
        if c.address:
            rows.append(f"<p>地址：{esc(c.address)}</p>")
        if c.hours:
            rows.append(f"<p>办公时间：{esc(c.hours)}</p>")
        if (url := _safe_url(c.url)) is not None:
            rows.append(f'<p>网址：<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a></p>')
        if not c.phone and not c.address:
            rows.append(f'<p class="hotline">{esc(messages.HOTLINE)}。</p>')
        if c.sources:
            links = "".join(f'<li><a href="{esc(unit_url(s))}">{esc(_reference_or_id(kb, s))}</a></li>'
                            for s in c.sources)
            rows.append(f'<details><summary>规划依据</summary><ul>{links}</ul></details>')
        cards.append(f'<section class="contact" id="{esc(c.id)}"><h2>{esc(c.name)}</h2>{"".join(rows)}</section>')
    body = ("<h1>联系部门</h1>"
            f'<p class="intro">规划中提到的部门及其负责事项。未列出电话和地址的，{esc(messages.HOTLINE)}。</p>'
            + ("".join(cards) or f"<p>{esc(messages.HOTLINE)}。</p>"))
    return page(request, "联系部门", body)


def _reference_or_id(kb: Any, unit_id: str) -> str:
    try:
        return kb.reference(unit_id) if kb.unit(unit_id) is not None else unit_id
    except Exception:  # a stale source id must not break the directory
        return unit_id


async def favicon(request: web.Request) -> web.Response:
    return web.Response(status=204)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_get("/plan", plan)
    app.router.add_get("/unit/{unit_id}", unit)
    app.router.add_get("/contacts", contacts)
    app.router.add_get("/favicon.ico", favicon)
