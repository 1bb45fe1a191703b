"""The naive baseline every figure is compared with: stock ``jieba.analyse.ChineseAnalyzer`` and Whoosh
defaults (one TEXT field, BM25F, QueryParser) over the same plan units, no FAQ, no calibration.

The only departure from the defaults is an OR-grouped parser: Whoosh's default AND grouping finds
nothing for almost any chat question, which would make the comparison meaningless.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kb.models import Answer, Citation, Matched, Unit


class NaiveBaseline:
    def __init__(self, units: list[Unit], directory: Path | None = None):
        from jieba.analyse import ChineseAnalyzer
        from whoosh import index
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.qparser import OrGroup, QueryParser

        self._tmp = None
        if directory is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="kb-baseline-")
            directory = Path(self._tmp.name)
        schema = Schema(id=ID(stored=True, unique=True), content=TEXT(analyzer=ChineseAnalyzer()))
        ix = index.create_in(str(directory), schema)
        writer = ix.writer()
        self.units = {u.id: u for u in units if u.text.strip()}
        for unit in self.units.values():
            writer.add_document(id=unit.id, content=f"{unit.heading}\n{unit.text}")
        writer.commit()
        self._searcher = ix.searcher()
        self._parser = QueryParser("content", schema, group=OrGroup)

    def answer(self, question: str) -> Answer:
        try:
            query = self._parser.parse(question)
            results = self._searcher.search(query, limit=3)
        except Exception:  # the stock parser chokes on some punctuation
            results = []
        citations = [Citation(id=r["id"], title=self.units[r["id"]].heading, path=self.units[r["id"]].path,
                              quote=self.units[r["id"]].text, score=float(r.score)) for r in results]
        text = citations[0].quote if citations else ""
        return Answer(question=question, answered=bool(citations), answer=text, citations=citations,
                      matched=Matched(kind="unit" if citations else "none",
                                      id=citations[0].id if citations else None))

    def close(self) -> None:
        self._searcher.close()
        if self._tmp:
            self._tmp.cleanup()
