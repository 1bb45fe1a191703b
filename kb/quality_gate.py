"""Refuse to publish an index that answers the evaluation set worse than the one serving now."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kb.corpus import TUNING_SETS, load_eval
from kb.errors import QualityGateError
from kb.evaluate import evaluate
from kb.publish import published_manifest
from kb.settings import KbSettings

# (manifest key, label, higher is better)
GATED = (("hit1", "hit@1", True), ("hit3", "hit@3", True), ("oos_refused", "out-of-scope refused", True),
         ("wrongly_refused", "in-scope wrongly refused", False), ("figure_accuracy", "figure accuracy", True))
TOLERANCE = 1e-9


def _fingerprint(questions) -> str:
    text = "\n".join(f"{q.q}\t{','.join(q.expect)}\t{q.figure or ''}" for q in questions)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def evaluate_candidate(directory: Path, settings: KbSettings, *, force: bool, progress) -> dict:
    """Evaluate the index in ``directory``; raise QualityGateError when it is worse (unless ``force``)."""
    from kb.service import KnowledgeBase

    questions = load_eval(settings.corpus_dir)
    if not questions:
        progress(f"no evaluation questions (corpus/eval/: {', '.join(TUNING_SETS)}): gate skipped")
        return {}
    candidate = KnowledgeBase(directory, settings)
    try:
        scores = evaluate(candidate.answer, questions).as_dict()
    finally:
        candidate.close()
    figures: dict = {k: round(scores[k], 4) for k, _, _ in GATED}
    progress("evaluation: " + ", ".join(f"{label} {figures[k]:.3f}" for k, label, _ in GATED))
    figures["questions"] = _fingerprint(questions)

    serving = (published_manifest(settings) or {}).get("evaluation") or {}
    if serving.get("questions") != figures["questions"]:
        # the labelled questions changed since that index was published: its figures are not comparable
        progress("evaluation questions changed since the serving index: compared with the floor only")
        serving = {}
    floors = {"hit1": settings.gate_min_hit1}
    problems = []
    for key, label, higher in GATED:
        new = figures[key]
        old = serving.get(key)
        if old is not None and (new < old - TOLERANCE if higher else new > old + TOLERANCE):
            # four decimals, as stored: a drop of one question in 6 000 must not read "0.990 is worse than 0.990"
            problems.append(f"{label} {new:.4f} is worse than the serving index's {old:.4f}")
        if key in floors and new < floors[key]:
            problems.append(f"{label} {new:.3f} is below the floor {floors[key]:.3f}")
    if problems and not force:
        raise QualityGateError("not published: " + "; ".join(problems) + " (use --force to publish anyway)")
    if problems:
        progress("published despite: " + "; ".join(problems))
    return figures
