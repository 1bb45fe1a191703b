"""Character n-gram tf-idf, computed exactly as scikit-learn's ``TfidfVectorizer(analyzer="char",
sublinear_tf=True)`` does, so models trained with scikit-learn at build time are served without it."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

_SPACES = re.compile(r"\s\s+")


def char_ngrams(text: str, ngrams: tuple[int, int]) -> list[str]:
    """scikit-learn's ``analyzer="char"``: lower-cased, runs of white space made one, every n-gram."""
    text = _SPACES.sub(" ", text.lower())
    return [text[i:i + n] for n in range(ngrams[0], ngrams[1] + 1) for i in range(len(text) - n + 1)]


def tfidf(text: str, idf: Mapping[str, float], ngrams: tuple[int, int]) -> dict[str, float]:
    """The known n-grams of ``text`` with their sublinear, l2-normalised tf-idf values."""
    counts = Counter(g for g in char_ngrams(text, ngrams) if g in idf)
    values = {g: (1 + math.log(n)) * idf[g] for g, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {g: v / norm for g, v in values.items()}
