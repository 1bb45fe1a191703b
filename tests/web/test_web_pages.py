"""Server-rendered pages: the ask page, the plan, unit permalinks, contacts; escaping everywhere."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

from web_support import CannedKb, clarifying_answer

from bot.web import messages
from bot.web.pages import period_notes

SQUATTING = "企业商标被人抢注了怎么办"


async def get_html(client, path: str, status: int = 200, **kwargs) -> str:
    response = await client.get(path, **kwargs)
    assert response.status == status, await response.text()
    assert response.content_type == "text/html"
    return await response.text()


async def test_home_page_has_the_box_topics_note_and_links(client, live_kb):
    page = await get_html(client, "/")
    assert '<html lang="zh-CN">' in page
    assert 'name="viewport"' in page
    assert 'id="ask-form"' in page and 'name="q"' in page and 'maxlength="500"' in page
    assert 'href="/plan"' in page and "浏览规划全文" in page
    assert 'href="/contacts"' in page and "联系部门" in page
    assert "规划期已经结束" in page and "2025年的数值是规划设定的目标" in page
    buttons = [t for t in live_kb.topics() if t.button]
    assert buttons
    for topic in buttons:
        assert f">{html.escape(topic.label)}</a>" in page
        if topic.examples:
            assert f'data-q="{html.escape(topic.examples[0])}"' in page
    hidden = [t for t in live_kb.topics() if not t.button]
    for topic in hidden:
        assert f">{html.escape(topic.label)}</a>" not in page
    assert re.search(r'<script src="/static/app\.js\?v=[0-9a-f]{12}" defer></script>', page)
    assert "<script>" not in page, "no inline script (the CSP forbids it)"


async def test_home_page_answers_without_javascript(client, live_kb):
    page = await get_html(client, "/", params={"q": SQUATTING})
    expected = live_kb.answer(SQUATTING)
    assert expected.citations
    assert html.escape(expected.answer) in page
    for citation in expected.citations:
        assert html.escape(citation.quote) in page
        assert html.escape(" › ".join(citation.path)) in page
        copy = html.escape(f"{citation.reference}：{citation.quote}")
        assert f'data-copy="{copy}">复制引用</button>' in page
        assert f'href="/unit/{citation.id}"' in page
    assert re.search(r'data-question-id="\d+"', page)
    assert "👍" in page and "👎" in page


async def test_home_page_refusals_render_in_the_page(make_client):
    client = await make_client(max_question_chars=5)
    page = await get_html(client, "/", status=413, params={"q": "专利质押融资怎么办"})
    assert messages.too_long(5) in page
    page = await get_html(client, "/", params={"q": "   "})
    assert 'id="error" class="error" role="alert" hidden' in page


async def test_home_page_rate_limited_when_asking(make_client):
    client = await make_client(rate_limit=1)
    await get_html(client, "/", params={"q": SQUATTING})
    response = await client.get("/", params={"q": SQUATTING})
    assert response.status == 429
    assert "太频繁" in await response.text()
    assert response.headers["Retry-After"]
    await get_html(client, "/")  # the bare page still opens


async def test_suggestions_are_links_that_ask(make_client, live_kb):
    choices = ["专利可以拿去银行贷款吗", '商标<b>被抢注</b>怎么办']
    kb = CannedKb(live_kb, {"专利": clarifying_answer(live_kb, "专利", choices)})
    client = await make_client(kb_override=kb)
    page = await get_html(client, "/", params={"q": "专利"})
    assert "您是不是想问：" in page
    for choice in choices:
        assert f'href="/?q={quote(choice, safe="")}" data-q="{html.escape(choice)}">{html.escape(choice)}</a>' in page
    assert "<b>" not in page


async def test_plan_page_links_every_unit(client, live_kb):
    page = await get_html(client, "/plan")
    units = live_kb.units()
    assert len(units) > 50
    linked = {unquote(m) for m in re.findall(r'href="/unit/([^"]+)"', page)}
    assert linked == {u.id for u in units}
    for unit in units:
        assert html.escape(unit.heading) in page
    chapters = [u for u in units if u.kind == "chapter"]
    assert page.index(chapters[0].heading) < page.index(html.escape(chapters[-1].heading))
    assert "《万州区知识产权“十四五”规划》（2021—2025年）" in page


async def test_unit_page_is_a_citable_permalink(client, live_kb):
    unit = live_kb.unit("plan:5.1.3")
    page = await get_html(client, "/unit/plan:5.1.3")
    reference = live_kb.reference("plan:5.1.3")
    assert f"<h1>{unit.heading}</h1>" in page
    assert html.escape(unit.body) in page
    assert "知识产权质押融资" in unit.body
    for step in unit.path[:-1]:
        assert html.escape(step) in page
    assert 'href="/unit/plan:5.1"' in page and 'href="/unit/plan:5"' in page, "breadcrumbs link the parents"
    copy = html.escape(f"{reference}：{unit.body}")
    assert f'data-copy="{copy}">复制引用</button>' in page
    assert 'rel="prev"' in page and 'rel="next"' in page


async def test_unit_page_of_a_chapter_lists_its_children(client, live_kb):
    page = await get_html(client, "/unit/plan:5")
    children = [u for u in live_kb.units() if u.parent == "plan:5"]
    assert children
    for child in children:
        assert f'href="/unit/{child.id}"' in page


async def test_indicator_box_shows_its_table(client, live_kb):
    box = next(u for u in live_kb.units() if u.rows)
    page = await get_html(client, f"/unit/{box.id}")
    assert "<table>" in page
    for row in box.rows:
        assert html.escape(row.indicator) in page and html.escape(row.target) in page


async def test_unknown_unit_page_is_404_and_escapes_the_id(client):
    payload = '<img src=x onerror=alert(1)>'
    page = await get_html(client, "/unit/" + quote(payload), status=404)
    assert payload not in page
    assert html.escape(payload) in page
    assert "没有找到" in page


async def test_script_in_question_is_escaped_on_the_page(client):
    payload = '<script>alert("x")</script>"><img src=x onerror=alert(1)>商标'
    page = await get_html(client, "/", params={"q": payload})
    assert "<script>alert" not in page and "<img src=x" not in page
    assert html.escape(payload) in page


async def test_unknown_page_is_a_chinese_404(client):
    page = await get_html(client, "/nowhere", status=404)
    assert messages.NOT_FOUND in page


async def test_contacts_page(client, live_kb):
    page = await get_html(client, "/contacts")
    contacts = live_kb.contacts()
    assert contacts
    for contact in contacts:
        assert f'id="{contact.id}"' in page
        assert html.escape(contact.name) in page
        assert html.escape(contact.handles[0]) in page
    unreachable = [c for c in contacts if not c.phone and not c.address]
    if unreachable:
        assert page.count('class="hotline"') == len(unreachable)
    assert "请通过区内29个知识产权综合咨询服务窗口或拨打12345政务服务便民热线咨询" in page


async def test_static_assets_are_served_and_cacheable(client):
    page = await get_html(client, "/")
    url = re.search(r'src="(/static/app\.js\?v=[0-9a-f]+)"', page).group(1)
    response = await client.get(url)
    assert response.status == 200
    assert "textContent" in await response.text()
    assert "immutable" in response.headers["Cache-Control"]
    css = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', page).group(1)
    assert (await client.get(css)).status == 200
    assert (await client.get("/static/../app.py")).status == 404


def test_period_note_before_and_after_the_period_ends(live_kb):
    import datetime as dt

    assert "已经结束" in period_notes(live_kb, dt.date(2026, 1, 1))[0]
    during = period_notes(live_kb, dt.date(2024, 6, 1))[0]
    assert "已经结束" not in during and "目标" in during


class ContactsKb:
    """The real knowledge base with a contacts list of our own."""

    def __init__(self, kb, contacts):
        self._kb = kb
        self._contacts = contacts

    def contacts(self):
        return self._contacts

    def __getattr__(self, name):
        return getattr(self._kb, name)


async def test_contact_fields_are_escaped_and_only_web_urls_linked(make_client, live_kb):
    from kb.corpus_models import Contact

    contacts = [
        Contact(id="reachable", name="区<b>知识产权</b>局", handles=["咨询"], phone="023-5812 3456",
                address="万州区<script>x</script>路1号", hours="工作日 9:00—17:00", url="https://ip.example.cn/a?b=1&c=2"),
        Contact(id="tricky", name="某中心", handles=["投诉"], url="javascript:alert(1)"),
    ]
    client = await make_client(kb_override=ContactsKb(live_kb, contacts))
    page = await get_html(client, "/contacts")
    assert "<b>知识产权</b>" not in page and "&lt;b&gt;知识产权&lt;/b&gt;" in page
    assert "<script>x" not in page
    assert 'href="tel:023-58123456"' in page
    assert 'href="https://ip.example.cn/a?b=1&amp;c=2"' in page
    assert "javascript:" not in page
    assert page.count('class="hotline"') == 1, "only the contact without phone and address gets the hotline"
