"""The ask page in a real browser: Debian's headless Chromium driven by Playwright, loopback only."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from web_support import CannedKb, clarifying_answer, web_settings

from bot.web.app import create_web_app, run_web

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SQUATTING = "企业商标被人抢注了怎么办"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is not installed (.ci/install-browser.sh installs it)")


VAGUE = "专利"
CHOICES = ["专利可以拿去银行贷款吗", "企业商标被人抢注了怎么办"]


@pytest.fixture
async def base_url(live_kb, question_log):
    kb = CannedKb(live_kb, {VAGUE: clarifying_answer(live_kb, VAGUE, CHOICES)})
    app = create_web_app(kb, question_log, web_settings(rate_limit=0))
    runner = await run_web(app, "127.0.0.1", 0)
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}"
    await runner.cleanup()


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


async def open_page(browser, base_url, **context_options):
    context = await browser.new_context(locale="zh-CN", **context_options)

    async def loopback_only(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", loopback_only)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, page, errors


async def test_ask_see_citation_and_copy_it(browser, base_url, live_kb):
    from playwright.async_api import expect

    expected = live_kb.answer(SQUATTING)
    assert expected.answered and expected.citations
    first = expected.citations[0]

    context, page, errors = await open_page(browser, base_url, viewport={"width": 360, "height": 740},
                                            permissions=["clipboard-read", "clipboard-write"])
    await page.goto(base_url + "/")
    await page.evaluate("window.__stayed = true")  # proves the answer arrives without reloading the page
    await page.fill("#q", SQUATTING)
    await page.click("#ask-button")

    answer = page.locator("#result .answer")
    await expect(answer.locator(".answer-text")).to_have_text(expected.answer)
    await expect(answer.locator(".asked")).to_have_text("问：" + SQUATTING)
    citations = answer.locator(".citation")
    await expect(citations).to_have_count(len(expected.citations))
    await expect(citations.first.locator(".cite-path")).to_have_text(" › ".join(first.path))
    await expect(citations.first.locator(".cite-quote")).to_have_text(first.quote)
    await expect(citations.first.locator(".cite-ref")).to_have_text(first.reference)
    assert await page.evaluate("window.__stayed") is True
    assert re.search(r"/\?q=", page.url)

    copy = citations.first.get_by_role("button", name="复制引用")
    await copy.click()
    await expect(citations.first.locator(".copy")).to_have_text("已复制")
    clipboard = await page.evaluate("navigator.clipboard.readText()")
    assert clipboard == f"{first.reference}：{first.quote}"
    assert first.reference.startswith("《万州区知识产权“十四五”规划》（2021—2025年）第")
    assert first.quote in clipboard

    await answer.get_by_role("button", name="👍 有帮助").click()
    await expect(answer.locator(".fb-status")).to_have_text("谢谢您的反馈！")
    await expect(answer.locator('.fb[data-value="1"]')).to_have_attribute("aria-pressed", "true")

    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a 360-px phone ({width}px)"
    assert errors == []
    await context.close()


async def test_copy_falls_back_without_clipboard_api(browser, base_url, live_kb):
    """Plain http on a LAN address is no secure context: navigator.clipboard is missing there."""
    from playwright.async_api import expect

    context, page, errors = await open_page(browser, base_url)
    await page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});"
                               "window.__copied = [];"
                               "document.addEventListener('copy', function () {"
                               "  window.__copied.push(String(document.getSelection())); });")
    await page.goto(base_url + "/unit/plan:5.1.3")
    await page.get_by_role("button", name="复制引用").click()
    await expect(page.locator(".copy")).to_have_text("已复制")
    copied = await page.evaluate("window.__copied")
    unit = live_kb.unit("plan:5.1.3")
    assert copied == [f"{live_kb.reference('plan:5.1.3')}：{unit.body}"]
    assert errors == []
    await context.close()


async def test_topic_button_asks_and_bad_input_gets_a_message(browser, base_url, live_kb):
    from playwright.async_api import expect

    topic = next(t for t in live_kb.topics() if t.button and t.examples)
    context, page, errors = await open_page(browser, base_url)
    await page.goto(base_url + "/")
    await page.get_by_role("link", name=topic.label, exact=True).click()
    await expect(page.locator("#result .asked")).to_have_text("问：" + topic.examples[0])
    await expect(page.locator("#q")).to_have_value(topic.examples[0])
    assert await page.locator("#result .answer-text").inner_text()

    await page.fill("#q", "   ")
    await page.press("#q", "Enter")
    await expect(page.locator("#error")).to_have_text(re.compile("请输入您的问题"))
    await expect(page.locator("#result .asked")).to_have_text("问：" + topic.examples[0])

    payload = '<img src=x onerror="window.__xss=1">商标'
    await page.fill("#q", payload)
    await page.press("#q", "Enter")
    await expect(page.locator("#result .asked")).to_have_text("问：" + payload)
    assert await page.evaluate("window.__xss") is None
    assert await page.locator("#result img").count() == 0
    assert errors == []
    await context.close()


async def test_did_you_mean_choices_ask_the_chosen_question(browser, base_url, live_kb):
    from playwright.async_api import expect

    context, page, errors = await open_page(browser, base_url)
    await page.goto(base_url + "/")
    await page.fill("#q", VAGUE)
    await page.click("#ask-button")
    choices = page.locator("#result .suggestions a.suggestion")
    await expect(choices).to_have_text(CHOICES)
    await expect(page.locator("#result .answer-text")).to_have_class(re.compile("fallback"))
    await choices.nth(1).click()
    await expect(page.locator("#result .asked")).to_have_text("问：" + CHOICES[1])
    expected = live_kb.answer(CHOICES[1])
    await expect(page.locator("#result .answer-text")).to_have_text(expected.answer)
    await expect(page.locator("#result .citation")).to_have_count(len(expected.citations))
    names = {c.id: c.name for c in live_kb.contacts()}
    contacts = [names[cid] for cid in expected.contacts if cid in names]
    if contacts:
        await expect(page.locator("#result .contacts-hint a")).to_have_text(contacts)
    assert errors == []
    await context.close()


async def test_copy_refused_by_the_browser_shows_the_text_to_copy_by_hand(browser, base_url, live_kb):
    """Some in-app browsers refuse both ways of copying: the text is then shown, selected, for a long press."""
    from playwright.async_api import expect

    context, page, errors = await open_page(browser, base_url)
    await page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});"
                               "document.execCommand = function () { return false; };")
    await page.goto(base_url + "/unit/plan:5.1.3")
    button = page.get_by_role("button", name="复制引用")
    await button.click()
    await button.click()
    manual = page.locator(".copy-manual")
    await expect(manual).to_have_count(1)
    expected = f"{live_kb.reference('plan:5.1.3')}：{live_kb.unit('plan:5.1.3').body}"
    await expect(manual).to_have_value(expected)
    await expect(page.locator(".copy-hint")).to_have_count(1)
    assert await page.evaluate("String(document.getSelection()) || document.activeElement.value") == expected
    assert errors == []
    await context.close()
