"""5-fold cross-validation of the two learned models over the tuning sets (corpus/eval/dev*.yaml).

Both models learn from the tuning questions, so `kb eval` on those sets measures fit, not
generalisation. Here each fold is answered by a unit prior and a scope check trained without it
(on the other folds, the FAQ phrasings and the plan's sentences), by the published index otherwise,
and compared in the same run with the same folds answered without the unit prior and with the naive
baseline. This is how the weights in kb/answering.py (PRIOR_WEIGHT, PRIOR_CANDIDATE,
SOURCE_ORDER_WEIGHT, scope_model_keep) were chosen; `--set NAME=VALUE` tries another value.

    .venv/bin/python bench/cv_learned.py [--folds 5] [--misses] [--set PRIOR_WEIGHT=0.5 ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb import answering, scope_model, search, unit_model  # noqa: E402
from kb.baseline import NaiveBaseline  # noqa: E402
from kb.corpus import load_corpus, load_eval  # noqa: E402
from kb.eval_sets import TUNING_SETS  # noqa: E402
from kb.evaluate import Scores, evaluate  # noqa: E402
from kb.index_store import AnalysedTexts, unit_examples  # noqa: E402
from kb.publish import build_and_publish, fingerprint, published_dir, published_manifest  # noqa: E402
from kb.settings import KbSettings  # noqa: E402
from kb.snapshot import Snapshot  # noqa: E402

METRICS = (("hit@1", "hit1"), ("hit@3", "hit3"), ("MRR", "mrr"), ("out-of-scope refused", "oos_refused"),
           ("in-scope wrongly refused", "wrongly_refused"), ("figure accuracy", "figure_accuracy"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", action="store_true", help="print the out-of-fold misses (with prior)")
    parser.add_argument("--by-set", action="store_true",
                        help="folds of whole sets: each fold is answered by models that never saw its writer")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a weight of kb/answering.py (or scope_model.C, search.UNTRANSLATED_WEIGHT, t.scope_model …) for this run")
    args = parser.parse_args()
    thresholds: dict[str, float] = {}
    for assignment in args.set:
        name, value = assignment.split("=", 1)
        module_name, _, name = name.rpartition(".")
        if module_name == "t" and name in {f.name for f in dataclasses.fields(answering.Thresholds)}:
            thresholds[name] = float(value)  # a threshold of kb/answering.py's Thresholds
            continue
        modules = {"": answering, "scope_model": scope_model, "unit_model": unit_model, "search": search}
        module = modules.get(module_name)
        if module is None or not hasattr(module, name):
            parser.error(f"no {assignment.split('=', 1)[0]} to set: NAME (kb/answering.py) or "
                         f"{', '.join(m + '.NAME' for m in modules if m)}, t.THRESHOLD")
        setattr(module, name, type(getattr(module, name))(float(value)))

    settings = KbSettings()
    manifest = published_manifest(settings)
    if manifest is None or manifest.get("fingerprint") != fingerprint(settings):
        # the quality gate may refuse a rebuild and keep serving an index built from other inputs:
        # cross-validation must read the corpus and build code as they are now
        build_and_publish(settings, gate=False)
    snapshot = Snapshot.open(published_dir(settings), settings)
    answerer = snapshot.answerer
    answerer.t = dataclasses.replace(answerer.t, **thresholds)
    corpus = load_corpus(settings.corpus_dir)
    sets = [load_eval(settings.corpus_dir, (name,)) for name in TUNING_SETS]
    questions = [q for questions in sets for q in questions]
    analyse = AnalysedTexts(answerer.queries.lexicon, answerer.queries.analyzer)
    for_scope = analyse.for_scope

    faq_questions = [for_scope(q) for entry in corpus.faq for q in entry.questions]
    folds = set_folds(sets, args.folds) if args.by_set else random_folds(questions, args.folds, args.seed)
    baseline = NaiveBaseline(snapshot.units)
    with_prior, without_prior, naive = [], [], []
    for k, fold in enumerate(folds):
        train = [q for j, other in enumerate(folds) if j != k for q in other]
        examples = unit_examples(corpus, [q for q in train if q.in_scope])
        prior = unit_model.train([analyse(t) for t, _, _ in examples], [u for _, u, _ in examples],
                                 [w for _, _, w in examples])
        answerer.scope_model = scope_model.train([for_scope(q.q) for q in train] + faq_questions,
                                                 [not q.in_scope for q in train] + [False] * len(faq_questions))
        answerer.unit_model = prior
        with_prior.append(evaluate(answerer.answer, fold))
        answerer.unit_model = None
        without_prior.append(evaluate(answerer.answer, fold))
        naive.append(evaluate(baseline.answer, fold))
        print(f"fold {k + 1}/{args.folds}: {len(fold)} questions", file=sys.stderr)
    baseline.close()

    kind = "by-set " if args.by_set else ""
    print(f"== {args.folds}-fold {kind}cross-validation over {', '.join(TUNING_SETS)}: {len(questions)} questions ==")
    print(f"{'metric':<26}{'with prior':>11}{'without':>9}{'baseline':>10}{'ratio':>8}")
    for label, key in METRICS:
        ours, plain, base = (pooled(runs, key) for runs in (with_prior, without_prior, naive))
        ratio = f"{ours / base:.2f}" if base else "-"
        print(f"{label:<26}{ours:>11.3f}{plain:>9.3f}{base:>10.3f}{ratio:>8}")
    if args.misses:
        for scores in with_prior:
            print("\n".join(scores.misses))
    print("(with prior: the unit prior and the scope check trained without the fold; without: the same "
          "scope check, no unit prior; ratio = with prior / baseline)")


def random_folds(questions: list, n: int, seed: int) -> list[list]:
    order = list(range(len(questions)))
    random.Random(seed).shuffle(order)
    return [[questions[i] for i in order[k::n]] for k in range(n)]


def set_folds(sets: list[list], n: int) -> list[list]:
    """Whole sets dealt largest first to the smallest fold, so folds are of about equal size."""
    folds: list[list] = [[] for _ in range(n)]
    for questions in sorted(sets, key=len, reverse=True):
        min(folds, key=len).extend(questions)
    return folds


def pooled(runs: list[Scores], key: str) -> float:
    """A metric over all folds together, each fold weighing by the questions the metric counts."""
    weight = {"oos_refused": "out_of_scope", "figure_accuracy": "figures"}.get(key, "in_scope")
    total = sum(getattr(s, weight) for s in runs)
    return sum(getattr(s, key) * getattr(s, weight) for s in runs) / total if total else 0.0


if __name__ == "__main__":
    main()
