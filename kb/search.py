"""Retrieval: BM25F over plan units (heading weighted) in Whoosh, rapidfuzz over FAQ questions, and
"coverage": how much of the question (idf-weighted) a candidate accounts for, used to calibrate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz

from kb.query import Query

BM25_K1 = 1.2
BM25_B = 0.75
UNIT_FIELDS = ("heading", "path", "text")
FAQ_FORWARD, FAQ_BACKWARD, FAQ_FUZZY = 0.45, 0.35, 0.2
UNTRANSLATED_WEIGHT = 0.2  # a Chinese plan cannot cover an English word: one left untranslated counts this much (5-fold CV)


@dataclass
class Hit:
    id: str
    score: float  # raw BM25F
    coverage: float  # share of the question's words (idf-weighted) this hit accounts for


class Retriever:
    def __init__(self, whoosh_index, analysis: dict, rarity=lambda word: 1.0):
        from whoosh import scoring

        self._ix = whoosh_index
        self._rarity = rarity
        self._searcher = whoosh_index.searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
        self._doc_ids = {num: fields["id"] for num, fields in self._searcher.iter_docs()}
        self._postings: dict[tuple[str, str], list[tuple[str, float]]] = {}
        self.unit_tokens = {uid: set(data["tokens"]) for uid, data in analysis["units"].items()}
        self.sentences = {uid: [(s, set(t)) for s, t in data["sentences"]]
                          for uid, data in analysis["units"].items()}
        self.rows = {(uid, int(n)): set(t) for uid, data in analysis["units"].items()
                     for n, t in data["rows"].items()}
        self.faq_tokens = {fid: set().union(*map(set, qs)) for fid, qs in analysis["faq"].items()}
        self._faq_questions = [(fid, set(tokens), " ".join(tokens))
                               for fid, qs in analysis["faq"].items() for tokens in qs]
        docs = list(self.unit_tokens.values()) + list(self.faq_tokens.values())
        self._docs = len(docs)
        df: dict[str, int] = {}
        for tokens in docs:
            for token in tokens:
                df[token] = df.get(token, 0) + 1
        self._idf = {t: self._idf_for(n) for t, n in df.items()}
        self.unseen_idf = self._idf_for(0)
        # each FAQ phrasing with its idf mass, and an inverted list token -> phrasings
        self._faq_questions = [(fid, tokens, joined, math.fsum(self._idf.get(t, 0.0) for t in tokens))
                               for fid, tokens, joined in self._faq_questions]
        self._faq_postings: dict[str, list[int]] = {}
        for index, (_, tokens, _, _) in enumerate(self._faq_questions):
            for token in tokens:
                self._faq_postings.setdefault(token, []).append(index)

    def _idf_for(self, df: int) -> float:
        return math.log(1 + (self._docs - df + 0.5) / (df + 0.5))

    def close(self) -> None:
        self._searcher.close()

    def idf(self, term: str) -> float:
        return self._idf.get(term, 0.0)

    def known(self, term: str) -> bool:
        return term in self._idf

    def coverage_scorer(self, query: Query):
        """A function: tokens -> idf-weighted share (0–1) of the question's words those tokens account for.

        A word counts fully when present, partly through its sub-words or synonyms. A word the corpus
        never uses counts at the highest idf scaled by its rarity in general Chinese, so a question
        about something else (签证, 天气) is covered little, while filler (拿, 两个) matters little.
        """
        cached = query.__dict__.get("_coverage")
        if cached:
            return cached
        parts: list[tuple[float, list[tuple[str, float]]]] = []
        for word, alternatives in query.words.items():
            weight = self._idf.get(word) or self.unseen_idf * self._rarity(word)
            if word.isascii() and word.isalpha() and not self.known(word):
                weight *= UNTRANSLATED_WEIGHT  # an English word the glossary has no plan term for
            if not self.known(word):
                known_alternatives = [self._idf.get(a, 0.0) for a in alternatives if a != word and self.known(a)]
                if known_alternatives:
                    weight = max(known_alternatives)
            ordered = sorted(alternatives.items(), key=lambda item: -item[1])
            parts.append((weight, ordered))
        total = sum(w for w, _ in parts)
        # token -> [(part, weighted credit)]: only the tokens a text shares with the question are visited
        by_token: dict[str, list[tuple[int, float]]] = {}
        for index, (weight, ordered) in enumerate(parts):
            for token, credit in ordered:
                by_token.setdefault(token, []).append((index, weight * credit))
        relevant = frozenset(by_token)

        def scorer(tokens: set[str]) -> float:
            if not total:
                return 0.0
            best: dict[int, float] = {}
            for token in relevant.intersection(tokens):
                for index, value in by_token[token]:
                    if value > best.get(index, 0.0):
                        best[index] = value
            return math.fsum(best.values()) / total  # exact: the same whatever order the set is visited in

        query.__dict__["_coverage"] = scorer
        return scorer

    def coverage(self, query: Query, tokens: set[str]) -> float:
        return self.coverage_scorer(query)(tokens)

    def _term_scores(self, field: str, term: str) -> list[tuple[str, float]]:
        """BM25F score of one term in one field for every unit containing it, from Whoosh, cached.

        A term's score in a document does not depend on the rest of the query, so each (field, term)
        is asked of Whoosh once per opened index; later questions only add cached numbers up.
        """
        key = (field, term)
        cached = self._postings.get(key)
        if cached is None:
            from whoosh.query import Term

            matcher = Term(field, term).matcher(self._searcher)
            cached = []
            while matcher.is_active():
                cached.append((self._doc_ids[matcher.id()], matcher.score()))
                matcher.next()
            self._postings[key] = cached
        return cached

    def warm(self) -> None:
        """Ask Whoosh for every term of the corpus once, so no question waits for a first look-up."""
        for term in set().union(*self.unit_tokens.values()):
            for field in UNIT_FIELDS:
                self._term_scores(field, term)

    def search_units(self, query: Query, limit: int = 12, also: frozenset[str] = frozenset()) -> list[Hit]:
        """BM25F hits over plan units (heading, path and text fields), best first: the ``limit`` best,
        and the units ``also`` names (other evidence points at them) wherever BM25F puts them."""
        totals: dict[str, float] = {}
        for term, weight in query.terms.items():
            if term not in self._idf:
                continue
            for field in UNIT_FIELDS:
                for unit_id, score in self._term_scores(field, term):
                    totals[unit_id] = totals.get(unit_id, 0.0) + weight * score
        best = sorted(totals.items(), key=lambda item: -item[1])[:limit]
        best += [(uid, totals.get(uid, 0.0)) for uid in also - {uid for uid, _ in best} if uid in self.unit_tokens]
        return [Hit(uid, score, self.coverage(query, self.unit_tokens.get(uid, set()))) for uid, score in best]

    def search_faq(self, query: Query) -> list[Hit]:
        """FAQ entries scored on their best phrasing, best first.

        A phrasing scores by how much of the question it accounts for and how much of it the question
        accounts for (both idf-weighted, synonyms included), blended with rapidfuzz's token-sort
        similarity of the segmented strings, which rewards the same wording and tolerates small slips.
        Only phrasings sharing a term with the question are looked at (an inverted list).
        """
        segmented = " ".join(query.own_terms)
        if not segmented:
            return []
        candidates: set[int] = set()
        for term in query.terms:
            candidates.update(self._faq_postings.get(term, ()))
        coverage = self.coverage_scorer(query)
        weights = {t: w * self._idf.get(t, 0.0) for t, w in query.terms.items()}
        best: dict[str, Hit] = {}
        for index in candidates:
            faq_id, tokens, joined, idf_total = self._faq_questions[index]
            forward = coverage(tokens)
            backward = math.fsum(weights[t] for t in tokens if t in weights) / idf_total if idf_total else 0.0
            fuzzy = fuzz.token_sort_ratio(segmented, joined) / 100
            score = FAQ_FORWARD * forward + FAQ_BACKWARD * backward + FAQ_FUZZY * fuzzy
            if faq_id not in best or score > best[faq_id].score:
                best[faq_id] = Hit(faq_id, score, forward)
        return sorted(best.values(), key=lambda h: -h.score)
