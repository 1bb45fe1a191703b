"""The learned scope check: trained with scikit-learn, served from its stored weights alone."""

import pytest

from kb.scope_model import ScopeModel, train

IN_SCOPE = ["专利 能 质押 贷款 吗", "区里 有 专利 资助 奖励 吗", "商标 被 仿冒 找 哪个 部门", "地理标志 怎么 培育",
            "知识产权 保险 区里 支持 吗", "专利 导航 项目 怎么 参加", "版权 示范 单位 有 几家", "维权 援助 找 谁"]
OUT_OF_SCOPE = ["明天 天气 怎么样", "护照 怎么 办理", "火锅 哪家 好吃", "个人 所得税 怎么 退",
                "火车票 在哪 买", "驾照 换证 要 多久", "社保 怎么 交", "房租 涨价 怎么办"]


@pytest.fixture(scope="module")
def model():
    return train(IN_SCOPE * 2 + OUT_OF_SCOPE * 2, [False] * 16 + [True] * 16)


def test_it_tells_the_two_kinds_apart(model):
    assert model.out_of_scope_probability("明天 会 下雨 吗 天气") > 0.5
    assert model.out_of_scope_probability("专利 质押 贷款 区里 支持 吗") < 0.5


def test_the_stored_weights_score_as_scikit_learn_does_on_unseen_text(model):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from kb import scope_model

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=scope_model.NGRAMS, min_df=scope_model.MIN_DF,
                                 sublinear_tf=True)
    matrix = vectorizer.fit_transform(IN_SCOPE * 2 + OUT_OF_SCOPE * 2)
    fitted = LogisticRegression(C=scope_model.C, class_weight="balanced", max_iter=3000).fit(
        matrix, [False] * 16 + [True] * 16)
    stored = ScopeModel.from_json(model.to_json())
    for text in ["商标 怎么  贷款", "Weather in Wanzhou?", "房租 天气 专利", "完全无关的句子"]:
        expected = fitted.predict_proba(vectorizer.transform([text]))[0][1]
        assert stored.out_of_scope_probability(text) == pytest.approx(expected, abs=1e-9)


def test_no_model_without_both_kinds_of_question():
    assert train(IN_SCOPE, [False] * len(IN_SCOPE)) is None
