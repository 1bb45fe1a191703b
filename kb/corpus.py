"""Load and validate everything under ``corpus/``; every problem is reported as ``file:line: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kb.corpus_models import (ContactsFile, Contact, EvalFile, EvalQuestion, FaqEntry, FaqFile,
                              PlanMeta, Topic, TopicsFile)
from kb.eval_sets import HELD_OUT_SETS, TUNING_SETS  # noqa: F401  (re-exported)
from kb.errors import CorpusError
from kb.lexicon import Lexicon
from kb.models import Unit
from kb.plan_parser import parse_plan

M = TypeVar("M", bound=BaseModel)


@dataclass
class Located:
    """Where a corpus item was defined, for error messages."""

    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Corpus:
    root: Path
    plans: dict[str, PlanMeta] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    faq: list[FaqEntry] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    lexicon: Lexicon = field(default_factory=Lexicon)
    where: dict[str, Located] = field(default_factory=dict)  # "faq:<id>" / "contact:<id>" -> location

    def source_files(self) -> list[Path]:
        """Every file that feeds an index (for the staleness fingerprint)."""
        patterns = ("plans/*.txt", "plans/*.yaml", "faq/*.yaml", "contacts.yaml", "topics.yaml", "dict/*.txt",
                    "eval/*.yaml")  # the scope model learns from the labelled questions
        return sorted(p for pattern in patterns for p in self.root.glob(pattern))


def read_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}:1: file missing") from exc
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}:1: not UTF-8 text") from exc
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        started = ""  # where the unfinished construct began, e.g. the line with an unclosed '['
        if exc.context and exc.problem and exc.context_mark and exc.context_mark.line + 1 != line:
            started = f" ({exc.context} that starts at line {exc.context_mark.line + 1})"
        raise CorpusError(f"{path}:{line}: YAML syntax error: {exc.problem or exc.context}{started}") from exc


def line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """1-based line of the deepest node along ``loc`` in a ruamel round-trip document."""
    line = getattr(getattr(data, "lc", None), "line", 0) or 0
    node = data
    for key in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(key, int) and isinstance(node, list):
                if lc is not None:
                    line = lc.item(key)[0]
                node = node[key]
            elif isinstance(node, dict) and key in node:
                if lc is not None:
                    line = lc.key(key)[0]
                node = node[key]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    return line + 1


def validate(path: Path, data: Any, model: type[M]) -> M:
    if data is None:
        raise CorpusError(f"{path}:1: file is empty")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CorpusError(f"{path}:{line_of(data, tuple(first['loc']))}: {where}: {first['msg']}") from exc


def item_line(data: Any, key: str, index: int) -> int:
    return line_of(data, (key, index))


def load_plans(root: Path, corpus: Corpus) -> None:
    texts = sorted((root / "plans").glob("*.txt"))
    if not texts:
        raise CorpusError(f"{root / 'plans'}:1: no plan text (*.txt) found")
    for text_path in texts:
        meta_path = text_path.with_suffix(".meta.yaml")
        meta = validate(meta_path, read_yaml(meta_path), PlanMeta)
        if meta.id in corpus.plans:
            raise CorpusError(f"{meta_path}:1: plan id '{meta.id}' is used by another plan")
        corpus.plans[meta.id] = meta
        try:
            text = text_path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{text_path}:1: not UTF-8 text") from exc
        units = parse_plan(text, meta.id, str(text_path))
        offset = len(corpus.units)
        corpus.units.extend(u.model_copy(update={"order": offset + u.order}) for u in units)


def load_faq(root: Path, corpus: Corpus) -> dict[str, tuple[Path, Any]]:
    raw_files: dict[str, tuple[Path, Any]] = {}
    for path in sorted((root / "faq").glob("*.yaml")):
        data = read_yaml(path)
        parsed = validate(path, data, FaqFile)
        raw_files[str(path)] = (path, data)
        for i, entry in enumerate(parsed.entries):
            key = f"faq:{entry.id}"
            here = Located(path, item_line(data, "entries", i))
            if key in corpus.where:
                raise CorpusError(f"{here}: duplicate FAQ id '{entry.id}' (first defined at {corpus.where[key]})")
            corpus.where[key] = here
            corpus.faq.append(entry)
    return raw_files


def load_listed(path: Path, model: type[M], key: str, corpus: Corpus, kind: str) -> list[Any]:
    if not path.exists():
        return []
    data = read_yaml(path)
    items = getattr(validate(path, data, model), key)
    for i, item in enumerate(items):
        ref = f"{kind}:{item.id}"
        here = Located(path, item_line(data, key, i))
        if ref in corpus.where:
            raise CorpusError(f"{here}: duplicate {kind} id '{item.id}' (first defined at {corpus.where[ref]})")
        corpus.where[ref] = here
    return items


def check_references(corpus: Corpus) -> list[str]:
    """Cross-file problems: unknown unit, topic and contact ids. Returns file:line messages."""
    unit_ids = {u.id for u in corpus.units}
    topic_ids = {t.id for t in corpus.topics}
    contact_ids = {c.id for c in corpus.contacts}
    problems: list[str] = []

    def check(ref: str, label: str, values: list[str], known: set[str], what: str) -> None:
        for value in values:
            if value not in known:
                problems.append(f"{corpus.where[ref]}: {label}: unknown {what} '{value}'")

    for entry in corpus.faq:
        ref = f"faq:{entry.id}"
        check(ref, f"FAQ '{entry.id}' sources", entry.sources, unit_ids, "plan unit id")
        if topic_ids:
            check(ref, f"FAQ '{entry.id}' topics", entry.topics, topic_ids, "topic")
        check(ref, f"FAQ '{entry.id}' contacts", entry.contacts, contact_ids, "contact")
    for contact in corpus.contacts:
        ref = f"contact:{contact.id}"
        check(ref, f"contact '{contact.id}' sources", contact.sources, unit_ids, "plan unit id")
        if topic_ids:
            check(ref, f"contact '{contact.id}' topics", contact.topics, topic_ids, "topic")
    for topic in corpus.topics:
        check(f"topic:{topic.id}", f"topic '{topic.id}' contacts", topic.contacts, contact_ids, "contact")
    return problems


def load_corpus(root: Path) -> Corpus:
    """Load and validate the whole corpus; raises CorpusError with file:line on the first problem."""
    root = Path(root)
    corpus = Corpus(root=root)
    load_plans(root, corpus)
    load_faq(root, corpus)
    corpus.contacts = load_listed(root / "contacts.yaml", ContactsFile, "contacts", corpus, "contact")
    corpus.topics = load_listed(root / "topics.yaml", TopicsFile, "topics", corpus, "topic")
    corpus.lexicon = Lexicon.load_dir(root / "dict")
    problems = check_references(corpus)
    if problems:
        raise CorpusError("\n".join(problems))
    return corpus


def load_eval(root: Path, names: tuple[str, ...] = TUNING_SETS) -> list[EvalQuestion]:
    questions: list[EvalQuestion] = []
    for name in names:
        path = root / "eval" / name
        if path.exists():
            questions.extend(validate(path, read_yaml(path), EvalFile).questions)
    return questions
