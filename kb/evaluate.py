"""Answer quality on labelled questions: hit@1, hit@3, MRR, refusals, figures, per topic, latency."""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from kb.corpus_models import EvalQuestion
from kb.models import Answer


@dataclass
class Scores:
    questions: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    oos_refused: float = 0.0
    wrongly_refused: float = 0.0
    figures: int = 0
    figure_accuracy: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    per_topic: dict[str, tuple[int, float]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("misses")
        return data


def _rank(answer: Answer, expect: list[str]) -> int | None:
    if not answer.answered:
        return None
    for i, citation in enumerate(answer.citations, start=1):
        if citation.id in expect:
            return i
    return None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def evaluate(answer: Callable[[str], Answer], questions: list[EvalQuestion]) -> Scores:
    s = Scores(questions=len(questions))
    hit1 = hit3 = rr = refused_oos = refused_in = figures_ok = 0.0
    timings: list[float] = []
    topics: dict[str, list[int]] = defaultdict(list)
    for item in questions:
        start = time.perf_counter()
        result = answer(item.q)
        timings.append((time.perf_counter() - start) * 1000)
        if not item.in_scope:
            s.out_of_scope += 1
            if not result.answered:
                refused_oos += 1
            else:
                s.misses.append(f"OOS answered: {item.q} -> {result.matched.kind}:{result.matched.id}")
            continue
        s.in_scope += 1
        rank = _rank(result, item.expect)
        refused_in += not result.answered
        hit1 += rank == 1
        hit3 += rank is not None and rank <= 3
        rr += 1 / rank if rank else 0
        topics[item.topic or "general"].append(int(rank == 1))
        if rank != 1:
            got = result.citations[0].id if result.answered and result.citations else "refused"
            also = f" [then {', '.join(c.id for c in result.citations[1:3])}]" if result.citations[1:3] else ""
            s.misses.append(f"miss: {item.q} -> {got} ({result.matched.kind}:{result.matched.id}){also}; "
                            f"want {', '.join(item.expect)}")
        if item.figure:
            s.figures += 1
            if result.answered and item.figure in result.answer:
                figures_ok += 1
            else:
                s.misses.append(f"figure: {item.q} -> wanted {item.figure}")
    n = max(1, s.in_scope)
    s.hit1, s.hit3, s.mrr = hit1 / n, hit3 / n, rr / n
    s.wrongly_refused = refused_in / n
    s.oos_refused = refused_oos / max(1, s.out_of_scope)
    s.figure_accuracy = figures_ok / max(1, s.figures)
    s.p50_ms, s.p95_ms, s.p99_ms = (percentile(timings, q) for q in (50, 95, 99))
    s.per_topic = {t: (len(v), statistics.fmean(v)) for t, v in sorted(topics.items())}
    return s


def report(ours: Scores, baseline: Scores | None, title: str) -> str:
    rows = [("hit@1", "hit1"), ("hit@3", "hit3"), ("MRR", "mrr"),
            ("out-of-scope refused", "oos_refused"), ("in-scope wrongly refused", "wrongly_refused"),
            ("figure accuracy", "figure_accuracy"), ("p50 ms/question", "p50_ms"),
            ("p95 ms/question", "p95_ms"), ("p99 ms/question", "p99_ms")]
    lines = [f"== {title}: {ours.in_scope} in-scope, {ours.out_of_scope} out-of-scope, "
             f"{ours.figures} figure questions ==",
             f"{'metric':<26}{'ours':>9}{'baseline':>10}{'ratio':>8}"]
    for label, key in rows:
        if key == "figure_accuracy" and not ours.figures:
            lines.append(f"{label:<26}{'-':>9}{'-':>10}{'-':>8}")  # no figure questions in this set
            continue
        mine = getattr(ours, key)
        base = getattr(baseline, key) if baseline else None
        ratio = f"{mine / base:.2f}" if base else "-"
        base_text = f"{base:.3f}" if base is not None else "-"
        lines.append(f"{label:<26}{mine:>9.3f}{base_text:>10}{ratio:>8}")
    lines.append("per topic (hit@1, ours / baseline):")
    for topic, (count, value) in ours.per_topic.items():
        base = baseline.per_topic.get(topic, (0, 0.0))[1] if baseline else None
        lines.append(f"  {topic:<14}{count:>4}  {value:.3f}" + (f" / {base:.3f}" if base is not None else ""))
    return "\n".join(lines)
