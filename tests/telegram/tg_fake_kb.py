"""A tiny stand-in for kb.service.KnowledgeBase: a few units, topics and canned answers.

Used to inject failures and exact answers; the conversation tests run against the real ``live_kb``.
"""

from __future__ import annotations

from kb.corpus_models import PlanMeta, Topic
from kb.models import Answer, Citation, Matched, Suggestion, Unit

PLAN = PlanMeta(id="plan", title="万州区知识产权“十四五”规划", period_start=2021, period_end=2025,
                vision_year=2035)
REF = "《万州区知识产权“十四五”规划》（2021—2025年）"
UNITS = {
    "plan:5.1.3": Unit(id="plan:5.1.3", plan_id="plan", kind="measure",
                       heading="促进知识产权与金融业融合发展",
                       path=["第五章", "第一节", "促进知识产权与金融业融合发展"],
                       text="促进知识产权与金融业融合发展。鼓励知识产权金融创新，探索推进知识产权质押融资。",
                       order=1),
    "plan:4.2.1": Unit(id="plan:4.2.1", plan_id="plan", kind="measure", heading="加大行政执法力度",
                       path=["第四章", "第二节", "加大行政执法力度"],
                       text="加大行政执法力度。严厉打击<侵权>假冒&违法行为。" + "长" * 9000, order=2),
}
TOPICS = [
    Topic(id="finance", label="质押融资", button=True, description="质押融资 <b>说明</b>",
          examples=["专利可以拿去贷款吗", "商标能质押吗"]),
    Topic(id="enforcement", label="维权投诉与联系方式", button=True, examples=["仿冒货找谁"]),
    Topic(id="hidden", label="不显示", button=False),
]


def citation(unit_id: str) -> Citation:
    unit = UNITS[unit_id]
    return Citation(id=unit_id, title=unit.heading, path=unit.path, quote=unit.text[:40], score=1.0,
                    plan=PLAN.title, period=PLAN.period, reference=f"{REF}「{unit.heading}」")


class FakeKnowledgeBase:
    version = "fake-1"

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.fail = False
        self.reloads = 0

    def answer(self, question: str) -> Answer:
        self.asked.append(question)
        if self.fail:
            raise RuntimeError("index exploded")
        if "贷款" in question or "质押" in question:
            return Answer(question=question, answered=True, answer="可以，规划鼓励知识产权质押融资。",
                          citations=[citation("plan:5.1.3")], matched=Matched(kind="faq", id="pledge"),
                          topic="finance")
        if "仿冒" in question:
            return Answer(question=question, answered=True, answer="向区市场监管局投诉举报。",
                          citations=[citation("plan:4.2.1"), citation("plan:5.1.3")],
                          matched=Matched(kind="unit", id="plan:4.2.1"), topic="enforcement",
                          suggestions=[Suggestion(question="商标能质押吗", kind="faq", id="pledge")])
        return Answer(question=question, answered=False, answer="抱歉，规划里没有找到答案。",
                      suggestions=[Suggestion(question="专利可以拿去贷款吗", kind="faq", id="pledge")])

    def related(self, question: str, exclude: list[str] | None = None, k: int = 3) -> list[Citation]:
        return [citation(u) for u in UNITS if u not in (exclude or [])][:k]

    def unit(self, unit_id: str) -> Unit | None:
        return UNITS.get(unit_id)

    def reference(self, unit_id: str) -> str:
        return f"{REF}「{UNITS[unit_id].heading}」"

    def plans(self) -> list[PlanMeta]:
        return [PLAN]

    def topics(self) -> list[Topic]:
        return TOPICS

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in TOPICS if t.id == topic_id), None)

    def contact_card(self, topic_id: str | None) -> str:
        return f"区市场监管局（{topic_id or '综合'}）\n电话：12345 <热线>"

    def reload(self) -> bool:
        self.reloads += 1
        return False
