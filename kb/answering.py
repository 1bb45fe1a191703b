"""From a question to an ``Answer``: rank candidates, decide (answer / clarify / no answer), compose.

Candidates are FAQ entries (matched on their question phrasings only) and plan units (BM25F).
A unit's score adds the support of FAQ entries that cite it, so curated knowledge steers the ranking
even when the answer is quoted straight from the plan. Thresholds are chosen on corpus/eval/dev.yaml
(see README, "How a question is answered").
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

from kb.citing import STRUCTURAL, best_sentences, make_citation, unit_title
from kb.comparing import compared
from kb.corpus_models import Contact, FaqEntry, Topic
from kb.models import Answer, Citation, IndicatorRow, Matched, Suggestion, Unit
from kb.parts import without_parts
from kb.plan_parser import CHINESE_NUMERAL, chinese_numeral
from kb.query import SELF_INTRODUCTION, Query, QueryAnalyzer, clauses
from kb.scope_model import ScopeModel
from kb.search import Hit, Retriever
from kb.text import YEAR, is_chinese_word, joined, normalize, years_named
from kb.unit_model import UnitModel


@dataclass(frozen=True)
class Thresholds:
    faq_answer: float = 0.7  # FAQ confidence at which its curated answer is given
    faq_margin_floor: float = 0.45  # ...or at least this much with a clear lead over the runner-up:
    faq_margin: float = 0.2
    answer_floor: float = 0.2  # below this nothing is answered
    unanchored: float = 0.35  # a question without any IP word needs this much confidence
    clarify_gap: float = 0.03  # two different FAQ candidates this close -> "您是不是想问"
    ask_floor: float = 0.45  # below a decisive FAQ: two entries at least this good ...
    ask_window: float = 0.1  # ... and this close, with no unit covering the question this well
    unit_sure: float = 0.3  # ... give "您是不是想问" instead of quoting a unit
    sure: float = 0.8  # above this the best FAQ is given without asking
    out_of_scope_override: float = 0.85  # an out-of-scope word is ignored only for a match this strong
    scope_model: float = 0.8  # the learned scope check refuses above this probability (5-fold CV)
    scope_model_keep: float = 0.9  # ... and above this one when the question names a plan offering
    scope_model_unplaced: float = 0.65  # ... and above this one when the unit prior cannot place the
    unplaced: float = 0.3  # question: no unit gets this much of it (out-of-fold on the tuning sets)
    scope_model_weak: float = 0.6  # ... and above this one when its only anchors are weak ones (补贴, 培训)
    scope_model_detail: float = 0.3  # a detail the plan never states, asked: told unstated above this doubt (CV)


THRESHOLDS = Thresholds()
STRUCTURAL_PENALTY = 0.65  # a chapter, section or box is a worse citation than one of its own units
OVERVIEW_BOOST = 1.6  # ... unless the question asks about the whole of it (总体思路): a better one (5-fold CV)
UNASKED_FIGURES_FACTOR = 0.85  # an FAQ entry asking for figures, matched by a question that asks none
OUTSIDE_NAMED_PART = 0.25  # a unit outside the chapter or box the question names by number (CV: 0.25 to 0.7 the same)
OTHER_MEASURE_FACTOR = 0.8  # a flow clause (期间新增) for a stock question (现在有) or the reverse
UNASKED_TARGET_FACTOR = 0.9  # a target's clause, for a count asked without a target cue (dev sets)
RECORD_CLAUSE_MIN = 0.4  # a recorded figure outside the best units must match the question this well
# a question with one of these asks a target, not a recorded count
_TARGET_CUE = re.compile(r"目标|到\s*20\d\d|20\d\d\s*年?(?:要|将|能)|要达到|要到|计划|打算|准备|争取|以后|将来|未来|"
                         r"五年后|到时候")
# 2016到2020年, from 2016 to 2020, between 2016 and 2020: a period ("2020 and 2025" are two years)
_YEAR_RANGE = re.compile(r"(20\d\d)\s*年?\s*(?:到|至|-|—|–|~|～|－|to\b|(?<=between \d{4}) and\b)\s*(20\d\d)")
PERIOD_BOOST = 1.3  # a passage under the earlier period a question names (十三五)
_PERIOD = re.compile(r"十[一二三四五六七八九]五")
_PERIOD_ORDER = [f"十{n}五" for n in "一二三四五六七八九"]
BM25_WEIGHT = 0.3  # against the prior and coverage (5-fold CV over dev…dev17)
COVERAGE_WEIGHT = 1.0
SUPPORT_WEIGHT = 1.0
SUPPORT_FAQS = 3
SUPPORT_TEMPERATURE = 0.3
PRIOR_WEIGHT = 1.5  # the learned unit prior's probability, added to a unit's rank (5-fold CV)
PRIOR_CANDIDATE = 0.1  # a unit the prior gives this much is a candidate even outside BM25F's best (5-fold CV)
FAQ_OVERRULE, FAQ_SOURCE_FLOOR = 0.5, 0.05  # the prior overrules an FAQ entry below `sure` (5-fold CV)
SOURCE_ORDER_WEIGHT = 0.2  # an FAQ's curated source order (1/(1+rank)) against the prior, when citing it
CONTEXT_WEIGHT = 1.0  # how much a sentence's overlap with the curated FAQ answer counts when quoting
FAQ_TOPIC_VOTE = 2.0
FIGURE_DEPTH = 3  # a figure comes from one of the best units, the one whose numbered clause fits best
FIGURE_RANK_SHARE = 0.8
SENTENCE_CONTEXT = 0.25  # between equally good clauses, the one whose sentence fits the question wins
ROW_MATCH, ROW_SURE = 0.52, 0.55  # an indicator row names the asked figure (chosen on dev.yaml)
SUBJECT_CHARS = 3  # a word this long names what is counted (农产品, 绿色食品), not how (数量, 几个)
ROW_CLAUSE_RATIO = 1.0  # a numbered clause matching the question better than the row states the figure
ENGLISH_NOTE = "(This assistant replies in Chinese. The answer below quotes the plan.)"
NO_AMOUNT_NOTE = "规划没有写明具体金额或收费标准（以相关部门发布的政策和通知为准），与之相关的规划原文如下。"
NO_DETAIL_NOTE = "规划没有写明这类具体事项（时间、条件、流程、材料、网址或负责人等，以相关部门发布的通知为准），与之相关的规划原文如下。"
_AMOUNT_OF_MONEY = re.compile(r"\d[\d.,]*\s*(?:万|亿)?元")
NO_FIGURE_NOTE = "规划没有写明您问的{asked}具体数字，与之相关的规划原文如下。"
PERIOD_NOTE = "注：该规划期为2021—2025年，已经结束；文中“到2025年”的数值是规划当时设定的目标，不是当前统计数据。"
# A target year in the quoted text ("到2025年", "2025年目标") calls for the note; the period alone does not.
_TARGET_YEAR = re.compile(r"到\s*20\d\d\s*年|20\d\d年目标|20\d\d年(?:要|将)?达到")
EMPTY_REPLY = ("您好，请直接输入您想了解的知识产权问题，例如：专利可以拿去银行贷款吗？"
               "有人仿冒我们的商标该找谁？申请专利有补贴吗？")


# A body's name right after one of these is another level's office (国家知识产权局, 重庆市市场监管局),
# not the district's: its contact card would be wrong.
_OTHER_LEVEL = ("国家", "省", "市", "重庆", "中国")


# 我是区12345热线的接线员: the body the asker works for is not the one asked about
_SELF_INTRODUCTION = re.compile(rf"(?:^|(?<=[，,。！!？?；;]))\s*{SELF_INTRODUCTION}")


def _names_local_body(text: str, name: str) -> bool:
    return any(not text[:m.start()].endswith(_OTHER_LEVEL) for m in re.finditer(re.escape(name), text))


_RATE = re.compile(r"每万|万人|万户|率")  # an indicator that is a rate or a per-capita figure
_RATE_ASKED = re.compile(r"每万|万人|万户|每一万|一万人|一万户|人均|平均|密度|率|比例|per|rate|density")
_AMOUNT_WORD = re.compile(r"多少|几")  # a money word that names an amount (值多少钱, 几倍), not a fee (收费)
_ROW_NUMBER = re.compile(r"\s*(\d+)\.(?!\d)")  # the number opening an indicator row: "6. 高价值专利立项（件）…"
_COUNT_IN_WORDS = re.compile(r"[二三四五六七八九十两]+[大类个项件家]")  # 五大重点产业: a number in characters
# Which ones, by name: 是哪10家, 哪一家; or a list asked beside a count (19件地理标志的完整名单)
_COUNT = rf"(\d+|{CHINESE_NUMERAL})\s*[家个件位项所款]"  # 10家, 十家, 一家: the number is the group
_NAMES_NUMBERED = re.compile(rf"哪{_COUNT}")
_NAMES_LISTED = re.compile(r"名单|清单|叫什么名字|叫啥名字|都是哪些|都有哪些|分别是|是哪些|是哪个|是哪家|是哪几|是谁")
_COUNT_STATED = re.compile(rf"(?<![一二三四五六七八九十两几]){_COUNT}")
NAMES_NOTE = "规划只写了数量，没有列出具体名单：{sentence}"


def _numbers(text: str) -> set[str]:
    """The numbers a text states, years left out: {"4990"} for 专利申请4990件 in 2020年."""
    return set(re.findall(r"\d+(?:\.\d+)?", YEAR.sub("", text)))


def _telling(number: str) -> bool:
    """A number few questions would state by chance: a decimal, or three digits or more and not a round
    hundred (10032, 330, 1.85; not 100, 2000)."""
    return "." in number or (len(number) >= 3 and not number.endswith("00"))


def _has_figure(text: str) -> bool:
    """A number other than a year (到2035年 states no figure)."""
    return bool(re.search(r"\d", YEAR.sub("", text)))


def _states_figure(text: str, years: set[int]) -> bool:
    """The text has a number other than a year, and it is for a year asked (if the text names any)."""
    named = years_named(text)
    return _has_figure(text) and not (years and named and not years & named)


def _whole_sentences(segments: list[tuple[str, set[str]]]) -> list[list[tuple[str, set[str]]]]:
    """Indexed segments grouped back into whole sentences: a segment ending with ；continues one."""
    groups: list[list[tuple[str, set[str]]]] = [[]]
    for segment in segments:
        groups[-1].append(segment)
        if not segment[0].rstrip().endswith(("；", ";")):
            groups.append([])
    return [g for g in groups if g]


def _softmax(values: list[float], temperature: float) -> list[float]:
    if not values:
        return []
    top = max(values)
    weights = [math.exp((v - top) / temperature) for v in values]
    total = sum(weights)
    return [w / total for w in weights]


def _best_first(answer: Answer) -> Answer:
    """Citation scores never rise down the list: the order given is the order of trust."""
    ceiling = float("inf")
    for citation in answer.citations:
        ceiling = min(ceiling, citation.score)
        citation.score = ceiling
    return answer


@dataclass
class Candidate:
    kind: str  # "faq" or "unit"
    id: str
    confidence: float  # calibrated: compared with the thresholds
    sources: list[str]
    rank_score: float = 0.0  # orders units: relative BM25F plus the support of matching FAQ entries


class Answerer:
    def __init__(self, retriever: Retriever, queries: QueryAnalyzer, units: dict[str, Unit],
                 faq: dict[str, FaqEntry], topics: list[Topic], plans: dict, fallback_text: str,
                 contacts: list[Contact] | None = None, contact_card=None,
                 thresholds: Thresholds = THRESHOLDS, scope_model: ScopeModel | None = None,
                 unit_model: UnitModel | None = None):
        self.retriever = retriever
        self.queries = queries
        self.units = units
        self.faq = faq
        self._faq_text = {fid: "\n".join(entry.questions) for fid, entry in faq.items()}
        self._figure_entries: dict[str, bool] = {}
        self.topics = topics
        self.plans = plans
        self.fallback_text = fallback_text
        self.t = thresholds
        self.scope_model = scope_model
        self.unit_model = unit_model
        self._faq_answer_tokens = {e.id: set(queries.analyzer.tokens(e.answer)) for e in faq.values()}
        # five-year periods the plans are for (十四五); any other one named (十三五) is an earlier period
        self._current_periods = set(_PERIOD.findall(" ".join(plan.title for plan in plans.values())))
        # measures under an earlier period's heading (“十三五”时期取得的成就): what the plan records
        self._record_units = [uid for uid, unit in units.items()
                              if unit.kind not in STRUCTURAL and self._record_heading(unit)]
        # a year from the first year of the plans' periods on (2021, 2025, 2035) is a year of targets
        self._first_plan_year = min((plan.period_start for plan in plans.values()), default=9999)
        self._last_plan_year = max((plan.period_end for plan in plans.values()), default=9999)
        self._plan_spans = "、".join(dict.fromkeys(plan.period for plan in plans.values()))
        # years the plans state a figure for: a sentence with a number names them (2020年, 到2025年)
        self._figure_years = {y for sentences in retriever.sentences.values() for text, _ in sentences
                              if _has_figure(text) for y in years_named(text)}
        # years the plans speak of at all (2035 has goals, if no figures): a figure question about any
        # other year (2023年) cannot be answered from them
        self._plan_years = {y for unit in units.values() for y in years_named(unit.text)}
        # five-year periods the plans speak of at all (十三五 reviewed, 十四五 planned)
        self._plan_periods = {p for unit in units.values() for p in _PERIOD.findall(unit.text)}
        self._clause_cache: dict[str, list] = {}
        self._plan_text = "\n".join(normalize(f"{unit.heading}\n{unit.text}") for unit in units.values())
        # the plans' own telling numbers (10032, 1.85, 4.08): a question stating one is asking about them
        self._plan_figures = {n for unit in units.values()
                              for n in _numbers(" ".join([unit.text, *(f"{r.baseline} {r.target}" for r in unit.rows)]))
                              if _telling(n)}
        # a wider area than the district (重庆市, 全国), longest first; not before 级: 重庆市级 is a title
        wider = sorted(queries.lexicon.elsewhere_words, key=len, reverse=True)
        self._elsewhere = re.compile(f"(?:{'|'.join(map(re.escape, wider))})(?!级)") if wider else None
        # chapters, sections and boxes with units of their own: one of those is the better citation
        # (a section without measures, 第二节 加大资源投入, is cited as it is)
        self._containers = {unit.parent for unit in units.values() if unit.parent}
        self.contacts = contacts or []
        self.contact_card = contact_card
        # (normalised alias, contact), longest first, so 区公安局 wins over 公安
        self._contact_names = sorted(
            ((normalize(name), c) for c in self.contacts for name in [c.name, *c.aliases] if name),
            key=lambda item: -len(item[0]))

    def topic_weights(self, query: Query, faq: list[Candidate]) -> dict[str, float]:
        """The question's topics as a distribution: topic keywords it uses, topics of the FAQ it matches."""
        scores: dict[str, float] = {}
        for topic in self.topics:
            hits = [k for k in topic.keywords if k and k in query.text]
            hits = [k for k in hits if not any(k != o and k in o for o in hits)]
            if hits:
                scores[topic.id] = float(len(hits))
        for cand in faq[:3]:
            for topic in self.faq[cand.id].topics[:1]:
                scores[topic] = scores.get(topic, 0.0) + FAQ_TOPIC_VOTE * cand.confidence
        total = sum(scores.values())
        return {t: v / total for t, v in scores.items()} if total else {}

    # ---- scoring -------------------------------------------------------------------------------
    def term_score(self, query: Query):
        """Scores a sentence by how much of the question it accounts for."""
        return self.retriever.coverage_scorer(query)

    def faq_candidates(self, query: Query) -> list[Candidate]:
        out = []
        for hit in self.retriever.search_faq(query):
            score = hit.score
            if not query.wants_figure and self._asks_figures(hit.id):
                score *= UNASKED_FIGURES_FACTOR  # 知产质押 alone asks about pledges, not their figures
            out.append(Candidate("faq", hit.id, score, self.faq[hit.id].sources))
        out.sort(key=lambda c: -c.confidence)
        return out

    def _asks_figures(self, faq_id: str) -> bool:
        """Whether most of the entry's phrasings ask for a figure (read the first time it is needed)."""
        if faq_id not in self._figure_entries:
            questions = self.faq[faq_id].questions
            asking = sum(self.queries.analyse(q).wants_figure for q in questions)
            self._figure_entries[faq_id] = asking * 2 > len(questions)
        return self._figure_entries[faq_id]

    def unit_candidates(self, query: Query, faq: list[Candidate]) -> list[Candidate]:
        prior = self._prior(query)
        likely = frozenset(uid for uid, p in prior.items() if p >= PRIOR_CANDIDATE)
        named = self._named_units(query)
        hits = self.retriever.search_units(query, limit=12, also=likely | named)
        if not hits:
            return []
        top = hits[0].score or 1.0
        support: dict[str, float] = {}
        shares = _softmax([c.confidence for c in faq[:SUPPORT_FAQS]], SUPPORT_TEMPERATURE)
        for cand, share in zip(faq, shares):
            for rank, unit_id in enumerate(cand.sources):
                support[unit_id] = support.get(unit_id, 0.0) + share * cand.confidence / (1 + rank)
        past = self._past_periods(query.text)
        # 总体思路是啥 asks about a whole chapter: its introduction is then the better citation
        overview = self.queries.lexicon.asks_overview(query.text) or bool(named and not query.anchors)
        container_weight = OVERVIEW_BOOST if overview else STRUCTURAL_PENALTY
        inside = named and any(self._within(hit.id, named) for hit in hits)
        out = []
        for hit in hits:
            unit = self.units[hit.id]
            structural = container_weight if hit.id in self._containers else 1.0
            outside = bool(named) and not self._within(hit.id, named)
            if named:  # 第三章讲的啥: the chapter itself, or one of its own units, not another chapter's
                if hit.id in named:  # ... but 第三章里行政裁决怎么说 asks about one matter of it
                    structural = 1.0 if query.anchors else OVERVIEW_BOOST
                elif outside:
                    if inside and any(self._within(part, frozenset((hit.id,))) for part in named):
                        continue  # 第五章 around 第五章第二节: a unit of the section itself answers
                    structural *= OUTSIDE_NAMED_PART
            if past and self._in_period(unit, past):
                structural *= PERIOD_BOOST
            rank_score = structural * (BM25_WEIGHT * hit.score / top + COVERAGE_WEIGHT * hit.coverage
                                       + SUPPORT_WEIGHT * support.get(hit.id, 0.0))
            # the prior learnt 第五章 as chapter 5: outside the part named, it counts as little as the search
            rank_score += PRIOR_WEIGHT * prior.get(hit.id, 0.0) * (OUTSIDE_NAMED_PART if outside else 1.0)
            out.append(Candidate("unit", hit.id, hit.coverage, [hit.id], rank_score))
        out.sort(key=lambda c: -c.rank_score)
        if named and self.queries.lexicon.asks_whole(query.text):
            out = self._whole_first(out, named)
        elif (textless := frozenset(uid for uid in named if not self.units[uid].text)) \
                and self._names_nothing_else(query):
            # 第二章讲了啥 asks about a part with no text of its own, which the search never finds: the
            # part leads, quoted as the list of its sections
            out = self._whole_first(out, textless)
        return out

    def _whole_first(self, candidates: list[Candidate], named: frozenset[str]) -> list[Candidate]:
        """专栏4都有啥 asks for all of the part named: the part leads, as sure as the best of its own units
        found (a box has no text of its own, so the search never finds it: its citation lists its items)."""
        top = candidates[0].rank_score if candidates else 0.0
        whole = []
        for part in sorted(named, key=lambda uid: self.units[uid].order):
            own = [c.confidence for c in candidates if self._within(c.id, frozenset((part,)))]
            if own:
                whole.append(Candidate("unit", part, max(own), [part], top + 1.0))
        return whole + [c for c in candidates if c.id not in named] if whole else candidates

    def _names_nothing_else(self, query: Query) -> bool:
        """Besides the parts named by number, the question has no word of two characters or more
        (第一章写了些啥, not 第一章里国际形势讲了什么)."""
        rest = self.queries.analyse(without_parts(query.text))
        return not rest.anchors and all(len(term) < 2 for term in rest.own_terms)

    def _named_units(self, query: Query) -> frozenset[str]:
        """The units of the parts the question names by number (第三章, 专栏2), in every plan; computed
        once per question, as the prior is."""
        if "_named" not in query.__dict__:
            named = set()
            for plan in self.plans:
                for part in query.parts:
                    while f"{plan}:{part}" not in self.units and "." in part:
                        part = part.rsplit(".", 1)[0]  # 专栏4第九项: there is none; 专栏4 is what is there
                    if f"{plan}:{part}" in self.units:
                        named.add(f"{plan}:{part}")
            query.__dict__["_named"] = frozenset(named)
        return query.__dict__["_named"]

    def _no_such_part(self) -> str:
        """What the plans hold, for a question naming a chapter or box none of them has."""
        held = []
        for plan_id, plan in self.plans.items():
            units = [unit for unit in self.units.values() if unit.plan_id == plan_id]
            chapters, boxes = (sum(unit.kind == kind for unit in units) for kind in ("chapter", "box"))
            held.append(f"《{plan.title}》共{chapters}章、{boxes}个专栏")
        return f"规划里没有您说的这一章或专栏：{'；'.join(held)}。"

    def _within(self, unit_id: str, parts: frozenset[str]) -> bool:
        while unit_id is not None:
            if unit_id in parts:
                return True
            unit_id = self.units[unit_id].parent
        return False

    def _prior(self, query: Query) -> dict[str, float]:
        """The learned unit prior for the question (empty without a model), computed once per question."""
        if "_prior" not in query.__dict__:
            query.__dict__["_prior"] = self.unit_model.probabilities(query.model_text) if self.unit_model else {}
        return query.__dict__["_prior"]

    def _sources(self, query: Query, entry: FaqEntry) -> list[str]:
        """An FAQ entry's plan units, the one this question most likely asks about first: the curated
        order (measured best without the prior) weighed against the learned prior."""
        sources = [uid for uid in entry.sources if uid in self.units]
        prior = self._prior(query)
        ranked = sorted(enumerate(sources), key=lambda item: -(SOURCE_ORDER_WEIGHT / (1 + item[0])
                                                               + prior.get(item[1], 0.0)))
        return [uid for _, uid in ranked]

    def _past_periods(self, text: str) -> set[str]:
        """Earlier five-year periods a text names (十三五 in a 十四五 plan). A question naming one asks
        what the plan records of that period, which only the passages under its heading state."""
        return set(_PERIOD.findall(text)) - self._current_periods

    def _record_heading(self, unit: Unit) -> str | None:
        """The nearest heading above the unit that names a period, if it names only earlier ones:
        “十三五”时期取得的成就 is a record; “十四五”时期面临的形势 in the same chapter is not."""
        for part in reversed(unit.path[:-1]):
            if _PERIOD.search(part):
                return part if not set(_PERIOD.findall(part)) & self._current_periods else None
        return None

    def _period_of(self, unit: Unit) -> str:
        """"回顾“十三五”时期取得的成就时，" for a unit under an earlier period's heading: a figure is read
        out with the period it was recorded for, not as a current count."""
        part = self._record_heading(unit)
        return f"回顾{part.split(' ', 1)[-1]}时，" if part else ""

    def _asks_target(self, query: Query) -> bool:
        """目标, 计划, 到2025年 …: the question asks a figure set for the future, not one on record."""
        return (bool(_TARGET_CUE.search(query.asked)) or any(y >= self._first_plan_year for y in query.years)
                or any(f"{period}末" in query.asked for period in self._current_periods))  # 十四五末

    @staticmethod
    def _in_period(unit: Unit, periods: set[str]) -> bool:
        return any(p in part for part in unit.path for p in periods)

    # ---- the decision -------------------------------------------------------------------------
    def answer(self, question: str) -> Answer:
        if not question or not question.strip():
            return Answer(question=question, answered=False, answer=EMPTY_REPLY)
        query = self.queries.analyse(question)
        answer = _best_first(self._decide(query))
        if answer.answered and answer.matched.kind != "contact" and self._amount_unstated(query, answer):
            return self._unstated(query, self._on_the_money(query, answer), NO_AMOUNT_NOTE)
        if answer.answered and answer.matched.kind in ("unit", "figure") and self._detail_unstated(query):
            return self._unstated(query, answer, NO_DETAIL_NOTE)  # a curated FAQ entry says which details it lacks
        if answer.answered and answer.matched.kind in ("faq", "unit") and self._asks_whom(query):
            answer = self._with_contacts(answer)
        return answer

    def _asks_money(self, query: Query) -> bool:
        """Whether the asking clause asks an amount of money or a fee. A yes-or-no clause whose money
        words only name an amount (地标品牌值多少钱有人评吗, 能不能按几倍赔) asks whether, not how much;
        收费吗 and 要不要交钱 still ask about a fee. A sum the question states (听说一件奖2万块，真的吗) is asked
        wherever it stands: only a passage stating it could say yes."""
        if query.states_sum:
            return True
        asking = (query.asking, joined(query.asking))  # 高价值专利 资助 几万: keywords typed apart
        found = [word for word in self.queries.lexicon.money_words if any(word in text for text in asking)]
        return bool(found) and not (query.yes_no and all(_AMOUNT_WORD.search(word) for word in found))

    def _amount_unstated(self, query: Query, answer: Answer) -> bool:
        """The question asks an amount of money (多少钱, 收费) and the passage answering it states none.
        Only the clause that asks counts: 打官司花了好多钱，有资助没得 asks whether, not how much."""
        if not self._asks_money(query):
            return False
        first = self.units.get(answer.citations[0].id) if answer.citations else None
        return first is None or not _AMOUNT_OF_MONEY.search(first.text)

    def _on_the_money(self, query: Query, answer: Answer) -> Answer:
        """听说授权一件发明专利奖1万5 shares its words with the review's patent counts, which say nothing of
        a reward: of the passages cited, the first that speaks of the kind of money asked (奖 -> 奖励,
        补 -> 补贴, 贷 -> 贷款: the `sum:` words) is the one quoted under the amount-unstated note."""
        sums = self.queries.lexicon.sum_words
        heads = {word[0] for word in sums if word in query.text}
        kinds = [word for word in sums if len(word) > 1 and word[0] in heads]
        for i, citation in enumerate(answer.citations[:3]):
            unit = self.units.get(citation.id)
            if unit is not None and any(word in unit.text for word in kinds):
                if i == 0:
                    return answer
                citations = [citation, *(c for c in answer.citations if c.id != citation.id)]
                body = self._text(query, f"{unit_title(unit)}：{citation.quote}", citations)
                return answer.model_copy(update={"answer": body, "citations": citations})
        return answer

    def _detail_unstated(self, query: Query) -> bool:
        """The asking clause asks a detail the plan never states (申报时间是哪个月, 流程是啥, 要提交哪些资料,
        入库条件是啥, 会长是谁: `detail:` lines) and the learned scope check doubts the question at all.
        By-set CV over 55 sets (0.2 to 0.5 tried): out-of-scope answered 137 -> 131, misses the same."""
        return (query.asks_detail and self.scope_model is not None
                and self._doubt(query) > self.t.scope_model_detail)

    def _unstated(self, query: Query, answer: Answer, note: str) -> Answer:
        """The fallback for an amount or a detail the plan never states: it says so first (``note``),
        quotes what the plan does say on the matter (a reward policy exists), and closes with whom to ask.

        Not an answer (logged for staff), like the FAQ entries marked in_plan: false: nothing in the
        corpus answers how much. By-set CV over 27 tuning sets: 22 more out-of-scope questions refused,
        3 in-scope ones lost (amounts, before the asking-clause rule above)."""
        lines = [ENGLISH_NOTE] if query.english else []
        unstated = NO_FIGURE_NOTE.split("{", 1)[0]  # 规划没有写明您问的…具体数字: said once, by the note
        body = [line for line in answer.answer.splitlines() if line != ENGLISH_NOTE and not line.startswith(unstated)]
        lines += [note, *body, self.fallback_text]
        return answer.model_copy(update={"answer": "\n".join(lines), "answered": False,
                                         "matched": Matched(kind="none", id=answer.matched.id)})

    def _asks_whom(self, query: Query) -> bool:
        return any(w in query.text for w in self.queries.lexicon.whom_words)

    def _with_contacts(self, answer: Answer) -> Answer:
        """Append the bodies to turn to for the answer's topic (the question asked whom)."""
        topic = next((t for t in self.topics if t.id == answer.topic), None)
        by_id = {c.id: c for c in self.contacts}
        ids = [*answer.contacts, *(topic.contacts if topic else [])]
        ids = [i for i in dict.fromkeys(ids) if i in by_id][:3] or [i for i in ("amr", "windows") if i in by_id]
        if not ids:
            return answer
        names = "、".join(by_id[i].name for i in ids)
        reach = [f"{by_id[i].name}：{by_id[i].phone}" for i in ids if by_id[i].phone]
        line = f"可以联系：{names}。" + ("；".join(reach) if reach else
                                       "具体联系方式请通过全区29个知识产权综合咨询服务窗口或12345政务服务便民热线查询。")
        return answer.model_copy(update={"answer": f"{answer.answer}\n{line}", "contacts": ids})

    def _decide(self, query: Query) -> Answer:
        if query.empty:
            return Answer(question=query.raw, answered=False, answer=EMPTY_REPLY)
        if query.out_of_scope and self._compares_plan_matters(query):
            # 铁拳和蓝天专项行动有啥区别 asks about two of the plan's matters, not general IP knowledge
            query.out_of_scope = [m for m in query.out_of_scope if m not in self.queries.lexicon.compare_words]
        faq = self.faq_candidates(query)
        units = self.unit_candidates(query, faq)
        best_faq = faq[0] if faq else None
        best_unit = units[0] if units else None
        strongest = max((c.confidence for c in (best_faq, best_unit) if c), default=0.0)

        if (contact := self._asked_contact(query)) is not None and not self._beyond_reaching(query):
            return self.from_contact(query, contact, units)  # 达州市场监管局电话 is not ours to give
        if contact is None and self._asks_someone_elses_number(query):
            return self.no_answer(query)
        named = self._named_units(query)
        if query.parts and not named:
            return self.no_answer(query, self._no_such_part())  # 第九十九章: not the nearest words' unit
        if named and query.wants_figure and not self._kinds(query.asked):
            # 专栏4一共几项, 第六章有几节: a count of the named part's own items, which the part itself shows
            query.wants_figure = query.asks_count = False
        if query.wants_figure and (note := self._unrecorded_figure(query)):
            return self.no_answer(query, note)
        if (names := self._names_unlisted(query, units)) is not None:
            return names
        if query.asks_count and (note := self._counted_elsewhere(query)):
            return self.no_answer(query, note)
        if note := self._unplanned_time(query):
            return self.no_answer(query, note)
        if strongest < self.t.out_of_scope_override and (query.out_of_scope or self._unlike_the_plan(query)):
            return self.no_answer(query)
        if query.out_of_scope and not self._match_says(query.out_of_scope, (best_faq, best_unit)):
            return self.no_answer(query)
        # naming a part of the plan (第七章) anchors a question in it as an IP word does
        floor = self.t.answer_floor if query.anchors or named else self.t.unanchored
        # 第三章写了一大堆，主要想干啥: the part named, found first, is what is asked, however few words matched
        part_asked = best_unit is not None and best_unit.id in named
        if (strongest < floor and not part_asked) or best_unit is None:
            return self.no_answer(query)
        if query.wants_figure and (figure := self.figure_answer(query, units)):
            if not self._asks_money(query) or _AMOUNT_OF_MONEY.search(figure.citations[0].quote):
                return figure  # 授权了政府奖多少钱 is not answered by 授权总量3480件: money asked, a count found
        past = self._past_periods(query.text)
        if past and best_faq and not any(self._in_period(self.units[u], past)
                                         for u in best_faq.sources[:1] if u in self.units):
            best_faq = None  # the curated answer is about today's policy, the question about the past
        if named and best_faq and not any(self._within(u, named) for u in best_faq.sources[:1] if u in self.units):
            best_faq = None  # the curated answer rests on another part of the plan than the one named
        if (best_faq and best_faq.confidence < self.t.sure and best_unit.id in self._containers
                and self.queries.lexicon.asks_overview(query.text) and best_unit.id not in best_faq.sources):
            best_faq = None  # 总的来说人才和文化建设要搞成啥样: the chapter answers, not one entry of it
        if best_faq and best_faq.confidence < self.t.sure and self._prior_disowns(query, best_faq, best_unit):
            best_faq = None
        if best_faq and self._faq_decisive(faq):
            rival = self._rival(faq)
            if rival and best_faq.confidence < self.t.sure:
                return self.clarify(query, [best_faq, rival, *faq[2:3]], units)
            return self.from_faq(query, self.faq[best_faq.id], best_faq.confidence, units)
        if best_faq and self._faq_undecided(faq, best_unit):
            # answer with the likeliest entry, and offer the close ones as "您是不是想问" choices
            answer = self.from_faq(query, self.faq[best_faq.id], best_faq.confidence, units)
            return answer.model_copy(update={"suggestions": self._suggestions(faq[1:3], faq[0].confidence)})
        return self.from_unit(query, self.units[best_unit.id], best_unit.confidence, units)

    def _compares_plan_matters(self, query: Query) -> bool:
        """Whether the question compares two things the plans both name, not two common words of the
        field (商标和品牌) and not a thing they never name (实用新型和发明专利)."""
        pair = compared(query.text)
        return (pair is not None and max(map(len, pair)) > 2
                and all(thing in self._plan_text for thing in pair))

    def _match_says(self, markers: list[str], candidates) -> bool:
        """Whether a strong match itself says the out-of-scope words, which is what lets it override them.
        A terse 专利执行险 保费 is covered almost wholly by the insurance passage, but it asks the premium,
        which no passage states."""
        for cand in candidates:
            if cand is None or cand.confidence < self.t.out_of_scope_override:
                continue
            if cand.kind == "faq":
                text = self._faq_text[cand.id]
            else:
                text = f"{self.units[cand.id].heading}\n{self.units[cand.id].text}"
            if all(part in text for marker in markers for part in marker.split("*")):
                return True
        return False

    def _prior_disowns(self, query: Query, faq: Candidate, unit: Candidate) -> bool:
        """The learned prior is sure the question asks about a passage the FAQ entry does not rest on."""
        prior = self._prior(query)
        return (prior.get(unit.id, 0.0) >= FAQ_OVERRULE
                and max((prior.get(u, 0.0) for u in faq.sources), default=0.0) < FAQ_SOURCE_FLOOR)

    def _unlike_the_plan(self, query: Query) -> bool:
        """The learned scope check: worded like the questions the plan cannot answer. Naming one of the
        plan's own offerings takes more (补贴怎么申请 reads like a procedure question, but is one)."""
        if not self.scope_model or query.parts or query.describes_part:
            return False  # 第六章讲的啥, the chapter on services: a question naming a part of the plan asks about it
        if self._plan_figures & _numbers(re.sub(r"(?<=\d),(?=\d{3})", "", query.text)):
            return False  # 商标申请了10032件，注册成功多少: a number only the plan's review states
        offering = any(w in query.text for w in self.queries.lexicon.scope_keep)
        if offering and self._asks_money(query):
            return False  # how much a reward pays: told the plan states no sum, with what it does say
        if offering or self._asks_recorded_count(query):
            threshold = self.t.scope_model_keep
        elif self.unit_model and max(self._prior(query).values(), default=0.0) < self.t.unplaced:
            threshold = self.t.scope_model_unplaced  # no passage of the plan looks like what is asked
        else:
            threshold = self.t.scope_model
        if self._only_weakly_anchored(query):
            threshold = min(threshold, self.t.scope_model_weak)  # 返乡创业有啥子补贴: no IP word at all
        return self._doubt(query) > threshold

    def _doubt(self, query: Query) -> float:
        """The learned scope check's probability that the question is out of scope, computed once per
        question (the decision and the detail check both read it)."""
        if "_doubt" not in query.__dict__:
            query.__dict__["_doubt"] = self.scope_model.out_of_scope_probability(query.scope_text)
        return query.__dict__["_doubt"]

    def _asks_recorded_count(self, query: Query) -> bool:
        """十三五万州专利申请了好多: a count of a kind of IP in the period the plan reviews, which its review
        states; the learned check, unsure of such terse wordings, then needs as much as for an offering."""
        period = self._past_periods(query.text) or any(y < self._first_plan_year for y in query.years)
        return bool(query.asks_count and period and self._kinds(query.asked))

    def _only_weakly_anchored(self, query: Query) -> bool:
        """All the question's anchors are weak ones (补贴, 培训); a strong one counts even inside a
        longer word (专利 in 专利补贴: kb/query.py)."""
        return bool(query.anchors) and set(query.anchors) <= self.queries.lexicon.weak_anchors

    def _faq_undecided(self, faq: list[Candidate], best_unit: Candidate) -> bool:
        """Two or three FAQ entries fit about equally and no plan passage stands out: ask which."""
        if len(faq) < 2 or best_unit.confidence >= self.t.unit_sure:
            return False
        first, second = faq[0], faq[1]
        return (second.confidence >= self.t.ask_floor
                and first.confidence - second.confidence <= self.t.ask_window
                and not set(first.sources[:1]) & set(second.sources[:1]))

    def _faq_decisive(self, faq: list[Candidate]) -> bool:
        best = faq[0].confidence
        runner_up = faq[1].confidence if len(faq) > 1 else 0.0
        return best >= self.t.faq_answer or (best >= self.t.faq_margin_floor
                                             and best - runner_up >= self.t.faq_margin)

    def _rival(self, faq: list[Candidate]) -> Candidate | None:
        if len(faq) < 2:
            return None
        first, second = faq[0], faq[1]
        if second.confidence < self.t.faq_answer or first.confidence - second.confidence > self.t.clarify_gap:
            return None
        if set(first.sources) & set(second.sources):
            return None  # both rest on the same passage: no need to ask
        return second

    # ---- composition ---------------------------------------------------------------------------
    def cite(self, query: Query, unit_id: str, score: float, figure: bool = False,
             context: set[str] | None = None) -> Citation:
        """A citation quoting the unit's 1–3 sentences that best match the question.

        ``context`` (the tokens of a curated FAQ answer) also counts, so an FAQ's quote is the passage
        the curated answer paraphrases, not merely one that shares a word with the question.
        """
        unit = self.units[unit_id]
        scorer = self.term_score(query)
        if context:
            def scorer(tokens: set[str], base=scorer) -> float:
                return base(tokens) + CONTEXT_WEIGHT * len(tokens & context) / max(1, len(tokens))
        quote = "".join(best_sentences(self.retriever.sentences.get(unit_id, []), scorer,
                                       limit=3, must_contain_digit=figure)) or unit.body or self._items(unit)
        return make_citation(unit, self.units, self.plans[unit.plan_id], quote, score)

    def _items(self, unit: Unit) -> str:
        """What a part without text of its own holds (专栏5: its two items), by their headings."""
        items = sorted((u for u in self.units.values() if u.parent == unit.id), key=lambda u: u.order)
        return "；".join(f"（{i}）{u.heading}" for i, u in enumerate(items, start=1)) + "。" if items else ""

    def _text(self, query: Query, body: str, citations: list[Citation]) -> str:
        lines = [ENGLISH_NOTE] if query.english else []
        lines.append(body)
        if citations:
            lines.append(f"——出自{citations[0].reference}")
        if _TARGET_YEAR.search(body) or any(_TARGET_YEAR.search(c.quote) for c in citations[:1]):
            lines.append(PERIOD_NOTE)
        return "\n".join(lines)

    def _topic(self, query: Query, faq_entry: FaqEntry | None = None) -> str | None:
        """The answer's topic (which contact card to offer): the FAQ entry's, else the keywords'."""
        if faq_entry and faq_entry.topics:
            return faq_entry.topics[0]
        weights = self.topic_weights(query, [])
        return max(weights, key=weights.get) if weights else None

    def _extra_citations(self, query: Query, units: list[Candidate], have: list[str], k: int = 2) -> list[Citation]:
        extra = [c for c in units if c.id not in have][:k]
        return [self.cite(query, c.id, c.confidence) for c in extra]

    def from_faq(self, query: Query, entry: FaqEntry, confidence: float, units: list[Candidate]) -> Answer:
        sources = self._sources(query, entry)
        context = self._faq_answer_tokens.get(entry.id)
        citations = [self.cite(query, uid, confidence, context=context) for uid in sources]
        # the third place goes to the best passage the search found outside the entry, even when the
        # entry rests on more: a reader (and hit@3) gets one other reading of the question (by-set CV:
        # in-scope questions without a right passage among the first three 130 -> 118, hit@1 the same)
        others = self._extra_citations(query, units, sources, k=max(1, 3 - len(citations)))
        citations = [*citations[:2], *others, *citations[2:]]
        first = citations[0]
        body = f"{entry.answer.strip()}\n\n规划原文：「{first.title}」{first.quote}"
        return Answer(question=query.raw, answered=entry.in_plan, answer=self._text(query, body, citations),
                      citations=citations, matched=Matched(kind="faq" if entry.in_plan else "none", id=entry.id),
                      topic=self._topic(query, entry), contacts=entry.contacts)

    def from_unit(self, query: Query, unit: Unit, confidence: float, units: list[Candidate]) -> Answer:
        first = self.cite(query, unit.id, confidence)
        citations = [first, *self._extra_citations(query, units, [unit.id], k=2)]
        body = f"{unit_title(unit)}：{first.quote}"
        years = query.years
        # an indicator table none of whose rows the figure search took states some figures, not the one asked
        unstated = (not _states_figure(first.quote, years) and not _COUNT_IN_WORDS.search(first.quote)) or bool(unit.rows)
        if query.asks_count and unstated and not self._asks_money(query):  # money has its own note (_unstated)
            # never let a passage without the number pass for it: say so, quote it, say whom to ask
            asked = "".join(f"{y}年" for y in sorted(years))
            body = f"{NO_FIGURE_NOTE.format(asked=asked + '的' if asked else '')}\n{body}"
            return Answer(question=query.raw, answered=False,
                          answer=f"{self._text(query, body, citations)}\n{self.fallback_text}",
                          citations=citations, matched=Matched(kind="none", id=unit.id),
                          topic=self._topic(query))
        return Answer(question=query.raw, answered=True, answer=self._text(query, body, citations),
                      citations=citations, matched=Matched(kind="unit", id=unit.id),
                      topic=self._topic(query))

    def _suggestions(self, options: list[Candidate], best: float) -> list[Suggestion]:
        floor = best - 2 * self.t.ask_window
        return [Suggestion(question=self.faq[c.id].questions[0], kind="faq", id=c.id)
                for c in options if c.kind == "faq" and c.confidence >= floor][:3]

    def clarify(self, query: Query, options: list[Candidate], units: list[Candidate]) -> Answer:
        suggestions = self._suggestions(options, options[0].confidence)
        first_entry = self.faq[options[0].id]
        citations = [self.cite(query, uid, options[0].confidence) for uid in self._sources(query, first_entry)]
        lines = ["您是不是想问："] + [f"{i}. {s.question}" for i, s in enumerate(suggestions, 1)]
        lines.append("请选择一个问题，或换个说法再问一次。")
        return Answer(question=query.raw, answered=True, answer="\n".join(lines),
                      citations=citations, matched=Matched(kind="clarify", id=first_entry.id),
                      suggestions=suggestions, topic=self._topic(query, first_entry))

    def _asked_contact(self, query: Query) -> Contact | None:
        """The body a question asks how to reach (市场监管局的电话是多少), if any."""
        words = self.queries.lexicon.contact_words
        if not any(w in query.text for w in words):
            return None
        # a body named in the user's own words before one the glossary brought in (go in person ->
        # 咨询服务窗口); spaces dropped: English is translated word by word (IP bureau -> 知识产权 局)
        for text in (query.raw_normalized, query.text):
            named = re.sub(r"\s+", "", _SELF_INTRODUCTION.sub("", text))
            found = next((c for name, c in self._contact_names if _names_local_body(named, name)), None)
            if found is not None:
                return found
        return None

    def _beyond_reaching(self, query: Query) -> bool:
        """Out-of-scope markers other than one asking about the reaching itself: in 窗口在哪，上班时间是
        多久 the 多久 asks the opening hours; 达州 (what it is about) or 局长叫啥 (another clause) still count."""
        lex = self.queries.lexicon
        reaching = [c for c in clauses(query.text) if any(w in c for w in lex.contact_words)]
        return any(m not in lex.asked_only or not any(m in c for c in reaching) for m in query.out_of_scope)

    def _asks_someone_elses_number(self, query: Query) -> bool:
        """A phone number or an account asked (in the user's own words, not the glossary's: "contact" is
        also whom to turn to) of no body in contacts.yaml, and about none of the plan's offerings, or
        of a body of its own named beside one (维权援助中心的电话: `body:` words)."""
        lex = self.queries.lexicon
        if not any(w in query.raw_normalized for w in lex.reach_words) or any(w in query.text for w in lex.whom_words):
            return False
        # 维权援助中心电话: a body of its own named, whatever offering of the plan it is about
        return (not any(w in query.text for w in lex.scope_keep)
                or any(w in query.raw_normalized for w in lex.body_words))

    def from_contact(self, query: Query, contact: Contact, units: list[Candidate]) -> Answer:
        card = self.contact_card(contact) if self.contact_card else contact.name
        citations = [self.cite(query, uid, 1.0) for uid in contact.sources if uid in self.units]
        lines = [ENGLISH_NOTE] if query.english else []
        lines.append(card)
        if citations:
            lines.append(f"规划中关于{contact.name}的职责：「{citations[0].title}」{citations[0].quote}")
            lines.append(f"——出自{citations[0].reference}")
        return Answer(question=query.raw, answered=True, answer="\n".join(lines), citations=citations,
                      matched=Matched(kind="contact", id=contact.id), topic=(contact.topics or [None])[0],
                      contacts=[contact.id])

    def no_answer(self, query: Query, note: str = "") -> Answer:
        lines = [ENGLISH_NOTE] if query.english else []
        lines += [note, self.fallback_text] if note else [self.fallback_text]
        return Answer(question=query.raw, answered=False, answer="\n".join(lines),
                      matched=Matched(kind="none"), topic=self._topic(query))

    # ---- figures -------------------------------------------------------------------------------
    def _asking_words(self, query: Query) -> set[str]:
        """多少, 几个, years: words that ask for a figure, which every figure answers."""
        return {w for w in query.words if w in self.queries.lexicon.figure_words or w.isdigit()}

    def _best_row(self, query: Query) -> tuple[Unit, IndicatorRow, float, float] | None:
        """The indicator-table row the question names.

        Scored half by how much of the question the row accounts for (figure words such as 多少 and
        years count as accounted for) and half by how much of the row the question names, where a
        word shared by several rows (拥有量, 件) weighs less than one that picks a row (地理标志), and a
        word the question only reaches through a synonym (绿色食品 -> 两品一标) less than its own.
        """
        rows = self.retriever.rows
        if not rows:
            return None
        df: dict[str, int] = {}
        for tokens in rows.values():
            for token in tokens:
                df[token] = df.get(token, 0) + 1
        ridf = {t: math.log(1 + len(rows) / n) for t, n in df.items()}
        asked = set(query.terms)
        years = query.years
        generic = self._asking_words(query)
        coverage = self.retriever.coverage_scorer(query)
        best = None
        for (unit_id, number), tokens in rows.items():
            row = next(r for r in self.units[unit_id].rows if r.number == number)
            if years and not years & {row.baseline_year, row.target_year}:
                continue  # a 2035 question is not answered by a 2020 value or a 2025 target
            if _RATE.search(row.indicator) and not _RATE_ASKED.search(query.asked):
                continue  # 每万户…商标量 (a rate) does not answer how many trademarks there are
            named = math.fsum(ridf[t] * query.terms[t] for t in tokens & asked) / math.fsum(ridf[t] for t in tokens)
            covered = coverage(tokens | generic)
            score = 0.5 * covered + 0.5 * named
            if best is None or score > best[2]:
                unit = self.units[unit_id]
                best = (unit, row, score, covered)
        return best

    def _unplanned_time(self, query: Query) -> str:
        """Why a question about only times the plans never speak of cannot be answered from them: other
        five-year periods (十二五, 十五五), or years after their period that they do not name (2026年以后的
        政策; 2035 has its goals). Empty when the question also names a time they cover (十三五和十五五比)."""
        named = set(_PERIOD.findall(query.text))
        if named and not named & self._plan_periods:
            covered = "、".join(f"“{p}”" for p in sorted(self._plan_periods, key=_PERIOD_ORDER.index))
            return (f"规划没有涉及{'、'.join(f'“{p}”' for p in sorted(named, key=_PERIOD_ORDER.index))}时期："
                    f"它讲的是{covered}时期的知识产权工作。")
        # only in the clause that asks: 现在2026年了，规划里地理标志怎么支持 asks about the plan
        asked_years = years_named(query.asking)
        later = {y for y in asked_years if y > self._last_plan_year and y not in self._plan_years}
        if later and later == asked_years and not named:
            return (f"规划的规划期是{self._plan_spans}，写于规划期开始时，"
                    f"没有写{'、'.join(f'{y}年' for y in sorted(later))}的情况。")
        return ""

    def _counted_elsewhere(self, query: Query) -> str:
        """Why a count asked of another area than the district (重庆市, 全国, 街道) cannot be answered from its
        plan, which states only the district's own figures; empty when the question names the district."""
        if any(w in query.asked for w in self.queries.lexicon.here_words):
            return ""
        found = self._elsewhere.search(query.asked) if self._elsewhere else None
        return f"规划写的是万州区自己的数字，没有{found.group(0)}的数字。" if found else ""

    def _unrecorded_figure(self, query: Query) -> str:
        """Why a figure asked for a year the plan states none for (2023年, 去年, 2025年实际) cannot be
        answered from it; empty when the year asked, if any, is one the plan gives figures for."""
        lex = self.queries.lexicon
        this_year = datetime.date.today().year
        # 去年 and 今年 ask what was reached then; so does 实际: the plan only set targets for its years
        relative = {this_year + offset for word, offset in lex.relative_years.items() if word in query.when}
        actual = relative or any(word in query.when for word in lex.actual_words)
        # 2016到2020年 asks about the five years up to 2020: only the year it ends in must be on record
        named = query.years - {int(start) for start, _ in _YEAR_RANGE.findall(query.asked)}
        asked = (named | relative) or ({this_year} if actual else set())  # 目标达到没有: now
        # 2021年授权了几件: the plan names 2021 as its first year, but states no count for it; and 2035
        # has goals in words only (2035年万人发明专利目标多少 is not the 2025 target)
        missing = sorted(y for y in asked
                         if y not in self._plan_years or (actual and y >= self._first_plan_year)
                         or (query.asks_count and y not in self._figure_years))
        if not missing:
            # 2020年一年申请了几件: what was made over a period is recorded for the whole five-year period
            # before the plan's, never for one year of it
            single = (len(named) == 1 and max(named) < self._first_plan_year and not relative
                      and not _YEAR_RANGE.search(query.asked))
            if (single and query.asks_count and self._measure(query.asked) == "flow"  # 截至2020年累计: up to
                    and not any(w in query.asked for w in lex.stock_words) and not self._past_periods(query.asked)):
                return f"规划没有写明{max(named)}年一年的数字：规划记录的是整个五年规划期的总数。"
            return ""
        recorded = sorted(y for y in self._figure_years if y < self._first_plan_year)
        targets = sorted(y for y in self._figure_years if y >= self._first_plan_year)
        said = "、".join(f"{y}年" for y in missing)
        # 2035 is neither a year on record nor one with targets in numbers: its goals are in words
        vision = f"对{said}只提出了远景目标，" if all(
            y in self._plan_years and y > self._last_plan_year for y in missing) else ""
        return (f"规划{vision}没有写明{said}的{'具体' if vision else '实际'}数字：规划记录的是"
                f"{'、'.join(f'{y}年' for y in recorded)}及以前的数值，"
                f"{'、'.join(f'{y}年' for y in targets)}的数值是规划设定的目标。")

    def _asks_now(self, query: Query) -> bool:
        """现在有几家, 目前有多少: a count held today, and no target asked (十四五末要有几家 asks one)."""
        return any(w in query.asked for w in self.queries.lexicon.now_words) and not self._asks_target(query)

    def _target_only(self, query: Query, unit: Unit, sentence: str, confidence: float) -> Answer:
        """A count held today is asked and the plan only set a target for it: say so, quote the target
        with where it stands, and say whom to ask (not an answer: logged for staff)."""
        targets = "、".join(f"{y}年" for y in sorted(years_named(sentence)))
        return self._other_figure(query, unit, sentence, confidence,
                                  f"规划没有写明现在的数字：规划只为{targets}设定了目标，原文是：{sentence}"
                                  "（这是规划当时设定的目标，不是当前统计数据）。")

    def _names_unlisted(self, query: Query, units: list[Candidate]) -> Answer | None:
        """市级知识产权优势企业是哪10家: the plan counts them (10家) but names none. The refusal quotes the
        count; a clause that does name them (鱼泉、诗仙太白…等4件商标) is left to answer."""
        asked = query.asked
        which = _NAMES_NUMBERED.search(asked)
        stated = which or (_NAMES_LISTED.search(asked) and _COUNT_STATED.search(asked))
        kinds = self._kinds(asked)
        if not stated or not kinds:
            return None
        said = stated.group(1)
        number = int(said) if said.isdigit() else chinese_numeral(said)
        counted = re.compile(rf"(?<![\d.]){number}\s*[家个件位项所款]")
        for uid in dict.fromkeys([c.id for c in units[:FIGURE_DEPTH]] + self._record_units):
            for sentence, _ in self.retriever.sentences.get(uid, []):
                for clause in re.split(r"[，；。]", sentence):
                    if counted.search(clause) and any(k in clause for k in kinds):
                        if "、" in clause:
                            return None  # the clause lists names
                        unit = self.units[uid]
                        return self._other_figure(query, unit, clause, 1.0, NAMES_NOTE.format(sentence=clause))
        return None

    def _other_figure(self, query: Query, unit: Unit, sentence: str, confidence: float, note: str) -> Answer:
        """The refusal that quotes the figure the plan does state, for what it is, citing its passage."""
        citation = make_citation(unit, self.units, self.plans[unit.plan_id], sentence, confidence)
        return self.no_answer(query, f"{note}\n——出自{citation.reference}").model_copy(
            update={"citations": [citation], "matched": Matched(kind="none", id=unit.id)})

    def figure_answer(self, query: Query, units: list[Candidate]) -> Answer | None:
        """For 多少/几件/目标 questions: the indicator row or the sentence that states the figure."""
        # 去年我们刚注册了两个商标。全区地理标志现在有几件？ the figure is matched with the sentences that
        # ask, when they name what is counted: the story's 注册 would pull in 新增地理标志注册8件
        focus = self.queries.analyse(query.asked) if query.asked != query.text and self._kinds(query.asked) else query
        # an indicator row holds values at a year's end: no answer to what was added over a period
        row = self._best_row(focus) if self._measure(query.asked) != "flow" else None
        clause = self._best_clause(focus, units)
        top_ids = [c.id for c in units[:FIGURE_DEPTH]]
        if (row and row[2] >= ROW_MATCH and (row[0].id in top_ids or row[2] >= ROW_SURE)
                and not (clause and clause[0] > ROW_CLAUSE_RATIO * row[3])
                and not (clause and self._clause_names_more(query, row, clause, units))):
            unit, r, score, _ = row
            quote = (f"{r.indicator}：{r.baseline_year}年{r.baseline}，{r.target_year}年目标{r.target}"
                     f"（{r.attribute}）")
            citation = make_citation(unit, self.units, self.plans[unit.plan_id], quote, score)
            body = (f"规划{unit.heading.split(' ', 1)[0]}「{unit_title(unit)}」记录："
                    f"{r.indicator}{r.baseline_year}年为{r.baseline}，规划设定的{r.target_year}年目标为"
                    f"{r.target}（{r.attribute}指标）。")
            return self._figure(query, units, unit, citation, body)
        if not clause:
            return None
        _, cand, sentence = clause
        if self._asks_now(query) and (years := years_named(sentence)) and min(years) >= self._first_plan_year:
            return self._target_only(query, self.units[cand.id], sentence, cand.confidence)
        unit = self.units[cand.id]
        citation = make_citation(unit, self.units, self.plans[unit.plan_id], sentence, cand.confidence)
        return self._figure(query, units, unit, citation,
                            f"规划{self._period_of(unit)}「{unit_title(unit)}」写明：{sentence}")

    def _clause_names_more(self, query: Query, row, clause, units: list[Candidate]) -> bool:
        """The clause's passage ranks above the indicator table and says a word of the question that the
        row does not (绿色食品, 名牌农产品): the row is a neighbouring indicator (两品一标, 市级品牌农业产品)
        that shares the question's other words, and would give its figure for the one asked."""
        rank = {c.id: c.rank_score for c in units}
        if rank.get(clause[1].id, 0.0) <= rank.get(row[0].id, 0.0):
            return False
        indicator, sentence = row[1].indicator, clause[2]
        return any(len(w) >= SUBJECT_CHARS and is_chinese_word(w) and w in sentence and w not in indicator
                   for w in query.own_terms)  # a year (2025) names no subject

    def _best_clause(self, query: Query, units: list[Candidate]) -> tuple[float, Candidate, str] | None:
        """Among the units nearly as good as the best, the numbered clause that matches the question
        best (十三五 figures sit in two long neighbouring measures), with its score."""
        top_score = units[0].rank_score if units else 0.0
        asked_kinds = self._kinds(query.asked)
        asks_target = self._asks_target(query)
        found = []
        for rank, cand in enumerate(units[:FIGURE_DEPTH]):
            if cand.rank_score < top_score * FIGURE_RANK_SHARE:
                break
            sentence, score = self._figure_sentence(query, cand.id, asked_kinds)
            if sentence:
                if not asks_target and any(y >= self._first_plan_year for y in years_named(sentence)):
                    score *= UNASKED_TARGET_FACTOR  # 现在有好多件 asks a count, not the 2025 target
                found.append((score, -rank, cand, sentence))
        if not asks_target:
            # a count asked without a target year may only be on record: the earlier period's review
            for uid in self._record_units:
                sentence, score = self._figure_sentence(query, uid, asked_kinds)
                if sentence and score >= RECORD_CLAUSE_MIN:
                    found.append((score, -FIGURE_DEPTH, Candidate("unit", uid, score, [uid]), sentence))
        if not found:
            return None
        score, _, cand, sentence = max(found, key=lambda item: item[:2])
        return score, cand, sentence

    def _kinds(self, text: str) -> set[str]:
        """The kinds of IP a text names (商标, 专利 …), a longer kind hiding the shorter one inside it
        (地理标志 is not also 标志, 发明专利 is 专利)."""
        found = {k for k in self.queries.lexicon.figure_kinds if k in text}
        return {k for k in found if not any(k != o and k in o for o in found)}

    def _measure(self, text: str) -> str | None:
        """"flow" for a count made over a period (期间, 新增), "stock" for one held at a time (现在,
        截至…末), None for a text that says neither; a flow word wins (截至目前新增 is a flow)."""
        lex = self.queries.lexicon
        if _YEAR_RANGE.search(text) or any(word in text for word in lex.flow_words):
            return "flow"
        return "stock" if any(word in text for word in lex.stock_words) else None

    def warm(self) -> None:
        for unit_id in self.units:
            self._numbered_clauses(unit_id)
        self.queries.warm()

    def _numbered_clauses(self, unit_id: str) -> list:
        """A unit's sentences as (tokens of the whole sentence, its opening clause and the years it names,
        [(position, segment, its years, [(tokens, kinds, measure, numbers, whether a rate, the words only
        its indicator row has) of each clause with a number])]), segmented once per index, not per question."""
        cached = self._clause_cache.get(unit_id)
        if cached is None:
            analyzer = self.queries.analyzer
            cached = self._clause_cache[unit_id] = []
            # the indicator rows parsed with the plan ("2. 每万户市场主体有效注册商标量…"), by their number
            rows = {row.number: row for row in self.units[unit_id].rows}
            own_words = self._row_words(unit_id)
            for group in _whole_sentences(self.retriever.sentences.get(unit_id, [])):
                segments = []
                lead = re.split(r"[，；：]", group[0][0], maxsplit=1)[0]
                for position, (segment, _) in enumerate(group):
                    clauses, kinds = [], frozenset()
                    numbered = _ROW_NUMBER.match(segment)
                    row = rows.get(int(numbered.group(1))) if numbered else None
                    row_rate = bool(row and _RATE.search(row.indicator))
                    row_words = own_words.get(row.number) if row else None
                    for c in re.split(r"[，、；：（]", segment):
                        # 专利申请总量4990件，授权总量3480件: a clause naming no kind counts the one before,
                        # and matches a question by its name too (商标注册了多少: 注册总量8455件)
                        own = frozenset(self._kinds(c))
                        kinds = own or kinds
                        if _has_figure(c):
                            named = () if own else kinds
                            tokens = set(analyzer.tokens(c)).union(*(analyzer.tokens(k) for k in named))
                            clauses.append((tokens, kinds, self._measure(c) or self._measure(lead),
                                            _numbers(c), row_rate or bool(_RATE.search(c)), row_words))
                    segments.append((position, segment, years_named(segment), clauses))
                cached.append((set().union(*(tokens for _, tokens in group)), lead, years_named(lead), segments))
        return cached

    def _row_words(self, unit_id: str) -> dict[int, frozenset[str]]:
        """6 -> the words of indicator row 6 that no other row of the table has (高价值, 立项; not 专利, 件):
        a question naming none of them asks about another indicator, or one the plan does not set."""
        rows = {number: tokens for (uid, number), tokens in self.retriever.rows.items() if uid == unit_id}
        return {number: frozenset(t for t in tokens if not any(t in other for n, other in rows.items() if n != number))
                for number, tokens in rows.items()}

    def _figure_sentence(self, query: Query, unit_id: str, asked_kinds: set[str]) -> tuple[str | None, float]:
        """The passage whose clause with a number best matches the question, with its time qualifier.

        Clauses, not sentences, are compared: in “十三五”期间，…专利申请总量4990件，授权总量3480件 the
        time qualifier sits in its own clause and must not pull every figure of the sentence along.
        Between equally good clauses, the whole sentence (up to 。) that fits the question better wins
        (截至“十三五”末 against “十三五”期间), and the quote keeps that sentence's opening qualifier,
        so a figure is never read out without the period it belongs to.
        """
        coverage = self.retriever.coverage_scorer(query)
        asked_tokens = {token for alternatives in query.words.values() for token in alternatives}
        years = query.years
        asked_measure = self._measure(query.asked)
        stated = _numbers(query.asked)
        rate_asked = bool(_RATE_ASKED.search(query.asked))
        best, best_score = None, (0.0, 0)
        for context_tokens, lead, lead_years, segments in self._numbered_clauses(unit_id):
            if years and lead_years and not years & lead_years:
                continue  # 到2025年 … does not answer a question about 2035
            context = SENTENCE_CONTEXT * coverage(context_tokens)
            # still equal: the sentence sharing more of the question's tokens (2020年底 -> 十三五 and 末:
            # 截至“十三五”末 has both, “十三五”期间 one)
            shared = len(asked_tokens & context_tokens)
            for position, segment, segment_years, clauses in segments:
                if years and segment_years and not years & segment_years:
                    continue
                for clause_tokens, kinds, measure, numbers, rate, row_words in clauses:
                    if row_words is not None and not row_words & asked_tokens:
                        continue  # 有效发明专利总数 is not 高价值专利立项, though both are patents counted in 件
                    if numbers <= stated:
                        continue  # 专利申请4990件，授权了几件: the number the asker gives is not the one asked
                    if rate and not rate_asked:
                        continue  # 万户市场主体商标拥有量1255件 does not say how many trademarks there are
                    score = coverage(clause_tokens) + context
                    if asked_kinds and not asked_kinds & kinds:
                        continue  # 商标申请总量 does not answer how many patents
                    if asked_measure and measure and measure != asked_measure:
                        score *= OTHER_MEASURE_FACTOR  # 现在有几件 is not answered by 期间新增8件
                    if (score, shared) > best_score:
                        qualified = position and not re.search(r"\d", lead)
                        best, best_score = (f"{lead}，……{segment}" if qualified else segment), (score, shared)
        return best, best_score[0]

    def _figure(self, query: Query, units: list[Candidate], unit: Unit, citation: Citation,
                body: str) -> Answer:
        citations = [citation, *self._extra_citations(query, units, [unit.id], k=2)]
        return Answer(question=query.raw, answered=True, answer=self._text(query, body, citations),
                      citations=citations, matched=Matched(kind="figure", id=unit.id),
                      topic=self._topic(query))

    def related(self, question: str, exclude: list[str], k: int) -> list[Citation]:
        query = self.queries.analyse(question)
        units = self.unit_candidates(query, self.faq_candidates(query))
        return self._extra_citations(query, units, exclude, k=k)
