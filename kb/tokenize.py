"""The one tokenizer for indexing and querying: jieba with the domain dictionary.

Domain words (知识产权质押融资) stay whole and their dictionary sub-words (知识产权, 质押, 融资) are
emitted too, so a question that says only 质押 still meets a passage that says 知识产权质押融资.
"""

from __future__ import annotations

import logging
import marshal
import math
import re
import sys
import unicodedata
from pathlib import Path

from kb.lexicon import Lexicon
from kb.text import normalize


VARIANT_FREQ = 3000
_CJK_WORD = re.compile(r"^[\u3400-\u9fff]+$")
COMMON_INFORMATION, RARE_INFORMATION, MIN_RARITY = 6.0, 12.0, 0.15


def import_jieba():
    """``import jieba``, without letting it import ``pkg_resources``.

    ``jieba._compat`` imports pkg_resources only to open jieba's own data files and falls back to a
    plain ``open()`` when it is missing; importing pkg_resources costs about 0.25 s of every cold
    start (setuptools scans every installed distribution). So hide it while jieba is imported,
    unless something has imported it already.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # `import pkg_resources` raises ImportError
    try:
        import jieba
    finally:
        if hide and "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
            del sys.modules["pkg_resources"]
    return jieba


def _load_dictionary(tokenizer, cache_dir: Path) -> None:
    """Load jieba's prefix dictionary from its cache in ``cache_dir``, building the cache if needed.

    jieba's own ``initialize`` reads the cache with ``marshal.load(file)``, which reads the 9 MB
    file a few bytes at a time: about three times slower than reading it whole and ``marshal.loads``.
    This is the largest part of a cold start, so read it whole; fall back to jieba when absent or bad.
    """
    jieba = import_jieba()

    cache = cache_dir / "jieba.cache"  # the name jieba gives the cache of its default dictionary
    if tokenizer.dictionary == jieba.DEFAULT_DICT and tokenizer.cache_file is None:
        try:
            tokenizer.FREQ, tokenizer.total = marshal.loads(cache.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass
        else:
            tokenizer.initialized = True
            return
    tokenizer.initialize()  # builds the prefix dictionary and writes the cache


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


class Analyzer:
    """Segments normalised text into search tokens."""

    def __init__(self, lexicon: Lexicon, cache_dir: Path):
        jieba = import_jieba()

        jieba.setLogLevel(logging.WARNING)
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.lexicon = lexicon
        self._jieba = jieba.Tokenizer()
        self._jieba.tmp_dir = str(cache_dir)
        _load_dictionary(self._jieba, cache_dir)
        for word, freq in lexicon.user_words.items():
            self._jieba.add_word(word, freq)
        # Colloquial variants (贷点款, 山寨货) and anchors are segmented whole, like dictionary words.
        for word in [*lexicon.synonyms, *lexicon.anchors, *lexicon.english.values()]:
            if len(word) >= 2 and _CJK_WORD.match(word) and self._jieba.FREQ.get(word, 0) == 0:
                self._jieba.add_word(word, VARIANT_FREQ)
        self._log_total = math.log(self._jieba.total)

    def is_known_word(self, word: str) -> bool:
        return self._jieba.FREQ.get(word, 0) > 0

    @property
    def vocabulary(self):
        return self._jieba.FREQ

    def rarity(self, word: str) -> float:
        """How informative a word is in general Chinese (0.15 for 去, 1.0 for 护照 or unknown words).

        Used for words the corpus never uses: a rare one (签证) says the question is about
        something else; a common one (拿, 两个) says little.
        """
        freq = self._jieba.FREQ.get(word, 0)
        if not freq:
            return 1.0
        information = self._log_total - math.log(freq)
        share = (information - COMMON_INFORMATION) / (RARE_INFORMATION - COMMON_INFORMATION)
        return min(1.0, max(MIN_RARITY, share))

    def raw_words(self, text: str) -> list[str]:
        """jieba's segmentation of already normalised text, punctuation and all."""
        return list(self._jieba.cut(text, HMM=False))

    def words(self, text: str, normalized: bool = False) -> list[str]:
        """Whole words of the text, without punctuation and stop words."""
        text = text if normalized else normalize(text)
        stop = self.lexicon.stopwords
        return [w for w in self._jieba.cut(text, HMM=False)
                if w.strip() and _is_word(w) and w not in stop]

    def sub_words(self, word: str) -> list[str]:
        """Dictionary words inside a longer word, longest first (知识产权质押融资 -> 知识产权, 质押融资, …)."""
        found: list[str] = []
        for length in range(len(word) - 1, 1, -1):
            for start in range(len(word) - length + 1):
                sub = word[start:start + length]
                if sub not in found and self.is_known_word(sub):
                    found.append(sub)
        return found

    def tokens(self, text: str, normalized: bool = False) -> list[str]:
        """Search tokens: every word, followed by its dictionary sub-words."""
        out: list[str] = []
        for word in self.words(text, normalized):
            out.append(word)
            if len(word) > 2:
                out.extend(s for s in self.sub_words(word) if s not in self.lexicon.stopwords)
        return out

    def segmented(self, text: str, normalized: bool = False) -> str:
        """Tokens joined by spaces: the form rapidfuzz's token scorers expect."""
        return " ".join(self.tokens(text, normalized))
