"""The domain vocabulary staff keep in ``corpus/dict/``: user dictionary, synonyms, English glossary,
stop words and out-of-scope markers. Parsed with exact ``file:line`` errors; saved into every index so
a serving process never reads the corpus.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import CorpusError
from kb.text import normalize, split_word

DICT_FILES = ("userdict.txt", "synonyms.txt", "dialect.txt", "english.txt", "stopwords.txt", "stopwords_en.txt",
              "out_of_scope.txt", "figure_words.txt", "anchors.txt", "contact_words.txt",
              "overview_words.txt")


def _content_lines(path: Path):
    """(line number, text) for every line that is not blank or a ``#`` comment."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}:1: not UTF-8 text ({exc.reason})") from exc
    for number, line in enumerate(raw.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            yield number, line


def _mapping_line(path: Path, number: int, line: str) -> tuple[str, list[str]]:
    key, sep, values = line.partition(":")
    if not sep:
        key, sep, values = line.partition("：")
    items = values.replace("，", " ").replace(",", " ").split()
    if not sep or not key.strip() or not items:
        raise CorpusError(f"{path}:{number}: expected 'term: variant variant …', got {line!r}")
    return key.strip(), items


# a sum of money: digits or a number in characters, in yuan or in its thousands (1万5 and 一万五 too), and no
# counted thing after it (件, 个, 年 …: 给2025年定的目标, 奖励3件 are counts)
_SUM = (r"(?:\d+(?:[.,]\d+)*\s*(?:(?:亿|万|千|百)\d?|w|k)?|[一二两三四五六七八九十]+\s*(?:亿|万|千|百)[一二三四五六七八九]?)"
        r"\s*(?:元|块钱|块|rmb|yuan)?"
        r"(?![\d亿万千百件个家项人次年月日号%倍类位名条届批期])")
MARKER_GAP = 6  # at most this many characters between the halves of an out-of-scope marker "A*B"

# figure_words.txt lines "prefix: word word …" that fill a set of the lexicon
_FIGURE_WORD_SETS = {"not": "qualitative", "actual": "actual_words", "now": "now_words", "stock": "stock_words",
                     "flow": "flow_words", "money": "money_words", "sum": "sum_words", "elsewhere": "elsewhere_words",
                     "here": "here_words"}


def _any_of(words: set[str]) -> re.Pattern[str]:
    """One pattern finding any of the words, longest first. English words count whole only ("in" inside
    "in general" or "interested" asks nothing); "A*B" has a few letters between its halves."""
    alternatives = [split_word(w, MARKER_GAP).pattern if "*" in w
                    else rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w)
                    for w in sorted(words, key=len, reverse=True)]
    return re.compile("|".join(alternatives) or "(?!)")


@dataclass
class Lexicon:
    user_words: dict[str, int] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # variant -> plan terms
    english: dict[str, str] = field(default_factory=dict)  # english phrase -> chinese term
    stopwords: set[str] = field(default_factory=set)
    out_of_scope: set[str] = field(default_factory=set)
    # (markers, exceptions): the markers put a question out of scope unless it also uses an exception
    # (多少钱 is out of scope, except in a question about 补贴 or 贷款, which the plan does cover)
    out_of_scope_unless: list[tuple[frozenset[str], frozenset[str]]] = field(default_factory=list)
    # the plan's own offerings (补贴, 质押, 投诉 …): a question naming one is not refused by the learned
    # scope check, only by a marker
    scope_keep: set[str] = field(default_factory=set)
    # markers about what is asked (哪天, 代理费, 值不值得), not what the question is about: they count only
    # in the sentences that ask (光代理费就花了好几万。区里有没有补贴 asks about a subsidy)
    asked_only: set[str] = field(default_factory=set)
    # (detail:) a detail of a matter the plan never states (流程是啥, 申报时间是哪个月, 会长是谁), asked in the
    # asking clause: a passage answering it is told unstated from a lower doubt of the learned scope check
    detail_words: set[str] = field(default_factory=set)
    figure_words: set[str] = field(default_factory=set)  # 多少, 几件, 目标: the question asks a figure
    figure_topics: set[str] = field(default_factory=set)  # 目标, 数量: the figure words that ask no count
    # kinds of IP a count is about (专利, 商标, 地理标志 …): a figure about one never answers another
    figure_kinds: list[str] = field(default_factory=list)
    qualitative: set[str] = field(default_factory=set)  # 什么样子: 达到 then asks no number
    actual_words: set[str] = field(default_factory=set)  # 实际: the figure reached, not the target
    now_words: set[str] = field(default_factory=set)  # 现在, 目前: a count held today, never a target
    # 现在 / 截至 ... 末 ask and state a count held at a time; 期间 / 新增 one made over a period
    stock_words: set[str] = field(default_factory=set)
    flow_words: set[str] = field(default_factory=set)
    money_words: set[str] = field(default_factory=set)  # 多少钱, 收费: an amount of money asked
    sum_words: set[str] = field(default_factory=set)  # 奖, 补贴, 贷: a sum stated after one (奖2万) is a claim
    elsewhere_words: set[str] = field(default_factory=set)  # 重庆市, 全国: a wider area than the district
    here_words: set[str] = field(default_factory=set)  # 万州, 全区: the district itself
    relative_years: dict[str, int] = field(default_factory=dict)  # 去年 -> -1 (from today's year)
    contact_words: set[str] = field(default_factory=set)  # 电话, 地址, 在哪: how to reach a body
    whom_words: set[str] = field(default_factory=set)  # 找谁, 哪个部门: whom to turn to
    reach_words: set[str] = field(default_factory=set)  # 电话, 联系方式: a number or an account asked
    body_words: set[str] = field(default_factory=set)  # 中心, 公司, 热线: a body of its own, named
    overview_words: set[str] = field(default_factory=set)  # 总体, 大方向: a whole chapter or section asked
    part_words: set[str] = field(default_factory=set)  # 这一章, chapter: a part of the plan described
    compare_words: set[str] = field(default_factory=set)  # 区别: waived when two of the plan's matters are compared
    whole_words: set[str] = field(default_factory=set)  # 都有什么, 哪几项: all of a part named (专栏4都有啥)
    # colloquial or regional wording -> the standard words (咋个 -> 怎么, 好久 -> 多久), rewritten in
    # the question before anything else reads it, so the other lists need only standard forms
    dialect: dict[str, str] = field(default_factory=dict)
    typos: dict[str, str] = field(default_factory=dict)  # homophone misspelling -> domain word
    readings: dict[str, str] = field(default_factory=dict)  # character -> its usual toneless pinyin (只 -> zhi)
    anchors: set[str] = field(default_factory=set)  # words that tie a question to IP (with user_words)
    weak_anchors: set[str] = field(default_factory=set)  # 补贴, 培训: anchors that are others' business too
    _dialect_pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    # the "A*B" out-of-scope markers compiled, with their lines' exceptions (built on first use)
    _gap_patterns: list[tuple[str, re.Pattern[str], frozenset[str]]] | None = field(default=None, repr=False, compare=False)
    # word set name -> its pattern (_any_of), compiled on first use
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load_dir(cls, dict_dir: Path) -> "Lexicon":
        lex = cls()
        for name in DICT_FILES:
            path = dict_dir / name
            if not path.exists():
                continue
            for number, line in _content_lines(path):
                lex._read_line(name, path, number, line)
        return lex

    def _read_line(self, name: str, path: Path, number: int, line: str) -> None:
        if name == "userdict.txt":
            parts = line.split()
            if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
                raise CorpusError(f"{path}:{number}: expected 'word [frequency] [tag]', got {line!r}")
            self.user_words[normalize(parts[0])] = int(parts[1]) if len(parts) > 1 else 5000
        elif name == "synonyms.txt":
            target, variants = _mapping_line(path, number, line)
            for variant in variants:
                if "*" in variant and (variant.count("*") != 1 or variant.startswith("*") or variant.endswith("*")):
                    raise CorpusError(f"{path}:{number}: a split form is 'first*second' (贷*款), got {variant!r}")
                bucket = self.synonyms.setdefault(normalize(variant), [])
                if normalize(target) not in bucket:
                    bucket.append(normalize(target))
        elif name == "dialect.txt":
            standard, variants = _mapping_line(path, number, line)
            for variant in variants:
                self.dialect[normalize(variant)] = normalize(standard)
        elif name == "english.txt":
            phrase, sep, chinese = line.partition(":")
            if not sep or not phrase.strip() or not chinese.strip():
                raise CorpusError(f"{path}:{number}: expected 'english phrase: 中文', got {line!r}")
            self.english[" ".join(phrase.lower().split())] = normalize(chinese.strip())
        elif name in ("stopwords.txt", "stopwords_en.txt"):
            self.stopwords.update(normalize(w) for w in line.split())
        elif name == "out_of_scope.txt" and line.startswith("asked:"):
            line = line.removeprefix("asked:").strip()
            self.asked_only.update(normalize(w) for w in line.partition("|")[0].split())
            self._read_line(name, path, number, line)
        elif name == "out_of_scope.txt" and line.startswith("compare:"):
            self.compare_words.update(normalize(w) for w in line.removeprefix("compare:").split())
        elif name == "out_of_scope.txt" and line.startswith("detail:"):
            self.detail_words.update(normalize(w.replace("_", " ")) for w in line.removeprefix("detail:").split())
        elif name == "out_of_scope.txt" and line.startswith("keep:"):
            self.scope_keep.update(normalize(w) for w in line.removeprefix("keep:").split())
        elif name == "out_of_scope.txt" and "|" in line:
            markers, _, exceptions = line.partition("|")
            if not markers.split() or not exceptions.split():
                raise CorpusError(f"{path}:{number}: expected 'word word … | exception exception …', got {line!r}")
            self.out_of_scope_unless.append((frozenset(normalize(w) for w in markers.split()),
                                             frozenset(normalize(w) for w in exceptions.split())))
        elif name == "out_of_scope.txt":
            self.out_of_scope.update(normalize(w) for w in line.split())
        elif name == "anchors.txt" and line.startswith("weak:"):
            words = [normalize(w) for w in line.removeprefix("weak:").split()]
            self.anchors.update(words)
            self.weak_anchors.update(words)
        elif name == "anchors.txt":
            self.anchors.update(normalize(w) for w in line.split())
        elif name == "contact_words.txt" and line.startswith("reach:"):
            words = [normalize(w) for w in line.removeprefix("reach:").split()]
            self.reach_words.update(words)
            self.contact_words.update(words)
        elif name == "contact_words.txt" and line.startswith("body:"):
            self.body_words.update(normalize(w) for w in line.removeprefix("body:").split())
        elif name == "contact_words.txt" and line.startswith("whom:"):
            self.whom_words.update(normalize(w) for w in line.removeprefix("whom:").split())
        elif name == "contact_words.txt":
            self.contact_words.update(normalize(w) for w in line.split())
        elif name == "overview_words.txt" and line.startswith("part:"):
            words = [normalize(w.replace("_", " ")) for w in line.removeprefix("part:").split()]
            self.part_words.update(words)
            self.overview_words.update(words)
        elif name == "overview_words.txt" and line.startswith("whole:"):
            self.whole_words.update(normalize(w.replace("_", " ")) for w in line.removeprefix("whole:").split())
        elif name == "overview_words.txt":  # in_general: an English phrase
            self.overview_words.update(normalize(w.replace("_", " ")) for w in line.split())
        elif name == "figure_words.txt" and line.split(":", 1)[0] in _FIGURE_WORD_SETS:
            prefix, _, words = line.partition(":")
            getattr(self, _FIGURE_WORD_SETS[prefix]).update(normalize(w) for w in words.split())
        elif name == "figure_words.txt" and line.startswith("years:"):
            for item in line.removeprefix("years:").split():
                word, sep, offset = item.partition("=")
                if not sep or not offset.lstrip("+-").isdigit():
                    raise CorpusError(f"{path}:{number}: expected 'years: 今年=0 去年=-1 …', got {item!r}")
                self.relative_years[normalize(word)] = int(offset)
        elif name == "figure_words.txt" and line.startswith("about:"):
            words = [normalize(w) for w in line.removeprefix("about:").split()]
            self.figure_words.update(words)
            self.figure_topics.update(words)
        elif name == "figure_words.txt" and line.startswith("kinds:"):
            self.figure_kinds.extend(normalize(w) for w in line.removeprefix("kinds:").split())
        elif name == "figure_words.txt":
            self.figure_words.update(normalize(w) for w in line.split())

    def out_of_scope_words(self, pieces: set[str], texts: tuple[str, ...] = (),
                           corrected: set[str] = frozenset(), asking: tuple[str, ...] | None = None) -> list[str]:
        """The out-of-scope markers among a question's substrings (conditional ones without their
        exceptions present, among the substrings or those of the ``corrected`` text: 高价直专利 names
        高价值); a marker "算不算*侵权" also stands with a few characters between its halves in one of
        the texts (算不算商标侵权). Given the ``asking`` clauses, an asked-only marker counts only there."""
        found = pieces & self.out_of_scope
        present = pieces | corrected
        for markers, exceptions in self.out_of_scope_unless:
            if not present & exceptions:
                found |= pieces & markers
        if asking is not None:
            found = {w for w in found if w not in self.asked_only or any(w in clause for clause in asking)}
        for marker, pattern, exceptions in self._gapped_markers():
            if not present & exceptions:
                within = asking if asking is not None and marker in self.asked_only else texts
                found.update(m.group(0) for text in within if (m := pattern.search(text)))
        return sorted(found)

    def _gapped_markers(self) -> list[tuple[str, re.Pattern[str], frozenset[str]]]:
        """The "A*B" markers with their patterns, each with the exceptions of its line (none for plain
        ones), compiled once."""
        if self._gap_patterns is None:
            lines = [(self.out_of_scope, frozenset()), *((m, e) for m, e in self.out_of_scope_unless)]
            self._gap_patterns = [(marker, split_word(marker, MARKER_GAP), exceptions)
                                  for markers, exceptions in lines for marker in sorted(markers) if "*" in marker]
        return self._gap_patterns

    def _search(self, name: str, text: str, after: str = "") -> bool:
        """Whether the text holds one of the words of the set ``name`` (followed by ``after``)."""
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = self._patterns[name] = re.compile(f"(?:{_any_of(getattr(self, name)).pattern}){after}")
        return bool(pattern.search(text))

    def asks_detail(self, text: str) -> bool:
        """Whether the text asks a detail the plan never states (a date, steps, documents, a person)."""
        return self._search("detail_words", text)

    def states_sum(self, text: str) -> bool:
        """Whether the text states a sum of money paid, lent or fined (一件奖2万块, 每件补800, 最高能贷
        1000万): a claim only a passage stating that sum could confirm. A number counting something
        (给2025年, 奖励3件) is not a sum."""
        return self._search("sum_words", text, f"(?:了|有|到|达)?{_SUM}")

    def describes_part(self, text: str) -> bool:
        """Whether the text speaks of a part of the plan by what it is about (讲转化运用那一章)."""
        return self._search("part_words", text)

    def asks_whole(self, text: str) -> bool:
        """Whether the text asks what a part holds, all of it (都有什么, 哪几项, what does it include)."""
        return self._search("whole_words", text)

    def asks_overview(self, text: str) -> bool:
        """Whether the text asks about a whole part of the plan (总体上, in general)."""
        return self._search("overview_words", text)

    def standard_wording(self, text: str) -> str:
        """The text with colloquial and regional wording replaced by the standard (longest first)."""
        if not self.dialect:
            return text
        if self._dialect_pattern is None:
            alternatives = sorted(self.dialect, key=len, reverse=True)
            self._dialect_pattern = re.compile("|".join(map(re.escape, alternatives)))
        return self._dialect_pattern.sub(lambda m: self.dialect[m.group(0)], text)

    def anchor_words(self) -> set[str]:
        """Words that tie a question to the domain: anchors.txt plus the user dictionary."""
        return self.anchors | set(self.user_words)

    # ---- persistence inside an index ---------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps({
            "user_words": self.user_words, "synonyms": self.synonyms, "english": self.english,
            "stopwords": sorted(self.stopwords), "dialect": self.dialect, "out_of_scope": sorted(self.out_of_scope),
            "out_of_scope_unless": [[sorted(m), sorted(e)] for m, e in self.out_of_scope_unless],
            "scope_keep": sorted(self.scope_keep), "asked_only": sorted(self.asked_only),
            "detail_words": sorted(self.detail_words),
            "figure_words": sorted(self.figure_words), "figure_topics": sorted(self.figure_topics),
            "figure_kinds": self.figure_kinds,
            "qualitative": sorted(self.qualitative), "actual_words": sorted(self.actual_words),
            "now_words": sorted(self.now_words),
            "stock_words": sorted(self.stock_words), "flow_words": sorted(self.flow_words),
            "money_words": sorted(self.money_words),
            "sum_words": sorted(self.sum_words),
            "elsewhere_words": sorted(self.elsewhere_words), "here_words": sorted(self.here_words),
            "relative_years": self.relative_years, "typos": self.typos, "readings": self.readings,
            "anchors": sorted(self.anchors),
            "weak_anchors": sorted(self.weak_anchors),
            "contact_words": sorted(self.contact_words), "whom_words": sorted(self.whom_words),
            "reach_words": sorted(self.reach_words),
            "body_words": sorted(self.body_words),
            "overview_words": sorted(self.overview_words),
            "part_words": sorted(self.part_words),
            "whole_words": sorted(self.whole_words),
            "compare_words": sorted(self.compare_words),
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Lexicon":
        data = json.loads(text)
        return cls(user_words=data["user_words"], synonyms=data["synonyms"], english=data["english"],
                   stopwords=set(data["stopwords"]), out_of_scope=set(data["out_of_scope"]),
                   out_of_scope_unless=[(frozenset(m), frozenset(e))
                                        for m, e in data.get("out_of_scope_unless", [])],
                   scope_keep=set(data.get("scope_keep", [])), asked_only=set(data.get("asked_only", [])),
                   detail_words=set(data.get("detail_words", [])),
                   figure_words=set(data["figure_words"]), figure_topics=set(data.get("figure_topics", [])),
                   figure_kinds=data.get("figure_kinds", []),
                   qualitative=set(data.get("qualitative", [])), actual_words=set(data.get("actual_words", [])),
                   now_words=set(data.get("now_words", [])),
                   stock_words=set(data.get("stock_words", [])), flow_words=set(data.get("flow_words", [])),
                   money_words=set(data.get("money_words", [])),
                   sum_words=set(data.get("sum_words", [])),
                   elsewhere_words=set(data.get("elsewhere_words", [])), here_words=set(data.get("here_words", [])),
                   relative_years=data.get("relative_years", {}), typos=data["typos"],
                   readings=data.get("readings", {}), anchors=set(data["anchors"]),
                   weak_anchors=set(data.get("weak_anchors", [])),
                   contact_words=set(data.get("contact_words", [])), dialect=data.get("dialect", {}),
                   whom_words=set(data.get("whom_words", [])), reach_words=set(data.get("reach_words", [])),
                   body_words=set(data.get("body_words", [])),
                   overview_words=set(data.get("overview_words", [])),
                   part_words=set(data.get("part_words", [])),
                   whole_words=set(data.get("whole_words", [])),
                   compare_words=set(data.get("compare_words", [])))
