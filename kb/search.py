"""Retrieval: BM25F over plan units (heading weighted), BM25 + rapidfuzz over FAQ questions."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz

from kb.corpus_models import FaqEntry
from kb.query import Query
from kb.tokenize import Analyzer

BM25_K1 = 1.2
BM25_B = 0.75


@dataclass
class Hit:
    id: str
    score: float  # raw BM25F
    coverage: float  # share of the question's term weight (by idf) this hit matches


class Retriever:
    def __init__(self, whoosh_index, analyzer: Analyzer, faq: list[FaqEntry]):
        from whoosh import scoring

        self._ix = whoosh_index
        self._searcher = whoosh_index.searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
        self._reader = self._searcher.reader()
        self._doc_count = max(1, self._reader.doc_count())
        self.analyzer = analyzer
        # FAQ questions, segmented once: rapidfuzz compares token strings.
        self._faq_questions: list[tuple[str, set[str], str]] = []
        for entry in faq:
            for question in entry.questions:
                tokens = analyzer.tokens(question)
                self._faq_questions.append((entry.id, set(tokens), " ".join(tokens)))

    def close(self) -> None:
        self._searcher.close()

    # ---- term statistics ---------------------------------------------------------------------
    def idf(self, term: str) -> float:
        df = max((self._reader.doc_frequency(f, term) for f in ("text", "heading", "questions")),
                 default=0)
        return math.log(1 + (self._doc_count - df + 0.5) / (df + 0.5)) if df else 0.0

    def known(self, term: str) -> bool:
        return self.idf(term) > 0

    # ---- searching ---------------------------------------------------------------------------
    def _whoosh_query(self, query: Query, fields: tuple[str, ...]):
        from whoosh.query import Or, Term

        return Or([Term(f, t, boost=w) for t, w in query.terms.items() for f in fields])

    def _coverage(self, query: Query, matched: set[str]) -> float:
        total = sum(self.idf(t) * w for t, w in query.terms.items() if t in query.own_terms)
        if total <= 0:
            return 0.0
        got = sum(self.idf(t) * w for t, w in query.terms.items() if t in query.own_terms and t in matched)
        return got / total

    def search(self, query: Query, kind: str, limit: int = 10) -> list[Hit]:
        """BM25F hits of one kind ("unit" or "faq"), best first."""
        from whoosh.query import Term

        if query.empty:
            return []
        fields = ("heading", "path", "text") if kind == "unit" else ("questions",)
        results = self._searcher.search(self._whoosh_query(query, fields), limit=limit,
                                        filter=Term("kind", kind), terms=True)
        hits = []
        for result in results:
            matched = {term.decode() if isinstance(term, bytes) else term for _, term in result.matched_terms()}
            hits.append(Hit(result["id"], float(result.score), self._coverage(query, matched)))
        return hits

    def faq_similarity(self, query: Query) -> dict[str, float]:
        """Best rapidfuzz similarity (0–1) of the question to each FAQ entry's phrasings."""
        segmented = " ".join(query.own_terms)
        expanded = set(query.terms)
        best: dict[str, float] = {}
        if not segmented:
            return best
        for faq_id, tokens, joined in self._faq_questions:
            if not tokens & expanded:
                continue
            score = fuzz.token_sort_ratio(segmented, joined) / 100
            if score > best.get(faq_id, 0.0):
                best[faq_id] = score
        return best
