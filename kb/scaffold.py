"""New FAQ entries for staff to finish: ``kb faq new`` (a commented template) and the drafts
``kb review --draft`` writes. Both are appended as plain text, so every comment already in the file
stays as it is; the file is read back afterwards and restored if the entry did not land in ``entries``.

Whatever staff must still write holds the placeholder ``待补充``, which ``kb check`` (and so
``kb build``) rejects: a half-written entry can never be published.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.check import PLACEHOLDER, shown
from kb.corpus import read_yaml
from kb.errors import CorpusError, KbError

DRAFTS_FILE = "drafts.yaml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ITEM_INDENT = re.compile(r"^( *)- ", re.M)


_PLAIN = re.compile(r"^[a-z][a-z0-9:.-]*$")  # ids such as pledge-financing or plan:5.1.3 need no quotes


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), safe for any user-typed text."""
    return json.dumps(text, ensure_ascii=False)


def scalar(text: str) -> str:
    """An id as staff write it (plain), anything else double-quoted."""
    return text if _PLAIN.match(text) and text not in ("true", "false", "null", "yes", "no", "on", "off") else quoted(text)


@dataclass
class EntryDraft:
    """What is known of a new entry; everything missing becomes a ``待补充`` placeholder."""

    id: str = ""
    questions: list[str] = field(default_factory=list)
    answer: str = ""
    sources: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)  # comment lines above the entry

    def lines(self, today: dt.date | None = None) -> list[str]:
        """The entry as YAML lines, the list item at column 0 (indented by ``append_entry``)."""
        today = today or dt.date.today()
        questions = list(self.questions)
        ordinal = ["第一种", "第二种", "第三种"]
        while len(questions) < 3:
            questions.append(f"{PLACEHOLDER}：{ordinal[len(questions)]}问法")
        out = [f"# {line}" for line in self.heading]
        out.append(f"- id: {scalar(self.id or PLACEHOLDER)}"
                   "  # 条目编号：小写英文字母、数字和“-”，全库唯一，例如 pledge-financing")
        out.append("  questions:  # 企业会怎么问：至少 3 种不同问法，口语说法、常见错别字都可以")
        out += [f"    - {quoted(q)}" for q in questions]
        out.append("  answer: " + quoted(self.answer or f"{PLACEHOLDER}：回答正文。写清规划怎么说；"
                                                  "规划没写的（金额、流程、时间）如实说明没写，并告诉企业去哪里问"))
        out.append("  sources:  # 回答依据的规划条目编号（kb units 列出全部，kb show plan:5.1.3 看原文）")
        out += [f"    - {scalar(s)}" for s in (self.sources or [PLACEHOLDER])]
        out.append("  topics:  # 主题编号，见 corpus/topics.yaml，例如 finance")
        out += [f"    - {scalar(t)}" for t in (self.topics or [PLACEHOLDER])]
        if self.contacts:
            out.append("  contacts:  # 联系部门编号，见 corpus/contacts.yaml（可删改）")
            out += [f"    - {scalar(c)}" for c in self.contacts]
        else:
            out.append("  contacts: []  # 可选：联系部门编号，见 corpus/contacts.yaml，例如 [amr, windows]")
        out.append(f"  reviewed: {today.isoformat()}  # 最近一次核对这条内容的日期")
        return out


def _entries_count(path: Path) -> int:
    data = read_yaml(path)
    entries = data.get("entries") if isinstance(data, dict) else None
    return len(entries) if isinstance(entries, list) else -1


def append_entry(path: Path, draft: EntryDraft, header: str = "") -> int:
    """Append ``draft`` to the FAQ file ``path`` (created when missing); returns the line it starts on.

    The file must be valid YAML with an ``entries:`` list; the existing text is kept byte for byte.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text.strip():
        try:
            before = _entries_count(path)
        except CorpusError as exc:
            raise KbError(f"{exc}\nfix this file first (kb check), then add the entry") from exc
        if before < 0:
            raise KbError(f"{shown(path)}:1: expected 'entries:' followed by a list; fix it first (kb check)")
        match = _ITEM_INDENT.search(text, text.find("entries:"))
        indent = len(match.group(1)) if match else 2
        prefix = text.rstrip("\n") + "\n\n"
    else:
        before = 0
        indent = 2
        prefix = (f"# {header}\n" if header else "") + "entries:\n"
    start = prefix.count("\n") + 1 + len(draft.heading)
    body = "".join(" " * indent + line + "\n" for line in draft.lines())
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(prefix + body, encoding="utf-8")
    try:
        landed = _entries_count(tmp) == before + 1
    except CorpusError:
        landed = False
    if not landed:
        tmp.unlink()
        raise KbError(f"{shown(path)}: could not append an entry to this file's 'entries:' list; "
                      "add it by hand (see corpus/README.md)")
    os.replace(tmp, path)
    return start


def known_faq_ids(corpus_dir: Path) -> set[str]:
    ids: set[str] = set()
    for path in sorted((Path(corpus_dir) / "faq").glob("*.yaml")):
        try:
            data = read_yaml(path)
        except CorpusError:
            continue
        for item in (data or {}).get("entries") or [] if isinstance(data, dict) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.add(item["id"])
    return ids


def topic_contacts(corpus_dir: Path) -> dict[str, list[str]]:
    """Topic id -> its contact ids, from corpus/topics.yaml (empty when unreadable)."""
    try:
        data = read_yaml(Path(corpus_dir) / "topics.yaml")
    except CorpusError:
        return {}
    topics = data.get("topics") if isinstance(data, dict) else None
    return {t["id"]: [c for c in t.get("contacts") or [] if isinstance(c, str)]
            for t in topics or [] if isinstance(t, dict) and isinstance(t.get("id"), str)}


def faq_file_for(corpus_dir: Path, topic: str | None) -> Path:
    """corpus/faq/<topic>.yaml, or corpus/faq/drafts.yaml when the topic is not known."""
    return Path(corpus_dir) / "faq" / (f"{topic}.yaml" if topic else DRAFTS_FILE)


def new_entry(corpus_dir: Path, topic: str | None = None, entry_id: str | None = None,
              today: dt.date | None = None) -> tuple[Path, int]:
    """``kb faq new``: append a template entry; returns (file, line of the entry)."""
    corpus_dir = Path(corpus_dir)
    contacts = topic_contacts(corpus_dir)
    if topic is not None and contacts and topic not in contacts:
        raise KbError(f"unknown topic '{topic}'; topics: {', '.join(sorted(contacts))}")
    if entry_id is not None:
        if not _ID.match(entry_id):
            raise KbError(f"'{entry_id}' is not a valid id: lower-case letters, digits and '-' (e.g. pledge-financing)")
        if entry_id in known_faq_ids(corpus_dir):
            raise KbError(f"an FAQ entry with id '{entry_id}' already exists")
    stamp = (today or dt.date.today()).isoformat()
    draft = EntryDraft(id=entry_id or "", topics=[topic] if topic else [],
                       contacts=contacts.get(topic, [])[:3] if topic else [],
                       heading=[f"新条目（kb faq new，{stamp}）：把每个“{PLACEHOLDER}”换成真实内容，再运行 kb check"])
    path = faq_file_for(corpus_dir, topic)
    line = append_entry(path, draft, header="FAQ entries written with kb faq new / kb review --draft; "
                                             "move them to a topic file when finished (optional).",)
    return path, line
