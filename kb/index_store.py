"""Write one complete index into a directory, and read it back.

An index directory holds everything a serving process needs, so it never reads ``corpus/``:
the Whoosh index of plan units and FAQ questions, the units, FAQ, contacts, topics, plan metadata and
the lexicon as JSON, and a manifest (fingerprint, counts, evaluation figures).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from kb.citing import STRUCTURAL
from kb.corpus import TUNING_SETS, Corpus, load_eval
from kb.text import split_sentences
from kb.corpus_models import Contact, FaqEntry, PlanMeta, Topic
from kb.lexicon import Lexicon
from kb.models import Unit
from kb.query import Query, QueryAnalyzer
from kb import scope_model, unit_model
from kb.scope_model import ScopeModel
from kb.tokenize import Analyzer
from kb.typos import character_readings, homophone_typos, pinyin_spellings
from kb.unit_model import UnitModel

WHOOSH_DIR = "whoosh"
TYPOS_FILE = "typos.tsv"
SCOPE_MODEL_FILE = "scope_model.json"
UNIT_MODEL_FILE = "unit_model.npz"
MODEL_VERSION = 5  # bump when kb/scope_model.py, kb/unit_model.py or the question analysis change what they learn
REAL_WORD_MIN_FREQ = 10  # how often jieba's dictionary must have seen a two-character word to count it real
TEXT_FIELDS = {"heading": 3.0, "path": 0.6, "text": 1.0}


def schema():
    from whoosh.analysis import SpaceSeparatedTokenizer
    from whoosh.fields import ID, TEXT, Schema

    analyzer = SpaceSeparatedTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        **{name: TEXT(analyzer=analyzer, field_boost=boost, phrase=False)
           for name, boost in TEXT_FIELDS.items()},
    )


def _domain_words(corpus: Corpus, analyzer: Analyzer) -> set[str]:
    """The domain vocabulary: dictionary, synonyms, unit headings."""
    lex = corpus.lexicon
    words = set(lex.user_words) | set(lex.synonyms) | {t for ts in lex.synonyms.values() for t in ts}
    for unit in corpus.units:
        words.update(w for w in analyzer.words(unit.heading) if len(w) >= 2)
    return words


def _common_chars(analyzer: Analyzer) -> set[str]:
    return {w for w, f in analyzer.vocabulary.items() if len(w) == 1 and f >= 50}


def typo_tables(corpus: Corpus, analyzer: Analyzer) -> tuple[dict[str, str], dict[str, str]]:
    """Homophone misspellings of the domain vocabulary (dictionary, synonyms, unit headings), and the
    readings of the characters a misspelling by sound can be typed with (kb/query.py)."""
    words = _domain_words(corpus, analyzer)
    common = _common_chars(analyzer)
    return _typo_table(corpus.lexicon, analyzer, words, common), \
        character_readings(common | {c for w in words for c in w})


def _typo_table(lex, analyzer: Analyzer, words: set[str], common: set[str]) -> dict[str, str]:
    """One-slip misspellings and pinyin spellings of the domain words."""
    # jieba's dictionary also lists every word's prefixes (at frequency 0) and rare corpus debris
    # (专力, 亲权 at 3): neither is a word a misspelling could mean, so 条解 and 专力 are still read as typos
    real = {w for w, f in analyzer.vocabulary.items() if len(w) == 2 and f >= REAL_WORD_MIN_FREQ}
    typos = homophone_typos(words, common, real)
    typos.update(pinyin_spellings(words, analyzer.vocabulary, _english_words(lex)))
    return typos


def _english_words(lex) -> set[str]:
    """English words, which a pinyin spelling must not be taken for (the glossary's own, pyspellchecker's)."""
    from spellchecker import SpellChecker

    words = set(SpellChecker(distance=1).word_frequency.dictionary)
    for phrase in lex.english:
        words.update(phrase.split())
        words.add(phrase.replace(" ", ""))
    return words


def analyse_corpus(corpus: Corpus, analyzer: Analyzer) -> dict:
    """Tokens computed once at build time so that answering never re-segments the corpus."""
    units = {}
    for unit in corpus.units:
        if not unit.text.strip():
            continue
        body = unit.text if unit.kind in STRUCTURAL else unit.body
        units[unit.id] = {
            "tokens": sorted(set(analyzer.tokens(" ".join([*unit.path, unit.text])))),
            "sentences": [[s, sorted(set(analyzer.tokens(s)))] for s in split_sentences(body)],
            "rows": {str(r.number): sorted(set(analyzer.tokens(r.indicator))) for r in unit.rows},
        }
    faq = {e.id: [analyzer.tokens(q) for q in e.questions] for e in corpus.faq}
    return {"units": units, "faq": faq}


def write_index(corpus: Corpus, target: Path, cache_dir: Path, manifest: dict) -> None:
    """Build every artifact of an index into ``target`` (which must not exist yet)."""
    from whoosh import index

    target.mkdir(parents=True)
    analyzer = Analyzer(corpus.lexicon, cache_dir)
    corpus.lexicon.typos, corpus.lexicon.readings = typo_tables(corpus, analyzer)

    (target / WHOOSH_DIR).mkdir()
    ix = index.create_in(str(target / WHOOSH_DIR), schema())
    writer = ix.writer()
    for unit in corpus.units:
        if not unit.text.strip():
            continue
        writer.add_document(id=unit.id, kind="unit",
                            heading=analyzer.segmented(unit.heading),
                            path=analyzer.segmented(" ".join(unit.path[:-1])),
                            text=analyzer.segmented(unit.text))
    writer.commit()

    def dump(name: str, items) -> None:
        (target / name).write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")

    dump("units.json", [u.model_dump(mode="json") for u in corpus.units])
    dump("faq.json", [e.model_dump(mode="json") for e in corpus.faq])
    dump("contacts.json", [c.model_dump(mode="json") for c in corpus.contacts])
    dump("topics.json", [t.model_dump(mode="json") for t in corpus.topics])
    dump("plans.json", [p.model_dump(mode="json") for p in corpus.plans.values()])
    lexicon = dataclasses.replace(corpus.lexicon, typos={})  # the typo table goes in its own file
    (target / "lexicon.json").write_text(lexicon.to_json(), encoding="utf-8")
    (target / TYPOS_FILE).write_text(TypoTable.dumps(corpus.lexicon.typos), encoding="utf-8")
    dump("analysis.json", analyse_corpus(corpus, analyzer))
    analysed = AnalysedTexts(corpus.lexicon, analyzer)
    if model := learned_scope_check(corpus, analysed, cache_dir):
        (target / SCOPE_MODEL_FILE).write_text(model.to_json(), encoding="utf-8")
    if prior := learned_unit_prior(corpus, analysed, cache_dir):
        prior.save(target / UNIT_MODEL_FILE)
    dump("manifest.json", manifest)


class AnalysedTexts:
    """Texts read as serving reads a question (dialect, typos, English …), each analysed once: what the
    learned models train on, at build time and in bench/cv_learned.py."""

    def __init__(self, lexicon: Lexicon, analyzer: Analyzer):
        self._lexicon, self._analyzer = lexicon, analyzer
        self._queries: QueryAnalyzer | None = None  # made only when a model is trained, not read from cache
        self._seen: dict[str, Query] = {}

    @functools.cached_property
    def lexicon_json(self) -> str:
        """The build's lexicon, typo table included: all that the analysis depends on (the cache key)."""
        return self._lexicon.to_json()

    def __call__(self, text: str) -> str:
        return self._analysed(text).model_text

    def for_scope(self, text: str) -> str:
        return self._analysed(text).scope_text

    def _analysed(self, text: str) -> Query:
        if text not in self._seen:
            if self._queries is None:
                self._queries = QueryAnalyzer(self._lexicon, self._analyzer)
            self._seen[text] = self._queries.analyse(text)
        return self._seen[text]


def _cached(cache_dir: Path, name: str, inputs, analysed: AnalysedTexts, fit, load, save):
    """A model trained once per distinct input: kept in the cache under a digest of everything it
    learns from, so rebuilding an unchanged corpus (or a test's copy of it) does not train it again."""
    digest = hashlib.sha256(json.dumps([inputs, analysed.lexicon_json, MODEL_VERSION],
                                       ensure_ascii=False).encode()).hexdigest()[:20]
    cached = cache_dir / f"{name}-{digest}"
    if cached.exists():
        return load(cached)
    model = fit()
    if model:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f"{cached.name}.tmp-{os.getpid()}")
        save(model, temporary)
        temporary.replace(cached)
    return model


def learned_scope_check(corpus: Corpus, analysed: AnalysedTexts, cache_dir: Path) -> ScopeModel | None:
    """The learned scope check, trained on the tuning questions (never the held-out ones) and the FAQ
    phrasings."""
    labelled = [(item.q, not item.in_scope) for item in load_eval(corpus.root, TUNING_SETS)]
    labelled += [(question, False) for entry in corpus.faq for question in entry.questions]
    return _cached(cache_dir, "scope-model", labelled, analysed,
                   lambda: scope_model.train([analysed.for_scope(q) for q, _ in labelled], [out for _, out in labelled]),
                   lambda path: ScopeModel.from_json(path.read_text(encoding="utf-8")),
                   lambda model, path: path.write_text(model.to_json(), encoding="utf-8"))


UNIT_HEADING_WEIGHT, UNIT_SENTENCE_WEIGHT = 0.6, 0.3  # against 1 for a labelled question


def unit_examples(corpus: Corpus, questions: list | None = None) -> list[tuple[str, str, float]]:
    """(text, unit id, weight) to learn the unit prior from: the in-scope tuning questions (or those
    given), the FAQ phrasings (each source, the first weighing most), the units' headings and sentences."""
    units = {u.id for u in corpus.units if u.text.strip()}
    examples: list[tuple[str, str, float]] = []
    for item in load_eval(corpus.root, TUNING_SETS) if questions is None else questions:
        examples += [(item.q, uid, 1 / len(item.expect)) for uid in item.expect if uid in units]
    for entry in corpus.faq:
        sources = [uid for uid in entry.sources if uid in units]
        examples += [(q, uid, 1 / (1 + rank)) for q in entry.questions for rank, uid in enumerate(sources)]
    for unit in corpus.units:
        if unit.id in units:
            examples.append((unit.heading, unit.id, UNIT_HEADING_WEIGHT))
            body = unit.text if unit.kind in STRUCTURAL else unit.body
            examples += [(s, unit.id, UNIT_SENTENCE_WEIGHT) for s in split_sentences(body)]
    return examples


def learned_unit_prior(corpus: Corpus, analysed: AnalysedTexts, cache_dir: Path) -> UnitModel | None:
    """The learned unit prior, trained on ``unit_examples`` (never a held-out question)."""
    examples = unit_examples(corpus)
    return _cached(cache_dir, "unit-model", examples, analysed,
                   lambda: unit_model.train([analysed(t) for t, _, _ in examples], [u for _, u, _ in examples],
                                            [w for _, _, w in examples]),
                   UnitModel.load, lambda model, path: model.save(path))


class TypoTable(Mapping[str, str]):
    """The homophone typo table (misspelling -> domain word), read lazily.

    It has some 150,000 entries; parsing them all costs a noticeable part of a cold start, while
    a question only ever looks up a few dozen. Stored as one line per first character
    (``char<TAB>misspelling<TAB>word<TAB>…``); a line is parsed the first time a look-up needs it.
    """

    def __init__(self, lines: dict[str, str]):
        self._lines = lines
        self._parsed: dict[str, dict[str, str]] = {}

    @staticmethod
    def dumps(typos: Mapping[str, str]) -> str:
        buckets: dict[str, list[str]] = {}
        for wrong, right in typos.items():
            if wrong and not any(c in "\t\n\r" for c in wrong + right):
                buckets.setdefault(wrong[0], []).extend((wrong, right))
        return "\n".join("\t".join([first, *pairs]) for first, pairs in sorted(buckets.items()))

    @classmethod
    def loads(cls, text: str) -> "TypoTable":
        return cls({line[0]: line for line in text.split("\n") if line})

    def _bucket(self, first: str) -> dict[str, str]:
        bucket = self._parsed.get(first)
        if bucket is None:
            line = self._lines.get(first)
            cells = line.split("\t")[1:] if line else []
            bucket = self._parsed[first] = dict(zip(cells[::2], cells[1::2]))
        return bucket

    def __getitem__(self, wrong: str) -> str:
        if not wrong:
            raise KeyError(wrong)
        return self._bucket(wrong[0])[wrong]

    def get(self, wrong, default=None):
        return self._bucket(wrong[0]).get(wrong, default) if wrong else default

    def __contains__(self, wrong) -> bool:
        return isinstance(wrong, str) and bool(wrong) and wrong in self._bucket(wrong[0])

    def __iter__(self) -> Iterator[str]:
        for first in self._lines:
            yield from self._bucket(first)

    def __len__(self) -> int:
        return sum(len(self._bucket(first)) for first in self._lines)


class StoredIndex:
    """The JSON artifacts of an index directory, parsed."""

    def __init__(self, directory: Path):
        def load(name: str):
            return json.loads((directory / name).read_text(encoding="utf-8"))

        self.directory = directory
        self.manifest: dict = load("manifest.json")
        self.units = [Unit.model_validate(u) for u in load("units.json")]
        self.faq = [FaqEntry.model_validate(e) for e in load("faq.json")]
        self.contacts = [Contact.model_validate(c) for c in load("contacts.json")]
        self.topics = [Topic.model_validate(t) for t in load("topics.json")]
        self.plans = {p["id"]: PlanMeta.model_validate(p) for p in load("plans.json")}
        self.lexicon = Lexicon.from_json((directory / "lexicon.json").read_text(encoding="utf-8"))
        if (directory / TYPOS_FILE).exists():
            self.lexicon.typos = TypoTable.loads((directory / TYPOS_FILE).read_text(encoding="utf-8"))
        self.analysis: dict = load("analysis.json")
        model_file = directory / SCOPE_MODEL_FILE
        self.scope_model = (ScopeModel.from_json(model_file.read_text(encoding="utf-8"))
                            if model_file.exists() else None)
        prior_file = directory / UNIT_MODEL_FILE
        self.unit_model = UnitModel.load(prior_file) if prior_file.exists() else None

    def open_whoosh(self):
        from whoosh import index

        return index.open_dir(str(self.directory / WHOOSH_DIR))
