"""An opened index: everything needed to answer, loaded once per published build."""

from __future__ import annotations

from pathlib import Path

from kb.answering import Answerer
from kb.citing import make_citation, reference
from kb.corpus_models import Contact
from kb.index_store import StoredIndex
from kb.models import Answer, Citation
from kb.query import QueryAnalyzer
from kb.search import Retriever
from kb.settings import KbSettings
from kb.tokenize import Analyzer

NO_REACH = "联系方式：请通过全区29个知识产权综合咨询服务窗口咨询，或拨打12345政务服务便民热线。"
DEFAULT_CONTACTS = ("windows", "amr", "hotline-12345")


class Snapshot:
    def __init__(self, stored: StoredIndex, settings: KbSettings):
        self.stored = stored
        self.settings = settings
        self.units = stored.units
        self.units_by_id = {u.id: u for u in stored.units}
        self.faq_by_id = {e.id: e for e in stored.faq}
        self.contacts = stored.contacts
        self.topics = stored.topics
        self.plans = stored.plans
        analyzer = Analyzer(stored.lexicon, settings.cache_dir)
        self._whoosh = stored.open_whoosh()
        self.retriever = Retriever(self._whoosh, stored.analysis, analyzer.rarity)
        self.answerer = Answerer(self.retriever, QueryAnalyzer(stored.lexicon, analyzer),
                                 self.units_by_id, self.faq_by_id, self.topics, self.plans,
                                 self.fallback_text(), self.contacts, self.card_for,
                                 scope_model=stored.scope_model, unit_model=stored.unit_model)

    @classmethod
    def open(cls, directory: Path, settings: KbSettings) -> "Snapshot":
        return cls(StoredIndex(directory), settings)

    def close(self) -> None:
        self.retriever.close()
        self._whoosh.close()

    # ---- answering -----------------------------------------------------------------------------
    def answer(self, question: str) -> Answer:
        limit = self.settings.max_question_chars
        text = question if len(question) <= limit else question[:limit]
        answer = self.answerer.answer(text)
        if text is not question:
            answer = answer.model_copy(update={"question": question})
        return answer

    def related(self, question: str, exclude: list[str], k: int) -> list[Citation]:
        return self.answerer.related(question[: self.settings.max_question_chars], exclude, k)

    def citation_for(self, unit_id: str, quote: str | None = None) -> Citation | None:
        unit = self.units_by_id.get(unit_id)
        if unit is None:
            return None
        return make_citation(unit, self.units_by_id, self.plans[unit.plan_id], quote or unit.text, 0.0)

    def reference(self, unit_id: str) -> str:
        unit = self.units_by_id[unit_id]
        return reference(unit, self.units_by_id, self.plans[unit.plan_id])

    # ---- contacts ------------------------------------------------------------------------------
    def contacts_for_topic(self, topic_id: str | None) -> list[Contact]:
        by_id = {c.id: c for c in self.contacts}
        topic = next((t for t in self.topics if t.id == topic_id), None)
        ids = list(topic.contacts) if topic else []
        ids += [c for c in DEFAULT_CONTACTS if c not in ids]
        return [by_id[i] for i in ids if i in by_id]

    def contact_card(self, topic_id: str | None) -> str:
        cards = [self.card_for(contact) for contact in self.contacts_for_topic(topic_id)[:4]]
        return "\n".join(cards) if cards else NO_REACH

    @staticmethod
    def card_for(contact: Contact) -> str:
        """【name】what it handles, then how to reach it, or the windows and 12345 when not yet known."""
        reach = [f"电话：{contact.phone}" if contact.phone else "",
                 f"地址：{contact.address}" if contact.address else "",
                 f"时间：{contact.hours}" if contact.hours else "",
                 f"网址：{contact.url}" if contact.url else ""]
        reach = [r for r in reach if r]
        return f"【{contact.name}】" + "；".join(contact.handles[:3]) + "\n" + ("；".join(reach) if reach else NO_REACH)

    def fallback_text(self) -> str:
        in_force = [p for p in self.plans.values() if p.status == "in_force"] or list(self.plans.values())
        names = "、".join(p.cite_name for p in in_force)
        return (f"抱歉，{names}中没有找到能回答这个问题的内容。本助手只解答规划涉及的知识产权问题，"
                "如资助奖励、专利商标质押融资、维权投诉、商标与地理标志、专利、服务窗口等。\n"
                "其他事项建议咨询全区29个知识产权综合咨询服务窗口或区市场监管局（区知识产权局），"
                "也可拨打12345政务服务便民热线。您的问题已记录，工作人员会据此完善知识库。")
