"""``kb check``: every problem in ``corpus/`` at once, compiler style (``file:line: message``).

``load_corpus`` stops at the first problem, which is right for loading; staff editing YAML want the
whole list. The checks, in order:

1. each file on its own: YAML syntax, schema (every pydantic error, at the line of the offending
   item), unfinished templates (the placeholder ``待补充`` left by ``kb faq new`` / ``kb review
   --draft``), blank questions, dictionary lines;
2. across files: duplicate ids (FAQ, contacts, topics; both places named), unknown plan unit, topic
   and contact ids, the same question phrased identically in two entries;
3. only when 1 and 2 found nothing: a candidate index is built into a temporary directory and every
   FAQ phrasing is asked; a phrasing answered by (or asking to choose) another entry is reported.

``kb build`` runs the same checks (``checked_corpus`` before building, ``own_answer_problems`` on the
freshly built index before it is published), so a corpus that ``kb check`` rejects is never published.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kb.corpus import Corpus, Located, line_of, read_yaml
from kb.corpus_models import Contact, EvalQuestion, FaqEntry, PlanMeta, Topic
from kb.errors import CorpusError
from kb.lexicon import DICT_FILES, Lexicon, _content_lines
from kb.plan_parser import parse_plan
from kb.settings import KbSettings
from kb.text import normalize

PLACEHOLDER = "待补充"  # what templates and drafts leave for staff to fill in; never publishable
_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.*)$", re.S)
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class CheckReport:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    corpus: Corpus | None = None
    questions_asked: int = 0  # FAQ phrasings asked by the matching check (0 when it did not run)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        corpus = self.corpus
        assert corpus is not None
        phrasings = sum(len(e.questions) for e in corpus.faq)
        dict_files = sum(1 for name in DICT_FILES if (corpus.root / "dict" / name).exists())
        return (f"OK: {len(corpus.faq)} FAQ entries ({phrasings} questions), {len(corpus.contacts)} contacts, "
                f"{len(corpus.topics)} topics, {len(corpus.plans)} plan(s) with {len(corpus.units)} units, "
                f"{dict_files} dictionary files; " + (
                    f"each of the {self.questions_asked} questions asked is answered by its own entry"
                    if self.questions_asked else "questions not asked (--quick)") + f" ({self.seconds:.1f} s)")


def shown(path: Path) -> Path:
    """``path`` relative to the current directory when it lies below it (what staff type and see)."""
    path = Path(path)
    if not path.is_absolute():
        return path
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(str(shown(Path(file))), max(1, int(line)), message))

    def add_error(self, exc: CorpusError) -> None:
        """A ``file:line: message`` CorpusError (possibly several lines) from the loaders."""
        for text in str(exc).splitlines():
            match = _LOCATED.match(text)
            if match:
                self.add(match["file"], int(match["line"]), match["message"])
            elif text.strip():
                self.add("corpus", 1, text.strip())


# ---- one file at a time ------------------------------------------------------------------------
def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    node = data
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _describe(error: dict, value: Any) -> str:
    name = ".".join(str(p) for p in error["loc"]) or "entry"
    kind = error["type"]
    if kind == "missing":
        return f"'{name}' is missing"
    if kind == "extra_forbidden":
        return f"unknown field '{name}' (misspelt? see corpus/README.md for the fields)"
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"'{name}' is empty"
    if kind == "too_short" and isinstance(value, list):
        return f"'{name}' needs at least {error.get('ctx', {}).get('min_length', 1)} items, has {len(value)}"
    message = error["msg"].removeprefix("Value error, ")
    return f"'{name}': {message}"


def _placeholders(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every string that still holds the template placeholder."""
    if isinstance(data, str):
        return [loc] if PLACEHOLDER in data else []
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _placeholders(v, (*loc, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _placeholders(v, (*loc, i))]
    return []


def _check_item(path: Path, doc: Any, base: tuple[Any, ...], model: type[BaseModel], what: str,
                out: _Problems) -> BaseModel | None:
    """Validate one list item; every error at the line of the field (or list element) it concerns."""
    item = _value_at(doc, base)
    label = what
    if isinstance(item, dict) and isinstance(item.get("id"), str) and PLACEHOLDER not in item["id"]:
        label = f"{what} '{item['id']}'"
    if not isinstance(item, dict):
        out.add(path, line_of(doc, base), f"{what}: expected 'id: …' and the other fields, got {item!r}")
        return None
    silenced: set[tuple[Any, ...]] = set()
    for loc in _placeholders(item):
        silenced.add(loc)
        out.add(path, line_of(doc, (*base, *loc)),
                f"{label}: '{'.'.join(map(str, loc))}' still says {PLACEHOLDER}: replace it with the real text")
    questions = item.get("questions") if model is FaqEntry else None
    for j, question in enumerate(questions if isinstance(questions, list) else []):
        if question is None or (isinstance(question, str) and not question.strip()):
            silenced.add(("questions", j))
            out.add(path, line_of(doc, (*base, "questions", j)), f"{label}: question {j + 1} is blank")
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            if any(loc[:len(s)] == s for s in silenced) or PLACEHOLDER in error["msg"]:
                continue  # a placeholder: reported above, once, at its own line
            if loc == ("questions",) and "a question is empty" in error["msg"]:
                continue  # reported above, at the blank question's own line
            out.add(path, line_of(doc, (*base, *loc)), f"{label}: {_describe(error, _value_at(item, loc))}")
    return None


@dataclass
class _Where:
    file: Path
    doc: Any
    base: tuple[Any, ...]

    def line(self, *loc: Any) -> int:
        return line_of(self.doc, (*self.base, *loc))

    def at(self, *loc: Any) -> str:
        return f"{shown(self.file)}:{self.line(*loc)}"


@dataclass
class _Item:
    """One list item as written (``raw``), and the validated model when it has no problem."""

    raw: dict
    parsed: BaseModel | None
    where: _Where

    @property
    def id(self) -> str | None:
        value = self.raw.get("id")
        return value if isinstance(value, str) and value and PLACEHOLDER not in value else None

    def strings(self, key: str) -> list[tuple[int, str]]:
        """(index, value) of the filled-in strings of a list field, whatever else is wrong with the item."""
        values = self.raw.get(key)
        if not isinstance(values, list):
            return []
        return [(j, v) for j, v in enumerate(values) if isinstance(v, str) and v.strip() and PLACEHOLDER not in v]


def _check_listed(path: Path, key: str, model: type[BaseModel], what: str, out: _Problems) -> list[_Item]:
    """A file of the form ``key: [items]``; returns every item that is a mapping, valid or not."""
    try:
        doc = read_yaml(path)
    except CorpusError as exc:
        out.add_error(exc)
        return []
    if doc is None:
        out.add(path, 1, f"file is empty (expected '{key}:' followed by a list)")
        return []
    if not isinstance(doc, dict):
        out.add(path, 1, f"expected '{key}:' at the top of the file")
        return []
    for extra in (k for k in doc if k != key):
        out.add(path, line_of(doc, (extra,)), f"unknown top-level key '{extra}' (only '{key}:' is allowed)")
    items = doc.get(key)
    if not isinstance(items, list) or not items:
        out.add(path, line_of(doc, (key,)) if key in doc else 1, f"'{key}:' must be followed by a list of items")
        return []
    found = []
    for i, raw in enumerate(items):
        parsed = _check_item(path, doc, (key, i), model, what, out)
        if isinstance(raw, dict):
            found.append(_Item(raw, parsed, _Where(path, doc, (key, i))))
    return found


def _check_plans(root: Path, corpus: Corpus, out: _Problems) -> None:
    texts = sorted((root / "plans").glob("*.txt"))
    if not texts:
        out.add(root / "plans", 1, "no plan text (*.txt) found")
    for text_path in texts:
        meta_path = text_path.with_suffix(".meta.yaml")
        try:
            doc = read_yaml(meta_path)
        except CorpusError as exc:
            out.add_error(exc)
            continue
        try:
            meta = PlanMeta.model_validate(doc)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                out.add(meta_path, line_of(doc, loc), f"plan metadata: {_describe(error, _value_at(doc, loc))}")
            continue
        if meta.id in corpus.plans:
            out.add(meta_path, line_of(doc, ("id",)), f"plan id '{meta.id}' is used by another plan")
            continue
        corpus.plans[meta.id] = meta
        try:
            units = parse_plan(text_path.read_text(encoding="utf-8"), meta.id, str(text_path))
        except UnicodeDecodeError:
            out.add(text_path, 1, "not UTF-8 text")
            continue
        except CorpusError as exc:
            out.add_error(exc)
            continue
        offset = len(corpus.units)
        corpus.units.extend(u.model_copy(update={"order": offset + u.order}) for u in units)


def _check_dictionary(root: Path, out: _Problems) -> Lexicon:
    lexicon = Lexicon()
    for name in DICT_FILES:
        path = root / "dict" / name
        if not path.exists():
            continue
        try:
            lines = list(_content_lines(path))
        except CorpusError as exc:
            out.add_error(exc)
            continue
        for number, line in lines:
            try:
                lexicon._read_line(name, path, number, line)
            except CorpusError as exc:
                out.add_error(exc)
    return lexicon


def _check_eval(root: Path, out: _Problems) -> None:
    for path in sorted((root / "eval").glob("*.yaml")):
        _check_listed(path, "questions", EvalQuestion, "evaluation question", out)


# ---- across files ------------------------------------------------------------------------------
def _unique(kind: str, items: list[_Item], out: _Problems) -> dict[str, _Item]:
    """First item of every id; each later one with the same id is reported with both places."""
    first: dict[str, _Item] = {}
    for item in items:
        if item.id is None:
            continue
        if item.id in first:
            out.add(item.where.file, item.where.line("id"),
                    f"duplicate {kind} id '{item.id}' (also defined at {first[item.id].where.at('id')})")
        else:
            first[item.id] = item
    return first


def _check_references(units: set[str], faq: list[_Item], contacts: dict[str, _Item],
                      topics: dict[str, _Item], out: _Problems) -> None:
    def check(kind: str, item: _Item, key: str, known, what: str) -> None:
        for j, value in item.strings(key):
            if value not in known:
                hint = " (see `kb units`)" if what == "plan unit id" else ""
                out.add(item.where.file, item.where.line(key, j),
                        f"{kind} '{item.id}' {key}: unknown {what} '{value}'{hint}")

    for entry in faq:
        check("FAQ entry", entry, "sources", units, "plan unit id")
        if topics:
            check("FAQ entry", entry, "topics", topics, "topic")
        check("FAQ entry", entry, "contacts", contacts, "contact")
    for contact in contacts.values():
        check("contact", contact, "sources", units, "plan unit id")
        if topics:
            check("contact", contact, "topics", topics, "topic")
    for topic in topics.values():
        check("topic", topic, "contacts", contacts, "contact")


def phrasing_key(question: str) -> str:
    """Two phrasings with the same key are the same question (case, width, script, punctuation aside)."""
    return _NOT_WORD.sub("", normalize(question))


def _check_duplicate_questions(faq: list[_Item], out: _Problems) -> None:
    seen: dict[str, tuple[_Item, int]] = {}
    for entry in faq:
        for j, question in entry.strings("questions"):
            key = phrasing_key(question)
            if key not in seen:
                seen[key] = (entry, j)
                continue
            other, k = seen[key]
            if other is entry:
                message = (f"question '{question}' is repeated in entry '{entry.id}' "
                           f"(also at line {other.where.line('questions', k)})")
            else:
                message = (f"question '{question}' of entry '{entry.id}' is also a question of entry "
                           f"'{other.id}' ({other.where.at('questions', k)})")
            out.add(entry.where.file, entry.where.line("questions", j), message)


def static_check(root: Path) -> tuple[Corpus, list[Problem]]:
    """Checks 1 and 2: every file, then cross-file consistency. Nothing is built.

    Returns the valid part of the corpus and every problem, sorted by file and line.
    """
    root = Path(root)
    out = _Problems()
    corpus = Corpus(root=root)
    _check_plans(root, corpus, out)
    faq_files = sorted((root / "faq").glob("*.yaml"))
    if not faq_files:
        out.add(root / "faq", 1, "no FAQ file (*.yaml) found")
    faq = [item for path in faq_files for item in _check_listed(path, "entries", FaqEntry, "FAQ entry", out)]
    listed: dict[str, list[_Item]] = {}
    for name, key, model, kind in (("contacts.yaml", "contacts", Contact, "contact"),
                                   ("topics.yaml", "topics", Topic, "topic")):
        path = root / name
        listed[key] = _check_listed(path, key, model, kind, out) if path.exists() else []
    faq_ids = _unique("FAQ", faq, out)
    contacts = _unique("contact", listed["contacts"], out)
    topics = _unique("topic", listed["topics"], out)
    corpus.lexicon = _check_dictionary(root, out)
    _check_eval(root, out)
    _check_references({u.id for u in corpus.units}, faq, contacts, topics, out)
    _check_duplicate_questions(faq, out)
    for kind, key, items in (("faq", "faq", faq_ids), ("contact", "contacts", contacts), ("topic", "topics", topics)):
        valid = [item for item in items.values() if item.parsed is not None]
        setattr(corpus, key, [item.parsed for item in valid])
        corpus.where.update({f"{kind}:{item.id}": Located(item.where.file, item.where.line()) for item in valid})
    return corpus, sorted(set(out.items))


# ---- against a built index ---------------------------------------------------------------------
def own_answer_problems(kb, corpus: Corpus) -> tuple[list[Problem], int]:
    """Ask every FAQ phrasing of ``corpus`` against the opened index ``kb``; report the ones another
    entry answers (or that make it ask to choose, another entry first). Returns (problems, asked)."""
    strays: list[tuple[str, int, str]] = []
    asked = 0
    for entry in corpus.faq:
        for j, question in enumerate(entry.questions):
            answer = kb.answer(question)
            asked += 1
            matched = answer.matched
            if matched.kind in ("faq", "clarify") and matched.id and matched.id != entry.id:
                detail = ""
                if matched.kind == "clarify":
                    choices = ", ".join(f"'{s.id}'" for s in answer.suggestions)
                    detail = f" (the assistant asks to choose between {choices})"
                strays.append((entry.id, j, f"question '{question}' of entry '{entry.id}' is answered by entry "
                                            f"'{matched.id}'{detail}: reword it, or move it to '{matched.id}'"))
    out = _Problems()
    if strays:  # only now read the files again, for the line of each stray question
        root = corpus.root
        places: dict[str, _Where] = {}
        for path in sorted((root / "faq").glob("*.yaml")):
            doc = read_yaml(path)
            for i, item in enumerate((doc or {}).get("entries") or []):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    places.setdefault(item["id"], _Where(path, doc, ("entries", i)))
        for faq_id, j, message in strays:
            place = places.get(faq_id)
            if place is None:
                out.add(root / "faq", 1, message)
            else:
                out.add(place.file, place.line("questions", j), message)
    return sorted(out.items), asked


def check_corpus(settings: KbSettings, *, matching: bool = True) -> CheckReport:
    """All checks of ``settings.corpus_dir``; nothing is published: the candidate index lives in a
    temporary directory (only jieba's cache in ``settings.cache_dir`` is reused)."""
    started = time.perf_counter()
    root = Path(settings.corpus_dir)
    corpus, problems = static_check(root)
    report = CheckReport(root=shown(root), problems=problems, corpus=corpus)
    if not problems and matching:
        from kb.index_store import write_index
        from kb.service import KnowledgeBase

        with tempfile.TemporaryDirectory(prefix="kb-check-") as tmp:
            directory = Path(tmp) / "index"
            write_index(corpus, directory, settings.cache_dir, {"fingerprint": "kb-check"})
            kb = KnowledgeBase(directory, settings)
            try:
                report.problems, report.questions_asked = own_answer_problems(kb, corpus)
            finally:
                kb.close()
    report.seconds = time.perf_counter() - started
    return report


def _failure(problems: list[Problem]) -> CorpusError:
    lines = [f"the corpus has {len(problems)} problem(s); nothing was published:", *map(str, problems)]
    return CorpusError("\n".join(lines))


def checked_corpus(root: Path) -> Corpus:
    """The corpus ``kb build`` indexes; CorpusError listing every problem checks 1 and 2 find."""
    corpus, problems = static_check(root)
    if problems:
        raise _failure(problems)
    return corpus  # the same Corpus load_corpus returns (tests/test_check.py keeps them equal)


def require_own_answers(index_dir: Path, corpus: Corpus, settings: KbSettings) -> int:
    """Check 3 on a freshly built (not yet published) index; CorpusError when any phrasing strays.
    Returns how many phrasings were asked."""
    from kb.service import KnowledgeBase

    kb = KnowledgeBase(index_dir, settings)
    try:
        problems, asked = own_answer_problems(kb, corpus)
    finally:
        kb.close()
    if problems:
        raise _failure(problems)
    return asked
