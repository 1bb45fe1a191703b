"""The two things a question compares: 行政保护和司法保护有啥区别 -> (行政保护, 司法保护).

Asking how two things differ is general IP knowledge (实用新型和发明专利有啥区别: no plan passage
says), unless both are the plan's own matters (铁拳和蓝天专项行动, 专利执行险和被侵权损失险), each of
which a passage describes. The caller decides which by looking the two up in the plans' text.
"""

from __future__ import annotations

import re

_HAN = r"[\u4e00-\u9fff\d]"
# A 和/跟/与/同 B, B ending where the question about them begins (有啥区别, 的区别, 之间, 这两个)
_PAIR = re.compile(rf"({_HAN}{{2,16}}?)(?:和|跟|与|同)({_HAN}{{2,16}}?)"
                   r"(?=有|的|之间|到底|究竟|区别|差别|不同|不一样|这|那|两|哪|是|各|分别|[,，。?？]|$)")
# what leads up to the first thing: 规划里说的, 区里搞的, 请问
_LEAD = re.compile(r".*(?:的|里|中|说|讲|问|请问|关于|对于)")


def compared(text: str) -> tuple[str, str] | None:
    """The two things compared in the clause that says 和/跟/与, or None."""
    for clause in re.split(r"[,，。;；!！?？]", text):
        if (m := _PAIR.search(clause)) is not None:
            first = _LEAD.sub("", m.group(1)) or m.group(1)
            return first, m.group(2)
    return None
