"""One normaliser and one tokenizer, the same for what is indexed and what is asked."""

from __future__ import annotations

import pytest

from kb.lexicon import Lexicon
from kb.text import normalize, split_sentences
from kb.tokenize import Analyzer


@pytest.fixture(scope="module")
def analyzer(built_settings) -> Analyzer:
    return Analyzer(Lexicon.load_dir(built_settings.corpus_dir / "dict"), built_settings.cache_dir)


# ---- normalize ------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("ＡＢＣ１２３", "abc123"),                      # full-width letters and digits
    ("专利？！（商标）", "专利?!(商标)"),              # full-width punctuation (NFKC)
    ("智慧財產權", "知识产权"),                         # Taiwan traditional -> mainland simplified term
    ("質押融資", "质押融资"),
    ("專利權", "专利权"),
    ("Patent   PLEDGE", "patent pledge"),               # case and runs of spaces
    ("\u3000 知识产权\t\n质押 ", "知识产权 质押"),     # ideographic space, tabs, newlines, ends
    ("", ""),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("word", ["建立", "核心技术", "显著", "新增", "整合", "智慧监管", "效能", "著作权"])
def test_normalize_never_rewrites_simplified_words(word):
    """tw2sp's Taiwan-to-mainland phrase table must not touch simplified text (建立 -> 创建)."""
    assert normalize(f"探索{word}机制") == f"探索{word}机制"


def test_normalize_keeps_every_word_of_the_plan():
    import re
    import unicodedata

    from kb.plan_parser import parse_plan
    from kb.settings import PROJECT_ROOT

    text = (PROJECT_ROOT / "corpus" / "plans" / "wanzhou-ip-plan-14th-fyp.txt").read_text(encoding="utf-8")
    for unit in parse_plan(text, "plan"):
        expected = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", unit.text).lower()).strip()
        assert normalize(unit.text) == expected, unit.id


def test_mixed_traditional_and_simplified():
    assert normalize("请问智慧財產權可以质押吗") == "请问知识产权可以质押吗"
    assert normalize("台灣的專利, 建立核心技术") == "台湾的专利, 建立核心技术"


def test_normalize_is_idempotent_and_leaves_simplified_text_alone():
    text = "万州区知识产权“十四五”规划（2021—2025年）鼓励知识产权质押融资。"
    once = normalize(text)
    assert normalize(once) == once
    assert "万州区知识产权" in once and "质押融资" in once


def test_split_sentences_keeps_the_closing_punctuation():
    assert split_sentences("第一句。第二句；第三句！\n第四句") == ["第一句。", "第二句；", "第三句！", "第四句"]


# ---- the analyzer ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, whole", [
    ("知识产权质押融资怎么办理", "知识产权质押融资"),
    ("两品一标农产品有哪些", "两品一标"),
    ("地理标志怎么申请", "地理标志"),
    ("企业能参加专利导航项目吗", "专利导航"),
])
def test_domain_words_stay_whole(analyzer, text, whole):
    assert whole in analyzer.words(text)
    # never cut into pieces in the word list itself
    assert not any(w != whole and w in whole for w in analyzer.words(text))


def test_domain_words_also_emit_their_sub_words(analyzer):
    tokens = analyzer.tokens("知识产权质押融资")
    assert tokens[0] == "知识产权质押融资"
    assert {"知识产权", "质押", "融资"} <= set(tokens)
    # a question with only a sub-word meets a passage with the whole word
    assert set(analyzer.tokens("质押")) & set(tokens)
    assert "地理标志" in analyzer.tokens("地理标志产品保护")


def test_punctuation_and_stop_words_are_dropped(analyzer):
    tokens = analyzer.tokens("请问，专利的质押融资吗？！……「」（）【】 . , ; !")
    assert "专利" in tokens and "质押融资" in tokens
    for junk in ("，", "？", "！", "…", "「", "（", ".", ",", ";", "的", "吗", " "):
        assert junk not in tokens
    assert analyzer.tokens("的了吗？！，。") == []
    assert analyzer.tokens("😀😀😀") == []
    assert analyzer.tokens("") == []


def test_same_tokens_whatever_the_script_width_or_case(analyzer):
    simplified = analyzer.tokens("知识产权质押融资")
    assert analyzer.tokens("智慧財產權質押融資") == simplified
    assert analyzer.tokens("知識產權質押融資") == simplified
    assert analyzer.tokens("ＰＡＴＥＮＴ 专利") == analyzer.tokens("patent 专利") == ["patent", "专利"]


def test_segmented_text_is_tokens_joined_by_spaces(analyzer):
    text = "鼓励知识产权金融创新，探索推进知识产权质押融资。"
    assert analyzer.segmented(text) == " ".join(analyzer.tokens(text))


def test_long_input_is_segmented(analyzer):
    tokens = analyzer.tokens("专利质押融资" * 2000)
    assert tokens and set(tokens) <= set(analyzer.tokens("专利质押融资"))


# ---- index and query share the tokenizer ------------------------------------------------------
def test_index_holds_the_tokens_the_query_side_produces(built_settings, analyzer):
    """Every token of a passage (and of a question quoting it) is a term of that passage in Whoosh."""
    from kb.index_store import StoredIndex
    from kb.publish import published_dir

    stored = StoredIndex(published_dir(built_settings))
    unit = next(u for u in stored.units if u.id == "plan:5.1.3")
    ix = stored.open_whoosh()
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            docnum = searcher.document_number(id=unit.id)

            def terms_of(field: str) -> set[str]:
                return {term.decode("utf-8") for term in reader.lexicon(field)
                        if docnum in set(reader.postings(field, term).all_ids())}

            text_terms = terms_of("text")
            assert text_terms == set(analyzer.tokens(unit.text))
            assert terms_of("heading") == set(analyzer.tokens(unit.heading))
            assert {"知识产权质押融资", "知识产权", "质押", "融资"} <= text_terms
            # a question in traditional characters and full width reaches the same terms
            question = set(analyzer.tokens("智慧財產權質押融資，保險業務？"))
            assert {"知识产权质押融资", "质押", "融资", "保险业务"} & question <= text_terms
            assert len(question & text_terms) >= 4
    finally:
        ix.close()


def test_jieba_cache_lives_in_the_data_folder_and_is_reused(tmp_path, built_settings):
    """The dictionary cache goes to our cache folder (not a shared /tmp file) and gives the same words."""
    lexicon = Lexicon.load_dir(built_settings.corpus_dir / "dict")
    cache = tmp_path / "cache"
    first = Analyzer(lexicon, cache)  # no cache yet: jieba builds it
    assert (cache / "jieba.cache").is_file()
    second = Analyzer(lexicon, cache)  # read back
    text = "我们公司想用两品一标和地理标志做知识产权质押融资，去哪个窗口办"
    assert first.tokens(text) == second.tokens(text)
    assert first.vocabulary == second.vocabulary

    (cache / "jieba.cache").write_bytes(b"not a cache")  # a damaged cache is rebuilt, not fatal
    third = Analyzer(lexicon, cache)
    assert third.tokens(text) == first.tokens(text)


def test_homophone_typos_include_the_fuzzy_initials_of_the_usual_reading_only():
    from kb.typos import homophone_typos

    common = set("投诉述质押压抄说我们")
    typos = homophone_typos(["投诉", "质押", "抄我们"], common, set())
    assert typos["投述"] == "投诉"  # sù / shù: southwest speakers do not tell s and sh apart
    assert typos["质压"] == "质押"  # an exact homophone
    assert "说我们" not in typos  # 抄 has a rare reading suō; made fuzzy it must not meet 说 shuō


def test_the_typo_table_is_the_same_on_every_build():
    """Set iteration order changes with the hash seed; the table's order (and so the index files and
    the scope model cached by their digest) must not."""
    import os
    import subprocess
    import sys

    script = ("from kb.typos import homophone_typos; import json; "
              "print(json.dumps(list(homophone_typos(['质押', '地理标志', '投诉', '商标', '专利', '版权', '融资'], "
              "{chr(c) for c in range(0x4e00, 0x9fa6)}, set())), ensure_ascii=False))")
    tables = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(tables) == 1 and len(tables.pop()) > 1000


# ---- English glossary -----------------------------------------------------------------------
@pytest.mark.parametrize("question, term", [
    ("do banks take patents", "银行"),        # banks is also inside the phrase "meet banks"
    ("we want to meet banks", "银企对接"),     # the phrase still wins where it is typed
    ("we were sued", "起诉"),                 # a short stem: sued -> sue
    ("the infringed registered trademark", "注册商标"),
    ("how many gis does wanzhou have", "地理标志"),  # the plural of a two-letter entry
])
def test_an_english_word_is_read_as_its_glossary_entry_even_when_a_phrase_holds_it_as_typed(question, term):
    from kb.query import EnglishGlossary

    glossary = EnglishGlossary({"bank": "银行", "meet banks": "银企对接", "sue": "起诉", "register": "注册",
                                "registered trademark": "注册商标", "car": "汽车", "gi": "地理标志", "u": "铀"})
    assert term in glossary.translate(question)[0]
    assert "汽车" not in glossary.translate("lost my bank card")[0]  # card is not a car
    assert "铀" not in glossary.translate("tell us")[0]  # a one-letter entry has no plural


@pytest.mark.parametrize("question, overview", [
    ("in general, how will the plan support patents?", True),
    ("知识产权运用这块区里总体上怎么打算", True),
    ("规划里讲专利商标怎么变成钱的那一章，讲了些啥", True),  # a chapter described, not numbered
    ("Could you give me a quick overview? Just the big picture.", True),
    ("what's the plan's approach to IP services generally?", True),
    ("we are interested in patent pledge loans", False),  # "in" alone asks nothing
    ("how does the plan link innovation to market demand?", False),
])
def test_a_question_about_a_whole_part_of_the_plan_is_told_by_whole_words(built_settings, question, overview):
    lexicon = Lexicon.load_dir(built_settings.corpus_dir / "dict")
    assert lexicon.asks_overview(normalize(question)) is overview


# ---- parts of the plan named by number ------------------------------------------------------
@pytest.mark.parametrize("asked, wording, parts", [
    ("第3章讲的啥", "第三章讲的啥", {"3"}),
    ("chapter 7 in short", "第七章 in short", {"7"}),
    ("第四章第二节", "第四章第二节", {"4.2"}),
    ("专栏三那几个工程", "专栏3那几个工程", {"box3"}),
    ("专栏4里第二项说的啥", "专栏4里第二项说的啥", {"box4.2"}),  # one item of a box
    ("第四章第一节第3条", "第四章第一节第3条", {"4.1.3"}),  # one measure of a section
    ("box 2 of the plan", "专栏2 of the plan", {"box2"}),
    ("inbox 3 messages", "inbox 3 messages", set()),  # a word ending in box names no box
    ("十四五规划", "十四五规划", set()),
])
def test_parts_named_by_number_are_read_in_the_plans_wording(asked, wording, parts):
    from kb.parts import named_parts, plan_wording

    assert plan_wording(asked) == wording
    assert named_parts(plan_wording(asked)) == parts


@pytest.mark.parametrize("question, terms", [
    ("Which bureau runs the cultural IP programmes?", {"局", "文化"}),
    ("Is there a regional patent data platform for the whole city?", {"数据", "市"}),
    ("What are the basic rules on the IP layout of key industries?", {"基本", "布局"}),
    ("'double random' checks of agencies", {"双随机"}),
])
def test_the_plans_everyday_words_in_english_are_read_in_chinese(queries, question, terms):
    """Single words the English questions left untranslated most often, where the plan has the word."""
    assert terms <= set(queries.analyse(question).terms)


@pytest.mark.parametrize("question, terms, english", [
    ("zhuanli rongzi", {"专利", "融资"}, False),
    ("dili biaozhi现在几个", {"地理标志"}, False),
    ("动漫游戏 banquan", {"版权"}, False),
    ("we want our own shangbiao brand, what support is there?", {"商标"}, True),
])
def test_domain_words_typed_in_pinyin_are_read_in_characters(queries, question, terms, english):
    """Someone who cannot switch input method types 专利 as zhuanli; the reply stays Chinese-only unless
    the rest of the question is English."""
    query = queries.analyse(question)
    assert terms <= set(query.terms) and query.english is english


def test_an_english_word_is_never_taken_for_pinyin():
    from kb.typos import pinyin_spellings

    spellings = pinyin_spellings(["专利", "地理标志", "重庆", "方案"], {}, english={"chongqing"})
    assert spellings["zhuanli"] == "专利" and spellings["dilibiaozhi"] == "地理标志"
    assert "chongqing" not in spellings  # an English (here: glossary) word keeps its own reading
    assert "fangan" in spellings and all(len(s) >= 5 for s in spellings)


@pytest.mark.parametrize("question, meant, misread", [
    ("科技型小微企业搞只是产权有扶持吗", "知识产权", "只是"),  # two slips in one word
    ("专例能质压带款吗", "质押贷款", "带款"),
    # 示 sounds like 师, 现 like 险: one character alike is no misspelling to mend by sound
    ("国家级知识产权示范企业万州有几家", "知识产权示范企业", "知识产权师"),
    ("万人发明专利现在多少", "发明专利", "专利险"),
])
def test_a_long_word_misspelt_in_two_characters_is_read_by_its_sound(queries, question, meant, misread):
    query = queries.analyse(question)
    assert meant in query.terms and misread not in query.terms


# ---- years said in words ------------------------------------------------------------------------
@pytest.mark.parametrize("said, written", [
    ("二零二二年万人发明专利", "2022年万人发明专利"),
    ("到二〇二五地理标志几件", "到2025地理标志几件"),
    ("两千零二十五年的目标", "2025年的目标"),
    ("二零年底有效商标", "2020年底有效商标"),  # the last two digits, said one by one
    ("保护期二十年", "保护期二十年"),  # twenty years, not a year
    ("三五年内能批下来不", "三五年内能批下来不"),  # three to five years
    ("十二五年间", "十二五年间"),
])
def test_years_said_in_words_are_read_as_digits(said, written):
    from kb.spoken_years import years_in_digits

    assert years_in_digits(said) == written
