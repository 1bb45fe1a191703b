"""Understand a question: normalise, translate English, correct homophone typos, expand synonyms.

The result is a weighted bag of search terms. The user's own words weigh 1; words added by the
English glossary or typo correction weigh a little less; synonyms (贷款 -> 质押融资) less again, so
they widen recall without outranking what the user actually said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.lexicon import Lexicon
from kb.parts import named_parts, plan_wording
from kb.spoken_years import years_in_digits
from kb.text import is_mostly_english, normalize, split_word, years_named
from kb.tokenize import Analyzer

GLOSSARY_WEIGHT = 0.9
TYPO_WEIGHT = 0.9
SYNONYM_WEIGHT = 0.6
SUBWORD_CREDIT = 0.7
SYNONYM_CREDIT = 0.75


@dataclass
class Query:
    raw: str
    text: str  # normalised, with English phrases translated and typos corrected
    terms: dict[str, float] = field(default_factory=dict)
    own_terms: list[str] = field(default_factory=list)  # tokens of the question itself
    # each whole word of the question -> the tokens that stand for it, with their weight
    # (the word 1.0, its dictionary sub-words, its synonyms): what "covering the question" means
    words: dict[str, dict[str, float]] = field(default_factory=dict)
    english: bool = False
    wants_figure: bool = False
    asks_count: bool = False  # 几件, 多少: a number asked, not only a goal or indicator named (目标是啥)
    yes_no: bool = False  # the asking clause asks yes or no (吗, 能不能, 有没有)
    asks_detail: bool = False  # the asking clause asks a detail the plan never states (流程是啥)
    describes_part: bool = False  # a part of the plan described, not numbered (讲转化运用那一章, the chapter on)
    states_sum: bool = False  # the question states a sum paid, lent or fined (听说一件奖2万块，是真的吗)
    years: set[int] = field(default_factory=set)  # the years the asking clauses name (2025年): see when
    when: str = ""  # where the years, 去年 and 实际 asked about are read: see QueryAnalyzer._when
    out_of_scope: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # domain words found in the question
    corrections: dict[str, str] = field(default_factory=dict)
    raw_normalized: str = ""  # the question normalised, before translation and typo correction
    model_text: str = ""  # what the learned models read: the text without English function words
    scope_text: str = ""  # what the scope check reads: the model text, and the clause that asks again
    asking: str = ""  # the clause that asks (the last one, when it has a question word), else the text
    # the sentences that ask: the text without the statements setting the scene, whose years, numbers
    # and time words are the asker's own (我们厂2019年开的，现在3个专利。全区有效商标有多少件？)
    asked: str = ""
    parts: set[str] = field(default_factory=set)  # plan parts named by number (第三章 -> "3", 专栏2 -> "box2")

    @property
    def empty(self) -> bool:
        return not self.terms


_LATIN = re.compile(r"[a-z][a-z0-9'’-]*")


def english_lemma(word: str, vocabularies: tuple[set[str], ...], misspelt=None) -> str:
    """The form of an English word that the glossary knows: subsidies -> subsidy, filing -> file,
    planning -> plan; else, through ``misspelt``, the known word it misspells: trainning -> training.

    ``vocabularies`` are tried in turn, each with the word as typed and then its stems: the glossary's
    own entries before the words inside its phrases, so that banks is read as bank (an entry) although
    "meet banks" holds banks as typed."""
    word = word.replace("’", "'").removesuffix("'s")
    stems = []
    if len(word) == 3 and word.endswith("s") and word[:2] in vocabularies[0]:
        stems.append(word[:2])  # the plural of a two-letter entry: gis -> gi, ips -> ip
    for suffix, repl in _SUFFIXES:
        stem = word[: -len(suffix)] + repl
        if word.endswith(suffix) and len(stem) >= 3:  # sued -> sue, using -> use; not bus -> bu
            stems.append(stem)
            if _DOUBLED.search(stem):  # planning -> plan, but not trainning -> train
                stems.append(stem[:-1])
    for known in vocabularies:
        found = word if word in known else next((c for c in stems if c in known), None)
        if found is not None:
            return found
    return (misspelt(word) if misspelt is not None else None) or word


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"))
# a doubled last consonant after a single short vowel (plann, shipp): English doubles it before -ing
_DOUBLED = re.compile(r"(?:^|[^aeiou])[aeiou]([b-df-hj-np-tv-z])\1$")


class EnglishGlossary:
    """The English glossary, compiled once per lexicon: hundreds of phrases would overflow the ``re``
    module's own cache (512 patterns) and be compiled again for every English question."""

    def __init__(self, glossary: dict[str, str]):
        words = {phrase for phrase in glossary if " " not in phrase}
        self.vocabularies = (words, {w for phrase in glossary for w in phrase.split()})
        self._misspelt: dict[str, str | None] = {}
        self._spelling = None
        # phrases are matched on lemmatised text, so they are lemmatised the same way: "meet banks" is
        # found in "meet bank", and "registered trademark" after registered is read as register
        lemmatised: dict[str, str] = {}
        for phrase, term in sorted(glossary.items(), key=lambda item: -len(item[0])):
            lemmatised.setdefault(self._lemmatised(phrase), term)
        self._phrases = [(phrase, re.compile(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])"), term)
                         for phrase, term in sorted(lemmatised.items(), key=lambda item: -len(item[0]))]

    def _lemmatised(self, text: str, misspelt=None) -> str:
        text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # early-warning is early warning
        return _LATIN.sub(lambda m: english_lemma(m.group(0), self.vocabularies, misspelt), text)

    def translate(self, text: str) -> tuple[str, list[str]]:
        """Replace glossary phrases (longest first) by their Chinese terms, after lemmatising words."""
        if not _LATIN.search(text):
            return text, []
        text = self._lemmatised(text, self.misspelt)
        found: list[str] = []
        for phrase, pattern, term in self._phrases:
            if phrase in text and pattern.search(text):  # the substring test spares most regex searches
                found.append(term)
                text = pattern.sub(f" {term} ", text)
        return text, found

    def misspelt(self, word: str) -> str | None:
        """The glossary word an English word of six letters or more misspells (trainning, trademaks,
        geograpical), by pyspellchecker's English dictionary: a real English word (faster, winter) is
        never taken for another, and a correction the glossary does not know is of no use."""
        if len(word) < MIN_MISSPELT_LETTERS:
            return None
        if word not in self._misspelt:
            if len(self._misspelt) >= MISSPELT_CACHE:
                self._misspelt.clear()  # questions are open-ended: the cache must not grow without end
            spelling = self.spelling()
            corrected = None if word in spelling else spelling.correction(word)
            lemma = english_lemma(corrected, self.vocabularies) if corrected else None
            self._misspelt[word] = lemma if lemma in self.vocabularies[-1] else None
        return self._misspelt[word]

    def spelling(self):
        """pyspellchecker's English dictionary (0.1 s to load: only when an English word is unknown),
        one edit away at most: two would cost milliseconds a word."""
        if self._spelling is None:
            from spellchecker import SpellChecker

            self._spelling = SpellChecker(distance=1)
        return self._spelling


MIN_MISSPELT_LETTERS = 6
MISSPELT_CACHE = 20_000
MAX_TERM_CHARS = 12


def substrings(text: str, longest: int = MAX_TERM_CHARS) -> set[str]:
    """Every substring of 2..``longest`` characters: dictionary look-ups by set intersection, in
    time linear in the question, however large the dictionaries grow. Latin words are added whole."""
    found = {text[i:i + n] for i in range(len(text)) for n in range(2, longest + 1) if i + n <= len(text)}
    found.update(_LATIN.findall(text))
    return found


def _typo_corrections(text: str, typos: dict[str, str], analyzer: Analyzer) -> dict[str, str]:
    """Homophone misspellings in the text (质压 -> 质押), longest match first.

    A misspelling must start and end on word boundaries of the segmented text, so that 什么材料 is
    not read as a misspelt 药材.
    """
    boundaries = {0}
    position = 0
    for word in analyzer.raw_words(text):
        position += len(word)
        boundaries.add(position)
    found: dict[str, str] = {}
    i = 0
    while i < len(text):
        if i in boundaries:
            for length in range(min(8, len(text) - i), 1, -1):
                piece = text[i:i + length]
                word = typos.get(piece)
                if word and word not in text and i + length in boundaries:
                    found[piece] = word
                    i += length - 1
                    break
        i += 1
    return found


_LATIN_RUN = re.compile(r"[a-z]+(?: [a-z]+)*")
MAX_PINYIN_SYLLABLE_WORDS = 4  # dili biao zhi: a word spelt in pinyin may be split by spaces


def _pinyin_words(text: str, typos: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The text with domain words typed in pinyin (zhuanli rongzi, dili biaozhi) in characters, and
    what was replaced; the typo table holds their spellings (kb/typos.py: pinyin_spellings)."""
    found: dict[str, str] = {}

    def spell(run: re.Match) -> str:
        words, out, i = run.group(0).split(" "), [], 0
        while i < len(words):
            for j in range(min(len(words), i + MAX_PINYIN_SYLLABLE_WORDS), i, -1):
                word = typos.get("".join(words[i:j]))
                if word and not word.isascii():
                    found[" ".join(words[i:j])] = word
                    out.append(word)
                    i = j
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    return (_LATIN_RUN.sub(spell, text) if _LATIN_RUN.search(text) else text), found


MIN_SOUNDED_CHARS = 4  # 只是产权 -> 知识产权; a shorter stretch sounds like a domain word too often
MAX_SOUNDED_CHARS = 8


def _misspelt_by_sound(text: str, typos: dict[str, str], readings: dict[str, str]) -> dict[str, str]:
    """Stretches of four characters or more that sound exactly like a domain word but differ from it
    in two characters or more (只是产权 for 知识产权, 质压带款 for 质押贷款), at most half of them: the
    typo table holds the words' pinyin (kb/typos.py: pinyin_spellings) and the one-slip misspellings;
    ``readings`` the characters' (stored with the index: no pypinyin at question time)."""
    sounds = [readings.get(c) for c in text]
    found: dict[str, str] = {}
    i = 0
    while i <= len(text) - MIN_SOUNDED_CHARS:
        for length in range(min(MAX_SOUNDED_CHARS, len(text) - i), MIN_SOUNDED_CHARS - 1, -1):
            window = sounds[i:i + length]
            if None in window:
                continue
            word = typos.get("".join(window))
            piece = text[i:i + length]
            if word and len(word) == length and word not in text:
                slips = sum(a != b for a, b in zip(piece, word))
                if 2 <= slips <= length // 2:
                    found[piece] = word
                    i += length - 1
                    break
        i += 1
    return found


# A clause with one of these asks something (吗, 不, 能不能 …); one without is a remark.
QUESTION_MARKERS = ("吗", "不", "没", "呢", "么", "可以", "怎", "咋", "啥", "什么", "哪", "谁", "是否", "几", "多少")
# A clause asking yes or no (几家企业能一起搞个联盟吗) uses 几 for "several", not to ask how many;
# so does 几 after 好, 这, 那 or 们 (好几家, 这几家, 我们几个厂)
_YES_NO = re.compile(r"吗|能不能|可不可以|有没有|是否|能否|行不行|要不要|会不会|[能可行]\w{0,12}不[?？]?$")
_SEVERAL = re.compile(r"[好这那们]几")
_CLAUSE_END = re.compile(r"[，。？！；,.?!;\s]+")


def clauses(text: str) -> list[str]:
    """The text's clauses, split at punctuation and spaces."""
    return [c for c in _CLAUSE_END.split(text) if re.search(r"\w", c)]


def _last_clause(text: str) -> str:
    found = clauses(text)
    return found[-1] if found else text


# A sentence and the mark that ends it: a statement (。！; "." before a space) or a question (？)
_SENTENCE = re.compile(r"[^。！!？?；;]+?(?:[。！!？?；;]+|\.(?=\s)|$)")
_STATEMENT_END = re.compile(r"(?:[。！!；;]|\.)\s*$")


def _asking_sentences(text: str) -> str:
    """The text without the statements that set the scene: 光代理费就花了好几万。区里有没有补贴？ asks
    only its last sentence; every sentence ending in a question mark, and the last one, is asked. What
    comes before a 想问下 or 请问 sets the scene too, whatever the punctuation (花了不少代理费，想问下…)."""
    opener = _ASKING_OPENER.search(text)
    if opener and opener.start() > 0:
        text = text[opener.start():]
    introduced = _INTRODUCTION.sub("", text, count=1)
    if introduced != text and re.search(r"\w", introduced):
        text = introduced  # 做物流出口的，规划里跟海关有协作吗: who asks is not what is asked
    sentences = [m.group(0) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    kept = [s for i, s in enumerate(sentences) if i == len(sentences) - 1 or not _STATEMENT_END.search(s)]
    return "".join(kept) if len(kept) < len(sentences) else text


# A clause in which the asker says who or where they are (我是做茶叶的, 我们在开发区办厂)
SELF_INTRODUCTION = r"(?:我|我们|本人)(?:是|在)[^，,。！!？?；;]*"
# ... or, leading the question, what they do (开烤鱼店的，): who asks is not what is asked
_INTRODUCTION = re.compile(rf"^\s*(?:{SELF_INTRODUCTION}"
                           r"|(?:我们?(?:是|家)?)?(?:做|开|搞|卖|种|养)[^，,。！!？?；;]{1,12}的)[，,]\s*")

_ASKING_OPENER = re.compile(r"想问|请问|想了解|想咨询|问一下|问下|打听一下")

# What the asker sets aside is not what is asked: 不是问商标，是问专利的…, 除了补贴，还有啥支持, 说错了
_SET_ASIDE = re.compile(
    r"(?:说错了|打错了|搞错了)[，,：:\s]*"
    r"|(?<!是)不是问?[^，,。？?！!；;]{1,12}?[，,]\s*(?=而是|是|问|我问|想问|我想问)"
    r"|除了[^，,。？?！!；;]{1,12}?(?:之外|以外)?[，,]\s*"
    r"|除了[^，,。？?！!；;还]{1,8}?(?:之外|以外)?(?=还)")


def without_set_aside(text: str) -> str:
    """The text without what the asker sets aside (除了行政执法，司法保护有啥 asks about 司法保护)."""
    rest = _SET_ASIDE.sub("", text)
    return rest if re.search(r"\w", rest) else text


# A consultation window relaying a call (企业问：, 来电咨询：, 窗口同事转个电话：): the question follows
_RELAYED = re.compile(r"^[^:：，,。？?]{0,10}?(?:问|来电|咨询|登记|窗口|转[^:：]{0,4})\s*[:：]\s*")

SPLIT_GAP = 3  # at most this many characters between the halves of a split word


class QueryAnalyzer:
    def __init__(self, lexicon: Lexicon, analyzer: Analyzer):
        self.lexicon = lexicon
        self.analyzer = analyzer
        self._anchors = lexicon.anchor_words()
        self._target_tokens: dict[str, list[str]] = {}
        # "贷款: 贷*款" in synonyms.txt: a word people split with a few characters (贷点款, 贷得到款)
        self._split_forms = [(split_word(v, SPLIT_GAP), targets[0]) for v, targets in lexicon.synonyms.items() if "*" in v]
        self._english = EnglishGlossary(lexicon.english)

    def warm(self) -> None:
        """Load what the first English question with an unknown word would otherwise wait for."""
        self._english.spelling()

    def _strongly_anchored(self, pieces: set[str]) -> bool:
        """Some of the pieces is an anchor that ties a question to IP on its own (商标, not 补贴)."""
        return any(w not in self.lexicon.weak_anchors for w in pieces & self._anchors)

    def _tokens_of(self, term: str) -> list[str]:
        """Tokens of a dictionary term (a synonym target), computed once."""
        tokens = self._target_tokens.get(term)
        if tokens is None:
            tokens = self._target_tokens[term] = self.analyzer.tokens(term, normalized=True)
        return tokens

    def _model_words(self, text: str, english: bool) -> str:
        return _LATIN.sub(lambda m: "" if m.group(0) in self.lexicon.stopwords else m.group(0), text) \
            if english else text

    def _dated(self, text: str) -> bool:
        return bool(years_named(text)) or any(w in text for w in self.lexicon.relative_years)

    def _when(self, asked: str) -> str:
        """The clauses whose dates (2025年, 去年) and 实际 say which figure is asked: those with a question
        word when they name a date or nothing else does. In 都2026年了，当初给2025年定的目标是多少 the
        2025 target is asked (2026 is when the asker asks), and in 目标定的多少？别写得比实际还高 a
        target, not what was reached; 去年的时候，专利授权了多少 still asks about last year."""
        asking = "，".join(c for c in clauses(asked) if any(m in c for m in QUESTION_MARKERS))
        return asking if asking and (self._dated(asking) or not self._dated(asked)) else asked

    def analyse(self, question: str) -> Query:
        lex = self.lexicon
        # what the asker sets aside is not asked, nor read for out-of-scope markers (除了社保，专利有补贴没)
        raw_text = without_set_aside(years_in_digits(_RELAYED.sub("", normalize(question))))
        text, spelt = _pinyin_words(lex.standard_wording(raw_text), lex.typos)
        query = Query(raw=question, text=text, english=is_mostly_english(text), raw_normalized=raw_text)
        text, glossary_terms = self._english.translate(plan_wording(text))
        as_written = text  # the user's words, in the plan's script and wording, before typo corrections
        query.corrections = spelt | _typo_corrections(text, lex.typos, self.analyzer)
        for wrong, right in query.corrections.items():
            text = text.replace(wrong, right)
        for wrong, right in _misspelt_by_sound(text, lex.typos, lex.readings).items():
            query.corrections[wrong] = right
            text = text.replace(wrong, right)
        for pattern, word in self._split_forms:  # 贷点款 is the user saying 贷款 (点 kept: it may matter)
            text = pattern.sub(lambda m: query.corrections.setdefault(m.group(0), word + m.group(1)), text)
        query.text = text
        query.asked = _asking_sentences(text)
        query.when = self._when(query.asked)
        query.years = years_named(query.when)
        query.parts = named_parts(text)
        # "does", "the", "which": English function words would teach the models that an English
        # question is about whatever the English examples they learnt from were about
        query.model_text = self._model_words(text, query.english)

        own = self.analyzer.tokens(text, normalized=True)
        query.own_terms = own
        for token in own:
            query.terms[token] = 1.0
        for term in glossary_terms:
            for token in self.analyzer.tokens(term, normalized=True):
                query.terms[token] = max(query.terms.get(token, 0.0), GLOSSARY_WEIGHT)

        whole = self.analyzer.words(text, normalized=True)
        words = set(whole)
        for word in whole:
            alternatives = {word: 1.0}
            for sub in self.analyzer.sub_words(word):
                alternatives.setdefault(sub, SUBWORD_CREDIT)
            query.words[word] = alternatives
        pieces = substrings(text)
        for variant in sorted((pieces & lex.synonyms.keys()) | (words & lex.synonyms.keys())):
            if (len(variant) == 1 or variant.isascii()) and variant not in words:
                continue
            for target in lex.synonyms[variant]:
                target_tokens = self._tokens_of(target)
                for token in target_tokens:
                    if token not in query.terms:
                        query.terms[token] = SYNONYM_WEIGHT
                for word in whole:
                    if word == variant or (len(variant) > 1 and (word in variant or variant in word)):
                        for token in target_tokens:
                            query.words[word].setdefault(token, SYNONYM_CREDIT)
        # The figure asked for sits in the clause that asks: in 手里只有几个专利，贷得到款不 the 几个 is a
        # quantity the asker has, but in 绿色食品有多少个，规划里写的 the last clause asks nothing.
        last = _last_clause(text)
        if any(m in last for m in QUESTION_MARKERS) and last != text:
            query.asking = last
            asking_pieces, asking_words = substrings(last), words & set(self.analyzer.words(last, normalized=True))
        else:
            query.asking = text
            asking_pieces, asking_words = pieces, words
        asked_figure = {w for w in asking_pieces & lex.figure_words if len(w) > 1} | (asking_words & lex.figure_words)
        query.wants_figure = bool(asked_figure) and not asking_pieces & lex.qualitative
        # a story's scene (我的专利被人仿了) reads like a case for a lawyer; what it asks (找哪个部门)
        # decides whether the plan answers it, so the scope check reads the asking clause twice
        query.scope_text = query.model_text if query.asking == text else \
            f"{query.model_text}\n{self._model_words(query.asking, query.english)}"
        query.yes_no = bool(_YES_NO.search(query.asking))
        query.asks_detail = lex.asks_detail(query.asking)
        query.states_sum = lex.states_sum(text)
        query.describes_part = lex.describes_part(text)
        query.asks_count = (query.wants_figure and bool(asked_figure - lex.figure_topics)
                            and not query.yes_no and not _SEVERAL.search(query.asking))
        if (not query.wants_figure and query.years and not query.english
                and any(k in query.asking for k in lex.figure_kinds)
                and not any(m in query.asking for m in QUESTION_MARKERS)):
            # 2022 有效发明专利, 商标注册 2023: a year and a kind of IP, and nothing else asked, ask the count
            # (English words ask in ways this cannot see: did … try pledge loans before 2021)
            query.wants_figure = query.asks_count = True
        # out-of-scope markers are read in the user's own wording, before typo corrections: 配多少人 is
        # not a misspelt 赔多少 (the glossary may have replaced "PCT" by a plan term: read both); their
        # exceptions in the corrected wording too (才算 is out of scope, but not beside 高价直专利)
        own_pieces = pieces if as_written == text else substrings(as_written)
        if query.raw_normalized != as_written:
            own_pieces = own_pieces | substrings(query.raw_normalized)
        own_texts = (as_written, query.raw_normalized)
        asked = tuple(map(_asking_sentences, own_texts))
        asking = asked if asked[0] != as_written else None  # None: no scene-setting statement to leave out
        query.out_of_scope = lex.out_of_scope_words(own_pieces, own_texts, corrected=pieces, asking=asking)
        # Weak anchors are whole words (养老保险 is not about 保险 of patents); strong ones of two
        # characters or more, and long weak ones, may also sit inside a longer word (盗版书).
        query.anchors = sorted((words & self._anchors) | {w for w in pieces & self._anchors
                                                           if len(w) >= 3 or w not in lex.weak_anchors})
        if asking is not None and query.out_of_scope and self._strongly_anchored(substrings(query.asked)):
            # 刚办完营业执照，做宠物用品。区里有没有问商标注册的窗口？ tells the asker's story, then asks about
            # IP: the story's markers do not make the question another office's business
            query.out_of_scope = [m for m in query.out_of_scope if any(m in clause for clause in asking)]
        return query
