"""How a unit is cited: its location in the plan and the sentences quoted from it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kb.corpus_models import PlanMeta
from kb.models import Citation, Unit

STRUCTURAL = ("chapter", "section", "box")


def unit_title(unit: Unit) -> str:
    """The unit's own heading without its number (第五章 … -> …; measures keep their lead phrase)."""
    if unit.kind in STRUCTURAL and " " in unit.heading:
        return unit.heading.split(" ", 1)[1]
    return unit.heading


def location(unit: Unit, units: Mapping[str, Unit]) -> str:
    """第五章第一节「促进知识产权与金融业融合发展」, 第五章专栏4「知识产权金融创新专项计划」."""
    chain: list[Unit] = []
    node: Unit | None = unit
    while node is not None:
        chain.append(node)
        node = units.get(node.parent) if node.parent else None
    numbers = [u.heading.split(" ", 1)[0] for u in reversed(chain) if u.kind in STRUCTURAL]
    return "".join(numbers) + f"「{unit_title(unit)}」"


def reference(unit: Unit, units: Mapping[str, Unit], plan: PlanMeta) -> str:
    """《万州区知识产权“十四五”规划》（2021—2025年）第五章第一节「促进知识产权与金融业融合发展」"""
    status = "" if plan.status == "in_force" else "（已被新规划取代）"
    return f"{plan.cite_name}{status}{location(unit, units)}"


def best_sentences(sentences: list[tuple[str, set[str]]], score: Callable[[set[str]], float],
                   limit: int = 3, must_contain_digit: bool = False) -> list[str]:
    """The 1–``limit`` sentences that best match, in document order.

    ``sentences`` are a unit's sentences (without its lead phrase) with their tokens.
    """
    if not sentences:
        return []
    scored = [(score(tokens), i) for i, (text, tokens) in enumerate(sentences)
              if not must_contain_digit or any(ch.isdigit() for ch in text)]
    scored = [x for x in scored if x[0] > 0] or ([] if must_contain_digit else [(0.0, 0)])
    if not scored:
        return []
    scored.sort(key=lambda x: (-x[0], x[1]))
    top = scored[0][0]
    chosen = [i for s, i in scored[:limit] if s >= top * 0.5]
    return [sentences[i][0] for i in sorted(chosen)]


def make_citation(unit: Unit, units: Mapping[str, Unit], plan: PlanMeta, quote: str,
                  score: float) -> Citation:
    return Citation(id=unit.id, title=unit_title(unit), path=unit.path, quote=quote,
                    score=round(score, 3), plan=plan.title, period=plan.period,
                    reference=reference(unit, units, plan))
