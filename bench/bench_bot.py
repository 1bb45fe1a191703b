"""Benchmark of the Telegram bot: text updates through ``Dispatcher.feed_update``.

The real dispatcher, routers, middlewares, knowledge base (the published index) and question log
(a temporary SQLite file); only the Bot API is replaced by a recording session, so what is measured
is the bot's own work per update. Questions come from corpus/eval/*.yaml (a built-in list otherwise).

Prints updates handled per second and the time from update to reply (p50 / p95), once feeding one
update at a time (the bot's own time per update) and once in bursts of updates arriving together
(as one getUpdates batch is run as tasks: the later ones in a burst wait for the earlier ones).
For comparison it first times ``kb.answer`` alone over the same questions.

    .venv/bin/python bench/bench_bot.py [-n 2000] [--concurrency 50]

Target on the 2-core machine: at least 200 updates a second, p95 under 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiogram.methods import SendMessage  # noqa: E402
from aiogram.types import Update  # noqa: E402

from bot.telegram.factory import create_bot, create_dispatcher  # noqa: E402
from bot.telegram.settings import BotSettings  # noqa: E402
from bot.telegram.testing import RecordingSession  # noqa: E402
from kb.question_log import QuestionLog  # noqa: E402
from kb.settings import KbSettings  # noqa: E402

BUILT_IN = [
    "专利可以拿去银行贷款吗", "网上有人卖我们品牌的仿冒货，该找谁", "申请专利政府给补贴吗",
    "商标被人抢注了怎么办", "地理标志怎么申请", "知识产权咨询窗口在哪", "什么是高价值专利",
    "到2025年每万人发明专利拥有量目标是多少", "知识产权纠纷可以调解吗", "今天天气怎么样",
]
QUESTIONS_PER_USER = 10  # stays under the per-user rate limit (20 a minute)


def load_questions(corpus_dir: Path) -> list[str]:
    from ruamel.yaml import YAML

    questions: list[str] = []
    for path in sorted((corpus_dir / "eval").glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        questions += [str(item["q"]) for item in data.get("questions", []) if item.get("q")]
    return questions or BUILT_IN


def make_updates(bot, questions: list[str], n: int, first_id: int) -> list[Update]:
    updates = []
    for i in range(n):
        user_id = 10_000 + (first_id + i) // QUESTIONS_PER_USER
        raw = {"update_id": first_id + i, "message": {
            "message_id": first_id + i, "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "bench"},
            "from": {"id": user_id, "is_bot": False, "first_name": "bench"},
            "text": questions[i % len(questions)]}}
        updates.append(Update.model_validate(raw, context={"bot": bot}))
    return updates


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def feed(dp, bot, session: RecordingSession, updates: list[Update], concurrency: int
               ) -> tuple[float, list[float]]:
    """Feed updates in bursts of ``concurrency`` arriving together.

    Returns the elapsed seconds and, per update, the time from its burst's arrival to its reply
    (with one at a time: the bot's time per update; with bursts: waiting behind the others too).
    """
    latencies: list[float] = []

    async def one(update: Update, arrived: float) -> None:
        await dp.feed_update(bot, update)
        message_id = update.message.message_id
        replied = next((at for method, at in zip(session.requests, session.sent_at)
                        if isinstance(method, SendMessage) and method.reply_parameters is not None
                        and method.reply_parameters.message_id == message_id), None)
        if replied is None:
            raise RuntimeError(f"no reply to update {update.update_id}")
        latencies.append(replied - arrived)

    began = time.perf_counter()
    for start in range(0, len(updates), concurrency):
        session.clear()
        arrived = time.perf_counter()
        await asyncio.gather(*(one(u, arrived) for u in updates[start:start + concurrency]))
    return time.perf_counter() - began, latencies


def report(label: str, n: int, elapsed: float, latencies: list[float], what: str = "updates") -> None:
    ms = [x * 1000 for x in latencies]
    print(f"{label}: {n} {what} in {elapsed:.2f} s -> {n / elapsed:.0f} {what}/s; "
          f"{'update->reply ' if what == 'updates' else ''}p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
          f"max {max(ms):.1f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="updates per phase")
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()

    from kb.service import LiveKnowledgeBase

    kb_settings = KbSettings()
    kb = LiveKnowledgeBase(kb_settings, background=True)  # as the servers run it
    questions = load_questions(kb_settings.corpus_dir)
    with tempfile.TemporaryDirectory() as tmp:
        log = QuestionLog(Path(tmp) / "bench.sqlite3")
        settings = BotSettings(_env_file=None, token="42:BENCH")
        session = RecordingSession()
        bot = create_bot(settings, session=session)
        dp = create_dispatcher(kb, log, settings)
        print(f"index {kb.version}; {len(questions)} distinct questions; {args.n} updates per phase")

        await feed(dp, bot, session, make_updates(bot, questions, 50, 1), 1)  # warm-up
        snapshot = kb.current
        began, alone = time.perf_counter(), []
        for i in range(args.n):
            started = time.perf_counter()
            snapshot.answer(questions[i % len(questions)])
            alone.append(time.perf_counter() - started)
        report("kb.answer alone, for comparison", args.n, time.perf_counter() - began, alone, "answers")
        elapsed, latencies = await feed(dp, bot, session, make_updates(bot, questions, args.n, 1_000), 1)
        report("one at a time", args.n, elapsed, latencies)
        elapsed, latencies = await feed(dp, bot, session,
                                        make_updates(bot, questions, args.n, 1_000_000), args.concurrency)
        report(f"bursts of {args.concurrency}", args.n, elapsed, latencies)
        log.close()


if __name__ == "__main__":
    asyncio.run(main())
