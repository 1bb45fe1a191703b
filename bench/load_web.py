"""Load test of the web API: /api/ask at 50 concurrent clients, loopback only, bounded in count and time.

    .venv/bin/python bench/load_web.py [--clients 50] [--requests 5000] [--max-seconds 120]

Starts the web app in this process on 127.0.0.1 (a free port, rate limit off, a throw-away question
log), over the published index (built first if missing, as ``kb serve`` would). The 50 aiohttp clients
run in one child process, so that they do not take the server's CPU as remote clients would not.
Questions are the distinct questions of corpus/eval/*.yaml (FAQ questions are added if that gives
fewer than 100).

Two phases are measured and printed:
  cold   every distinct question asked once (nothing cached: the knowledge base answers each one);
  steady ``--requests`` requests drawn from the same questions (repeats are served from the answer
         cache, as the windows' repeated questions are in service).
Exits 1 when any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from bot.web.app import create_web_app, run_web  # noqa: E402
from bot.web.settings import WebSettings  # noqa: E402

TARGET_RPS = 300
TARGET_P95_MS = 100.0


def load_questions(minimum: int = 100) -> list[str]:
    from kb.corpus import load_eval, load_corpus
    from kb.settings import KbSettings

    corpus_dir = KbSettings().corpus_dir
    names = tuple(sorted(p.name for p in (corpus_dir / "eval").glob("*.yaml")))
    questions = list(dict.fromkeys(q.q.strip() for q in load_eval(corpus_dir, names) if q.q.strip()))
    if len(questions) < minimum:
        for entry in load_corpus(corpus_dir).faq:
            questions.extend(q for q in entry.questions if q not in questions)
    if len(questions) < minimum:
        raise SystemExit(f"only {len(questions)} distinct questions found; the load test needs {minimum}")
    return questions


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


async def run_phase(base: str, questions: list[str], clients: int, deadline: float) -> dict:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for q in questions:
        queue.put_nowait(q)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    timeout = aiohttp.ClientTimeout(total=30)

    async def client(session: aiohttp.ClientSession, number: int) -> None:
        while time.monotonic() < deadline:
            try:
                question = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                if number % 2:
                    request = session.post(f"{base}/api/ask", json={"q": question})
                else:
                    request = session.get(f"{base}/api/ask", params={"q": question})
                async with request as response:
                    data = await response.json()
                    ok = response.status == 200 and data.get("question") == question and data.get("answer")
                    if not ok:
                        key = f"HTTP {response.status}"
                        errors[key] = errors.get(key, 0) + 1
                        continue
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(client(session, i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies) + sum(errors.values()), "ok": len(latencies), "errors": errors,
            "seconds": elapsed, "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50": percentile(latencies, 50) * 1000, "p95": percentile(latencies, 95) * 1000,
            "p99": percentile(latencies, 99) * 1000, "unfinished": queue.qsize()}


def run_phase_in_child(base: str, questions: list[str], clients: int, seconds: float) -> dict:
    """Entry point of the client process."""
    return asyncio.run(run_phase(base, questions, clients, time.monotonic() + seconds))


async def measure(pool: ProcessPoolExecutor, base: str, questions: list[str], clients: int,
                  deadline: float) -> dict:
    """Run one phase in the client process while this process serves."""
    seconds = max(0.0, deadline - time.monotonic())
    loop = asyncio.get_running_loop()
    cpu = time.process_time()
    result = await loop.run_in_executor(pool, run_phase_in_child, base, questions, clients, seconds)
    result["server_cpu_ms"] = 1000 * (time.process_time() - cpu) / max(1, result["requests"])
    return result


def show(name: str, r: dict) -> None:
    errors = sum(r["errors"].values())
    detail = f"  {r['errors']}" if errors else ""
    cut = f"  ({r['unfinished']} not sent: time bound reached)" if r["unfinished"] else ""
    print(f"{name:<7}{r['requests']:>9}{errors:>8}{r['rps']:>10.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
          f"{r['p99']:>9.1f}{r['seconds']:>9.1f}{r['server_cpu_ms']:>8.2f}{detail}{cut}")


async def main(args: argparse.Namespace) -> int:
    from kb.question_log import QuestionLog
    from kb.service import LiveKnowledgeBase

    questions = load_questions()
    kb = LiveKnowledgeBase()
    with tempfile.TemporaryDirectory(prefix="load-web-") as tmp:
        log = QuestionLog(Path(tmp) / "questions.sqlite3")
        settings = WebSettings(_env_file=None, rate_limit=0, answer_cache_size=args.cache)
        app = create_web_app(kb, log, settings)
        runner = await run_web(app, "127.0.0.1", 0)
        host, port = runner.addresses[0][:2]
        base = f"http://{host}:{port}"
        try:
            deadline = time.monotonic() + args.max_seconds
            print(f"index {kb.version}; {len(questions)} distinct questions; {args.clients} concurrent clients; "
                  f"answer cache {'off' if not args.cache else args.cache}; {base}")
            load = os.getloadavg()[0]
            print(f"{os.cpu_count()} CPUs, load average {load:.2f} before the run"
                  + ("  (the machine is busy: figures are pessimistic)" if load > 1.0 else ""))
            print(f"{'phase':<7}{'requests':>9}{'errors':>8}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
                  f"{'p99 ms':>9}{'seconds':>9}{'cpu ms':>8}")
            with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
                cold = await measure(pool, base, questions, args.clients, deadline)
                show("cold", cold)
                rng = random.Random(args.seed)
                steady_questions = [rng.choice(questions) for _ in range(args.requests)]
                steady = await measure(pool, base, steady_questions, args.clients, deadline)
                show("steady", steady)
        finally:
            await runner.cleanup()
            log.close()
    met = steady["rps"] >= TARGET_RPS and steady["p95"] < TARGET_P95_MS and not steady["errors"]
    print(f"target (steady): >= {TARGET_RPS} req/s, p95 < {TARGET_P95_MS:.0f} ms, no errors: "
          f"{'met' if met else 'NOT met'}")
    print(f"cpu ms = server CPU time per request (this process; the clients run in another): one core "
          f"serves at most ~{1000 / max(steady['server_cpu_ms'], 1e-6):.0f} req/s from the cache and "
          f"~{1000 / max(cold['server_cpu_ms'], 1e-6):.0f} req/s of new questions")
    return 1 if cold["errors"] or steady["errors"] else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000, help="requests in the steady phase (≤ 100000)")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="time bound for both phases")
    parser.add_argument("--cache", type=int, default=2048, help="answer cache size (0: every request answered)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.requests = max(1, min(args.requests, 100_000))
    args.clients = max(1, min(args.clients, 500))
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
