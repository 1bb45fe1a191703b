"""The learned unit prior: trained with scikit-learn, served from its stored weights with numpy alone."""

import pytest

from kb.unit_model import UnitModel, train

EXAMPLES = [
    ("专利 能 拿去 银行 贷款 吗", "plan:5.1.3"), ("商标 可以 质押 融资 吗", "plan:5.1.3"),
    ("没 厂房 只有 专利 贷得到 款 不", "plan:5.1.3"), ("知识产权 保险 有 没有", "plan:5.1.3"),
    ("有人 仿冒 我们 的 商标 找 谁", "plan:3.1.2"), ("假货 去 哪里 举报", "plan:3.1.2"),
    ("山寨 我们 牌子 怎么 投诉", "plan:3.1.2"), ("侵权 的 执法 谁 来 管", "plan:3.1.2"),
    ("地理标志 怎么 申请 培育", "plan:box3.2"), ("红桔 能 做 地标 产品 吗", "plan:box3.2"),
    ("农产品 地理标志 有 扶持 吗", "plan:box3.2"), ("我们 的 茶叶 想 做 地理标志", "plan:box3.2"),
]
TEXTS = [t for t, _ in EXAMPLES] * 2
LABELS = [u for _, u in EXAMPLES] * 2
WEIGHTS = [1.0] * len(EXAMPLES) + [0.5] * len(EXAMPLES)


@pytest.fixture(scope="module")
def model():
    return train(TEXTS, LABELS, WEIGHTS)


def test_a_paraphrase_gets_the_unit_its_wording_belongs_to(model):
    def best(text: str) -> str:
        probabilities = model.probabilities(text)
        assert sum(probabilities.values()) == pytest.approx(1.0)
        return max(probabilities, key=probabilities.get)

    assert best("拿 商标 去 银行 贷 点 款") == "plan:5.1.3"
    assert best("别人 山寨 我们 的 商标 找 哪个") == "plan:3.1.2"
    assert best("柑橘 做 地理标志") == "plan:box3.2"


def test_the_stored_weights_score_as_scikit_learn_does_on_unseen_text(model, tmp_path):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from kb import unit_model

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=unit_model.NGRAMS, min_df=unit_model.MIN_DF,
                                 sublinear_tf=True)
    fitted = LogisticRegression(C=unit_model.C, solver="saga", tol=1e-3, max_iter=1000, random_state=0).fit(
        vectorizer.fit_transform(TEXTS), LABELS, sample_weight=np.array(WEIGHTS))
    model.save(tmp_path / "model.npz")
    stored = UnitModel.load(tmp_path / "model.npz")
    for text in ["商标 怎么  贷款", "Weather in Wanzhou?", "完全无关的句子", ""]:
        expected = dict(zip(fitted.classes_, fitted.predict_proba(vectorizer.transform([text]))[0]))
        got = stored.probabilities(text)
        assert got.keys() == expected.keys()
        for unit_id, probability in expected.items():
            assert got[unit_id] == pytest.approx(probability, abs=1e-5)


def test_two_units_score_as_two_classes_do():
    pairs = EXAMPLES[:8] * 2
    two = train([t for t, _ in pairs], [u for _, u in pairs], [1.0] * len(pairs))
    probabilities = two.probabilities("专利 质押 贷款")
    assert set(probabilities) == {"plan:5.1.3", "plan:3.1.2"}
    assert probabilities["plan:5.1.3"] > 0.5


def test_no_model_without_two_units_to_tell_apart():
    assert train(TEXTS[:4], LABELS[:4], WEIGHTS[:4]) is None
