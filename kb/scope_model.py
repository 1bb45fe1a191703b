"""A learned second opinion on scope: is this question one the plan cannot answer?

The out-of-scope dictionary refuses what its categories name; a blind probe still finds new wordings
(商标第43类包括哪些服务, 直播间放歌要不要给版权费). This model is a logistic regression over the
character n-grams of the analysed question, trained at build time (scikit-learn) on the labelled
tuning questions and the FAQ phrasings. Only its weights are stored in the index: serving scores a
question with a few dictionary look-ups, without importing scikit-learn (seconds of start-up).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from kb.ngrams import tfidf

NGRAMS = (1, 3)
MIN_DF = 2
C = 30.0  # inverse regularisation strength, chosen by 5-fold cross-validation on the tuning sets (by set)


@dataclass
class ScopeModel:
    weights: dict[str, tuple[float, float]] = field(default_factory=dict)  # n-gram -> (idf, coefficient)
    intercept: float = 0.0
    ngrams: tuple[int, int] = NGRAMS

    def __post_init__(self) -> None:
        self._idf = {g: w[0] for g, w in self.weights.items()}

    def out_of_scope_probability(self, text: str) -> float:
        """The sigmoid of the model's score on sublinear, l2-normalised tf-idf (as scikit-learn does)."""
        values = tfidf(text, self._idf, self.ngrams)
        score = self.intercept + sum(v * self.weights[g][1] for g, v in values.items())
        return 1 / (1 + math.exp(-score))

    def to_json(self) -> str:
        return json.dumps({"weights": self.weights, "intercept": self.intercept, "ngrams": list(self.ngrams)},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "ScopeModel":
        data = json.loads(text)
        return cls({g: (w[0], w[1]) for g, w in data["weights"].items()}, data["intercept"], tuple(data["ngrams"]))


def train(texts: list[str], out_of_scope: list[bool]) -> ScopeModel | None:
    """Fit the model; None when the labels do not hold both kinds of question."""
    if len(set(out_of_scope)) < 2:
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, min_df=MIN_DF, sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    fitted = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(matrix, out_of_scope)
    model = ScopeModel({g: (float(vectorizer.idf_[i]), float(fitted.coef_[0][i]))
                        for g, i in vectorizer.vocabulary_.items()}, float(fitted.intercept_[0]))
    # the hand-written scorer must agree with scikit-learn's, or serving would differ from training
    for text, expected in zip(texts[:50], fitted.predict_proba(matrix[:50])[:, 1]):
        if abs(model.out_of_scope_probability(text) - expected) > 1e-6:
            raise AssertionError(f"scope model scoring differs from scikit-learn on {text!r}")
    return model
