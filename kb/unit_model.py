"""A learned prior over plan units: which passages do questions worded like this one ask about?

BM25F and coverage see the words a question shares with a passage; enterprises' wording often
shares few (做软件的小公司没厂房，只有几个专利，贷得到款不 asks about 5.1.3). This model is a
multinomial logistic regression over the character n-grams of the analysed question, trained at
build time (scikit-learn) on the labelled tuning questions, the FAQ phrasings (labelled with their
sources) and the plan's own headings and sentences. Its probability is one more ranking feature
(kb/answering.py). Only its weights are stored in the index; serving scores them with numpy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kb.ngrams import tfidf

NGRAMS = (1, 3)
MIN_DF = 2
C = 100.0  # inverse regularisation strength, chosen by 5-fold cross-validation on the tuning sets (by set)


@dataclass
class UnitModel:
    classes: list[str]  # unit ids, in the order of the coefficient columns
    vocabulary: dict[str, int]  # n-gram -> row of ``coef``
    idf: dict[str, float]
    coef: np.ndarray  # (n-grams, classes)
    intercept: np.ndarray  # (classes,)
    ngrams: tuple[int, int] = NGRAMS

    def probabilities(self, text: str) -> dict[str, float]:
        """Each unit's probability of being the one asked about (scikit-learn's softmax)."""
        values = tfidf(text, self.idf, self.ngrams)
        logits = self.intercept.astype(np.float64)
        if values:
            rows = [self.vocabulary[g] for g in values]
            logits = logits + np.fromiter(values.values(), np.float64, len(values)) @ self.coef[rows]
        logits -= logits.max()
        exp = np.exp(logits)
        return dict(zip(self.classes, (exp / exp.sum()).tolist()))

    def save(self, path: Path) -> None:
        grams = sorted(self.vocabulary, key=self.vocabulary.get)
        header = {"classes": self.classes, "ngrams": list(self.ngrams), "grams": grams,
                  "idf": [self.idf[g] for g in grams]}
        with path.open("wb") as out:
            np.savez(out, header=np.array(json.dumps(header, ensure_ascii=False)),
                     coef=self.coef, intercept=self.intercept)

    @classmethod
    def load(cls, path: Path) -> "UnitModel":
        with np.load(path) as data:
            header = json.loads(str(data["header"]))
            coef, intercept = data["coef"], data["intercept"]
        grams = header["grams"]
        return cls(header["classes"], {g: i for i, g in enumerate(grams)}, dict(zip(grams, header["idf"])),
                   coef, intercept, tuple(header["ngrams"]))


def train(texts: list[str], labels: list[str], weights: list[float]) -> UnitModel | None:
    """Fit the model on (analysed text, unit id, sample weight); None with fewer than two units."""
    if len(set(labels)) < 2:
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, min_df=MIN_DF, sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    # saga stops in seconds where lbfgs takes half a minute, to the same cross-validated quality
    fitted = LogisticRegression(C=C, solver="saga", tol=1e-3, max_iter=1000, random_state=0).fit(
        matrix, labels, sample_weight=np.array(weights))
    grams = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    classes = [str(c) for c in fitted.classes_]
    coef, intercept = fitted.coef_.T.astype(np.float32), fitted.intercept_.astype(np.float32)
    if len(classes) == 2:  # scikit-learn keeps one column for two classes: logits (-z/2, z/2) softmax alike
        coef, intercept = np.hstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    model = UnitModel(classes, {g: i for i, g in enumerate(grams)},
                      {g: float(vectorizer.idf_[i]) for i, g in enumerate(grams)}, coef, intercept)
    # the numpy scorer must agree with scikit-learn's, or serving would differ from training
    for text, expected in zip(texts[:50], fitted.predict_proba(matrix[:50])):
        got = model.probabilities(text)
        if any(abs(got[c] - p) > 1e-4 for c, p in zip(classes, expected)):
            raise AssertionError(f"unit model scoring differs from scikit-learn on {text!r}")
    return model
