"""``kb check`` and ``kb faq new``: every corpus problem at once, at its exact file:line; a template
entry that cannot be published until it is filled in. Real corpus copies in temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kb_support import make_settings
from kb.check import PLACEHOLDER, check_corpus, static_check
from kb.cli import main
from kb.corpus import load_corpus
from kb.errors import CorpusError
from kb.publish import build_and_publish


def kb(settings, *args: str):
    env = {"KB_CORPUS_DIR": str(settings.corpus_dir), "KB_DATA_DIR": str(settings.data_dir)}
    return CliRunner().invoke(main, list(args), env=env)


def edit(path: Path, old: str, new: str, first: bool = False) -> None:
    """Replace ``old`` (which must be unique, unless only its ``first`` occurrence is meant)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1 or (first and old in text), f"{old!r} is not unique in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_no(path: Path, needle: str, after: int = 0) -> int:
    """1-based number of the first line after line ``after`` that contains ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages then name files as staff see them: corpus/faq/…
    return make_settings(tmp_path)


def test_clean_corpus_passes_and_publishes_nothing(settings):
    corpus = load_corpus(settings.corpus_dir)
    result = kb(settings, "check")
    assert result.exit_code == 0, result.output
    phrasings = sum(len(e.questions) for e in corpus.faq)
    assert result.stdout.startswith(f"OK: {len(corpus.faq)} FAQ entries ({phrasings} questions), "
                                    f"{len(corpus.contacts)} contacts, {len(corpus.topics)} topics")
    assert f"each of the {phrasings} questions asked is answered by its own entry" in result.stdout
    assert not settings.index_root.exists()


def test_static_check_loads_what_load_corpus_loads(settings):
    """kb build indexes the corpus the check returns: it must be exactly load_corpus's."""
    checked, problems = static_check(settings.corpus_dir)
    loaded = load_corpus(settings.corpus_dir)
    assert problems == []
    for part in ("plans", "units", "faq", "contacts", "topics", "where"):
        assert getattr(checked, part) == getattr(loaded, part), part
    assert checked.lexicon == loaded.lexicon


def test_every_problem_is_reported_at_its_line(settings):
    faq = Path("corpus/faq")
    finance, trademark, patent = faq / "finance.yaml", faq / "trademark.yaml", faq / "patent.yaml"
    expected = []

    # unknown plan unit id, at the line of that source
    edit(finance, "      - plan:5.1.3\n      - plan:box4.4\n    topics:\n      - finance\n    contacts:\n"
                  "      - amr\n      - windows\n      - hotline-12345\n    reviewed: 2026-11-25\n\n"
                  "  - id: pledge-bank-matching",
         "      - plan:5.1.99\n      - plan:box4.4\n    topics:\n      - finance\n    contacts:\n"
         "      - amr\n      - windows\n      - hotline-12345\n    reviewed: 2026-11-25\n\n"
         "  - id: pledge-bank-matching")
    expected.append(f"{finance}:{line_no(finance, 'plan:5.1.99')}: FAQ entry 'pledge-financing' sources: "
                    "unknown plan unit id 'plan:5.1.99' (see `kb units`)")
    # an empty answer
    start = line_no(finance, "- id: pledge-bank-matching")
    text = finance.read_text(encoding="utf-8").splitlines(keepends=True)
    answer_line = line_no(finance, "    answer: ", after=start)
    text[answer_line - 1] = '    answer: ""\n'
    finance.write_text("".join(text), encoding="utf-8")
    expected.append(f"{finance}:{answer_line}: FAQ entry 'pledge-bank-matching': 'answer' is empty")
    # a misspelt field: reported where it is, and the missing one at the entry
    start = line_no(finance, "- id: pledge-training")
    text = finance.read_text(encoding="utf-8").splitlines(keepends=True)
    answer_line = line_no(finance, "    answer: ", after=start)
    text[answer_line - 1] = text[answer_line - 1].replace("answer:", "anwser:")
    finance.write_text("".join(text), encoding="utf-8")
    expected += [f"{finance}:{start}: FAQ entry 'pledge-training': 'answer' is missing",
                 f"{finance}:{answer_line}: FAQ entry 'pledge-training': unknown field 'anwser' "
                 "(misspelt? see corpus/README.md for the fields)"]
    # the same question in two entries (punctuation and full-width aside)
    edit(patent, "    questions:\n", "    questions:\n      - 专利能拿去银行贷款吗？\n", first=True)
    expected.append(f"{patent}:{line_no(patent, '专利能拿去银行贷款吗？')}: question '专利能拿去银行贷款吗？' of entry "
                    f"'{load_first_id(patent)}' is also a question of entry 'pledge-financing' "
                    f"({finance}:{line_no(finance, '专利能拿去银行贷款吗')})")
    # a blank question, at its own line
    edit(trademark, "    questions:\n", "    questions:\n      - '   '\n", first=True)
    expected.append(f"{trademark}:{line_no(trademark, chr(39) + '   ' + chr(39))}: "
                    f"FAQ entry '{load_first_id(trademark)}': question 1 is blank")
    # a duplicate FAQ id in another file, with both places
    copyright_ = faq / "copyright.yaml"
    first_copyright = load_first_id(copyright_)
    edit(copyright_, f"  - id: {first_copyright}\n", "  - id: pledge-financing\n")
    # (files are read in name order: copyright.yaml defines it first)
    expected.append(f"{finance}:{line_no(finance, '- id: pledge-financing')}: duplicate FAQ id "
                    f"'pledge-financing' (also defined at {copyright_}:{line_no(copyright_, '- id: pledge-financing')})")
    # too few questions; an id that is not an id
    talent = faq / "talent.yaml"
    talent_id = load_first_id(talent)
    edit(talent, f"  - id: {talent_id}\n", "  - id: Talent_Entry\n")
    expected.append(f"{talent}:{line_no(talent, 'Talent_Entry')}: FAQ entry 'Talent_Entry': 'id': id must be "
                    "lower-case letters, digits and '-' (e.g. pledge-financing)")
    # unknown topic and contact ids in topics.yaml / a duplicate contact
    topics, contacts = Path("corpus/topics.yaml"), Path("corpus/contacts.yaml")
    edit(topics, "    contacts:\n      - ", "    contacts:\n      - tax-bureau\n      - ", first=True)
    expected.append(f"{topics}:{line_no(topics, 'tax-bureau')}: topic '{load_first_id(topics)}' contacts: "
                    "unknown contact 'tax-bureau'")
    contacts_text = contacts.read_text(encoding="utf-8")
    contacts.write_text(contacts_text + "  - id: amr\n    name: 重复的部门\n    handles: [咨询]\n", encoding="utf-8")
    expected.append(f"{contacts}:{line_no(contacts, '重复的部门') - 1}: duplicate contact id 'amr' "
                    f"(also defined at {contacts}:{line_no(contacts, '- id: amr')})")
    # a YAML syntax error, at its exact line
    overseas = faq / "overseas.yaml"
    edit(overseas, "    questions:\n", "    questions: [没有闭合的括号\n", first=True)
    expected.append(f"{overseas}:{line_no(overseas, 'answer:')}: YAML syntax error: expected ',' or ']', but got "
                    f"':' (while parsing a flow sequence that starts at line {line_no(overseas, '没有闭合的括号')})")
    # a dictionary line
    synonyms = Path("corpus/dict/synonyms.txt")
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "没有冒号的一行\n", encoding="utf-8")
    expected.append(f"{synonyms}:{line_no(synonyms, '没有冒号的一行')}: expected 'term: variant variant …', "
                    "got '没有冒号的一行'")
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "借钱: *借\n", encoding="utf-8")
    expected.append(f"{synonyms}:{line_no(synonyms, '借钱: *借')}: a split form is 'first*second' (贷*款), "
                    "got '*借'")
    out_of_scope = Path("corpus/dict/out_of_scope.txt")
    out_of_scope.write_text(out_of_scope.read_text(encoding="utf-8") + "多少钱 |\n", encoding="utf-8")
    expected.append(f"{out_of_scope}:{line_no(out_of_scope, '多少钱 |')}: expected 'word word … | exception "
                    "exception …', got '多少钱 |'")
    figure_words = Path("corpus/dict/figure_words.txt")
    figure_words.write_text(figure_words.read_text(encoding="utf-8") + "years: 去年=上一年\n", encoding="utf-8")
    expected.append(f"{figure_words}:{line_no(figure_words, 'years: 去年=上一年')}: expected "
                    "'years: 今年=0 去年=-1 …', got '去年=上一年'")
    dialect = Path("corpus/dict/dialect.txt")
    dialect.write_text(dialect.read_text(encoding="utf-8") + "咋个怎么\n", encoding="utf-8")
    expected.append(f"{dialect}:{line_no(dialect, '咋个怎么')}: expected 'term: variant variant …', got '咋个怎么'")

    result = kb(settings, "check")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert sorted(lines) == sorted(expected)
    assert f"{len(result.stdout.splitlines())} problem(s) found" in result.stderr
    assert not settings.index_root.exists()


def load_first_id(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("  - id: "):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no entry in {path}")


def test_unknown_topic_and_contact_of_an_faq_entry(settings):
    finance = Path("corpus/faq/finance.yaml")
    edit(finance, "    topics:\n      - finance\n      - talent\n", "    topics:\n      - finance\n      - talents\n")
    start = line_no(finance, "- id: pledge-training")
    edit(finance, "      - hotline-12345\n    reviewed: 2026-11-25\n\n  - id: tech-enterprise-list",
         "      - hotline-12346\n    reviewed: 2026-11-25\n\n  - id: tech-enterprise-list")
    _, problems = static_check(settings.corpus_dir)
    assert [str(p) for p in problems] == [
        f"{finance}:{line_no(finance, '- talents', after=start)}: FAQ entry 'pledge-training' topics: "
        "unknown topic 'talents'",
        f"{finance}:{line_no(finance, 'hotline-12346')}: FAQ entry 'pledge-training' contacts: "
        "unknown contact 'hotline-12346'",
    ]


STRAY = "专利能拿去银行贷款"  # pledge-financing asks 专利能拿去银行贷款吗: the same words (吗 is a stop word)


def assert_tie_reported(problems: list[str], path: Path) -> None:
    """After STRAY is added to pledge-training the two entries tie on these words. Whichever way the
    tie goes, the phrasing that lost is reported at its own line, naming the entry that won."""
    lines = path.read_text(encoding="utf-8").splitlines()
    either = (f"{path}:{lines.index(f'      - {STRAY}') + 1}: question '{STRAY}' of entry 'pledge-training' "
              "is answered by entry 'pledge-financing'",
              f"{path}:{lines.index(f'      - {STRAY}吗') + 1}: question '{STRAY}吗' of entry 'pledge-financing' "
              "is answered by entry 'pledge-training'")
    assert len(problems) == 1 and problems[0].startswith(either), problems


def test_a_question_answered_by_another_entry(settings):
    finance = Path("corpus/faq/finance.yaml")
    edit(finance, "      - 想学学专利质押的流程\n", f"      - 想学学专利质押的流程\n      - {STRAY}\n")
    report = check_corpus(settings)
    assert_tie_reported([str(p) for p in report.problems], finance)
    assert report.problems[0].message.endswith(("reword it, or move it to 'pledge-financing'",
                                                "reword it, or move it to 'pledge-training'"))
    assert report.questions_asked == sum(len(e.questions) for e in load_corpus(settings.corpus_dir).faq)


def test_build_refuses_with_every_problem_and_publishes_nothing(settings):
    finance = Path("corpus/faq/finance.yaml")
    edit(finance, "      - plan:box4.4\n    topics:\n      - finance\n      - talent\n",
         "      - plan:box4.44\n    topics:\n      - finance\n      - talent\n")
    edit(finance, "  - id: tech-enterprise-list\n", "  - id: tech-enterprise-list\n    extra: 1\n")
    with pytest.raises(CorpusError) as caught:
        build_and_publish(settings, gate=False)
    lines = str(caught.value).splitlines()
    assert lines == ["the corpus has 2 problem(s); nothing was published:",
                     f"{finance}:{line_no(finance, 'plan:box4.44')}: FAQ entry 'pledge-training' sources: "
                     "unknown plan unit id 'plan:box4.44' (see `kb units`)",
                     f"{finance}:{line_no(finance, 'extra: 1')}: FAQ entry 'tech-enterprise-list': unknown field "
                     "'extra' (misspelt? see corpus/README.md for the fields)"]
    assert not (settings.index_root / "builds").exists() or not any((settings.index_root / "builds").iterdir())


# ---- kb faq new ----------------------------------------------------------------------------------
def fill_in(path: Path, entry_id: str, sources: str = "plan:5.1.3") -> None:
    """What staff do: replace every placeholder of the template with real content."""
    text = path.read_text(encoding="utf-8")
    for old, new in ((f'"{PLACEHOLDER}：第一种问法"', "万州有没有知识产权吉祥物征集"),
                     (f'"{PLACEHOLDER}：第二种问法"', "知识产权吉祥物征集活动怎么参加"),
                     (f'"{PLACEHOLDER}：第三种问法"', "吉祥物征集啥时候开始"),
                     (f'- id: "{PLACEHOLDER}"', f"- id: {entry_id}"),
                     (f'    - "{PLACEHOLDER}"\n  topics', f"    - {sources}\n  topics"),
                     (f'      - "{PLACEHOLDER}"\n    topics', f"      - {sources}\n    topics"),
                     (f'      - "{PLACEHOLDER}"\n    contacts', "      - finance\n    contacts")):
        text = text.replace(old, new)
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.lstrip().startswith(f'answer: "{PLACEHOLDER}'):
            lines[i] = line[: line.index("answer:")] + "answer: 规划没有提到吉祥物征集，请向知识产权综合咨询服务窗口了解。\n"
    path.write_text("".join(lines), encoding="utf-8")


def test_faq_new_appends_a_template_that_check_rejects_until_filled(settings):
    finance = Path("corpus/faq/finance.yaml")
    before = finance.read_text(encoding="utf-8")
    result = kb(settings, "faq", "new", "--topic", "finance")
    assert result.exit_code == 0, result.output
    location = result.stdout.split(": ", 1)[0]
    line = int(location.rsplit(":", 1)[1])
    assert location == f"{finance}:{line}"
    after = finance.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # every existing line and comment kept
    assert after.splitlines()[line - 1].startswith(f'  - id: "{PLACEHOLDER}"  # ')

    _, problems = static_check(settings.corpus_dir)
    assert problems and all(p.file == str(finance) and p.line >= line for p in problems)
    assert {p.message.split("'")[1] for p in problems} == {"id", "questions.0", "questions.1", "questions.2",
                                                           "answer", "sources.0"}
    assert all(PLACEHOLDER in p.message for p in problems)
    assert kb(settings, "check", "--quick").exit_code == 1

    fill_in(finance, "ip-mascot")
    _, problems = static_check(settings.corpus_dir)
    assert problems == []
    entry = next(e for e in load_corpus(settings.corpus_dir).faq if e.id == "ip-mascot")
    assert entry.topics == ["finance"] and entry.sources == ["plan:5.1.3"] and len(entry.questions) == 3


def test_faq_new_without_topic_creates_drafts_file(settings):
    drafts = Path("corpus/faq/drafts.yaml")
    result = kb(settings, "faq", "new", "--id", "brand-new-entry")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{drafts}:")
    _, problems = static_check(settings.corpus_dir)
    messages = {p.message for p in problems}
    assert all(p.file == str(drafts) for p in problems)
    assert "FAQ entry 'brand-new-entry': 'topics.0' still says 待补充: replace it with the real text" in messages
    # a second template in the same file: both blocked, no duplicate-id noise between the placeholders
    assert kb(settings, "faq", "new").exit_code == 0
    _, problems = static_check(settings.corpus_dir)
    assert not any("duplicate" in p.message for p in problems)
    assert len({p.line for p in problems if "'id'" in p.message}) == 1


@pytest.mark.parametrize("args, error", [
    (("--topic", "weather"), "unknown topic 'weather'"),
    (("--id", "pledge-financing"), "an FAQ entry with id 'pledge-financing' already exists"),
    (("--id", "Bad Id"), "'Bad Id' is not a valid id"),
])
def test_faq_new_refuses_bad_input(settings, args, error):
    before = {p: p.read_bytes() for p in Path("corpus/faq").glob("*.yaml")}
    result = kb(settings, "faq", "new", *args)
    assert result.exit_code == 1 and error in result.stderr
    assert {p: p.read_bytes() for p in Path("corpus/faq").glob("*.yaml")} == before


def test_faq_new_follows_the_file_indentation(settings):
    odd = Path("corpus/faq/finance.yaml")
    text = odd.read_text(encoding="utf-8")
    # the same file with the list written flush left ("entries:\n- id: …") is valid YAML too
    flush = "\n".join(line[2:] if line.startswith("  ") else line for line in text.splitlines()) + "\n"
    odd.write_text(flush, encoding="utf-8")
    assert static_check(settings.corpus_dir)[1] == []
    result = kb(settings, "faq", "new", "--topic", "finance", "--id", "flush-left")
    assert result.exit_code == 0, result.output
    assert odd.read_text(encoding="utf-8").splitlines()[int(result.stdout.split(":")[1]) - 1].startswith("- id: flush-left")
    fill_in(odd, "flush-left")
    assert static_check(settings.corpus_dir)[1] == []
