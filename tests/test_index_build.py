"""Building and publishing the index: fresh directory per build, atomic switch, rebuild when stale,
one clear error for a damaged index."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb_support import make_settings
from kb.cli import main
from kb.publish import build_and_publish, fingerprint, published_dir

STAMP = re.compile(r"^\d{8}-\d{6}-\d{6}$")


def kb(settings, *args: str, env: dict | None = None):
    """Run the ``kb`` command in-process against the settings' corpus and data folders."""
    environment = {"KB_CORPUS_DIR": str(settings.corpus_dir), "KB_DATA_DIR": str(settings.data_dir),
                   **(env or {})}
    return CliRunner().invoke(main, list(args), env=environment)


def current_target(settings) -> Path:
    link = settings.index_root / "current"
    assert link.is_symlink()
    return (link.parent / os.readlink(link)).resolve()


def finished_builds(settings) -> list[Path]:
    return sorted(p for p in (settings.index_root / "builds").iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A corpus copy with one published index, copied afresh by ``fresh`` for tests that change it."""
    root = tmp_path_factory.mktemp("pristine")
    build_and_publish(make_settings(root), gate=False)
    return root


@pytest.fixture
def fresh(pristine, tmp_path):
    """A private copy of the pristine index, up to date with the code as it is now.

    (The build code may be edited while a long test run goes on; the copy's manifest then gets the
    current fingerprint, so that only what a test does to it can make it stale.)
    """
    root = tmp_path / "kb"
    shutil.copytree(pristine, root, symlinks=True)
    settings = make_settings(root)
    manifest_path = current_target(settings) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["fingerprint"] = fingerprint(settings)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return settings


# ---- kb build ---------------------------------------------------------------------------------
def test_build_creates_a_build_folder_and_the_current_link(tmp_path):
    settings = make_settings(tmp_path)
    result = kb(settings, "build", "--no-gate")
    assert result.exit_code == 0, result.output
    builds = finished_builds(settings)
    assert len(builds) == 1 and STAMP.match(builds[0].name)
    assert f"published {builds[0].name}" in result.output
    link = settings.index_root / "current"
    assert not os.path.isabs(os.readlink(link))  # relative: the data folder can be moved
    assert current_target(settings) == builds[0]
    manifest = json.loads((builds[0] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["fingerprint"] == fingerprint(settings)
    assert manifest["units"] >= 100 and manifest["plans"] == ["plan"]
    assert (builds[0] / "whoosh").is_dir()
    assert not list((settings.index_root / "builds").glob(".tmp-*"))


def test_second_build_switches_atomically_and_keeps_the_old_build_for_readers(fresh):
    from kb.publish import KEEP_BUILDS
    from kb.service import KnowledgeBase, LiveKnowledgeBase

    first = current_target(fresh)
    reader = KnowledgeBase(first, fresh)  # a process that opened the old build
    live = LiveKnowledgeBase(fresh, build_if_needed=False)
    assert live.version == first.name

    seen: list[str] = []
    problems: list[str] = []
    done = threading.Event()

    def watch() -> None:  # another process resolving `current` all through the publish
        while not done.is_set():
            try:
                target = published_dir(fresh)
                json.loads((target / "manifest.json").read_text(encoding="utf-8"))
                seen.append(target.name)
            except Exception as exc:  # a moment without a complete index would show here
                problems.append(repr(exc))

    builds = fresh.index_root / "builds"
    for n in range(KEEP_BUILDS + 1):  # older builds than the serving one, to be pruned
        shutil.copytree(first, builds / f"20200101-000000-00000{n}", symlinks=True)
    (builds / ".tmp-20200101-000000-000009").mkdir()  # left behind by a crashed build

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        build_and_publish(fresh, gate=False)
    finally:
        done.set()
        watcher.join()

    second = current_target(fresh)
    assert second != first and second.parent == first.parent
    assert problems == []
    assert seen and set(seen) <= {first.name, second.name}
    assert first.is_dir()  # kept for processes still reading it
    kept = finished_builds(fresh)  # the newest few are kept, the oldest and leftovers pruned
    assert len(kept) == KEEP_BUILDS and kept[-2:] == [first, second]
    assert not list(builds.glob(".tmp-*"))
    answer = reader.answer("专利可以质押贷款吗")
    assert answer.answered and answer.citations
    reader.close()
    # a running server follows the new build between two questions
    assert live.answer("专利可以质押贷款吗").answered
    assert live.version == second.name


def test_a_crash_half_way_leaves_the_previous_index_serving(fresh, monkeypatch):
    from kb import index_store

    before = current_target(fresh)

    def crash(corpus, target, cache_dir, manifest):
        target.mkdir(parents=True)
        (target / "units.json").write_text("[", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(index_store, "write_index", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        build_and_publish(fresh, gate=False)
    assert current_target(fresh) == before
    assert finished_builds(fresh) == [before]
    assert not list((fresh.index_root / "builds").glob(".tmp-*"))
    monkeypatch.undo()
    result = kb(fresh, "ask", "专利质押融资")
    assert result.exit_code == 0, result.output
    assert "出自《万州区知识产权“十四五”规划》" in result.stdout


# ---- built on demand, rebuilt when stale -------------------------------------------------------
def test_missing_index_is_built_on_demand(tmp_path):
    settings = make_settings(tmp_path)
    result = kb(settings, "ask", "--json", "专利可以质押贷款吗")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answered"] is True
    assert "published" in result.stderr
    assert len(finished_builds(settings)) == 1


def test_current_pointing_at_a_deleted_build_is_rebuilt(fresh):
    shutil.rmtree(current_target(fresh))
    result = kb(fresh, "ask", "--json", "专利可以质押贷款吗")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answered"] is True
    assert current_target(fresh).is_dir()


def test_unchanged_inputs_are_not_rebuilt(fresh):
    before = current_target(fresh)
    result = kb(fresh, "ask", "专利可以质押贷款吗")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert current_target(fresh) == before
    assert finished_builds(fresh) == [before]


def test_editing_the_dictionary_rebuilds_on_the_next_ask(fresh):
    before = current_target(fresh)
    with (fresh.corpus_dir / "dict" / "userdict.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n数据知识产权 5000\n")
    result = kb(fresh, "ask", "--json", "专利可以质押贷款吗", env={"KB_GATE_MIN_HIT1": "0"})
    assert result.exit_code == 0, result.output
    after = current_target(fresh)
    assert after != before
    manifest = json.loads((after / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["fingerprint"] == fingerprint(fresh)
    lexicon = json.loads((after / "lexicon.json").read_text(encoding="utf-8"))
    assert "数据知识产权" in lexicon["user_words"]
    assert json.loads(result.stdout)["answered"] is True


def test_a_rebuild_refused_by_the_gate_keeps_serving_and_is_not_retried_by_every_command(fresh):
    before = current_target(fresh)
    with (fresh.corpus_dir / "dict" / "userdict.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n数据知识产权 5000\n")
    strict = {"KB_GATE_MIN_HIT1": "1.01"}  # no index can pass: the gate must refuse

    first = kb(fresh, "ask", "专利可以质押贷款吗", env=strict)
    assert first.exit_code == 0, first.output
    assert "kept the serving index" in first.stderr and "below the floor" in first.stderr
    assert "出自" in first.stdout
    assert current_target(fresh) == before

    second = kb(fresh, "ask", "专利可以质押贷款吗", env=strict)
    assert second.exit_code == 0, second.output
    assert "built" not in second.stderr  # not built and evaluated all over again
    assert "refused" in second.stderr
    assert "出自" in second.stdout
    assert current_target(fresh) == before


# ---- a damaged index -------------------------------------------------------------------------
def _garble(path: Path) -> None:
    path.write_bytes(b"\x00garbage\xff" * 8)


DAMAGE = {
    "whoosh segment deleted": lambda d: [p.unlink() for p in (d / "whoosh").glob("*.seg")],
    "whoosh files garbled": lambda d: [_garble(p) for p in (d / "whoosh").iterdir()],
    "whoosh folder deleted": lambda d: shutil.rmtree(d / "whoosh"),
    "manifest garbled": lambda d: _garble(d / "manifest.json"),
    "manifest deleted": lambda d: (d / "manifest.json").unlink(),
    "units garbled": lambda d: _garble(d / "units.json"),
    "analysis truncated": lambda d: (d / "analysis.json").write_text('{"units": {', encoding="utf-8"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_is_one_clear_error(fresh, damage):
    target = current_target(fresh)
    DAMAGE[damage](target)
    result = kb(fresh, "ask", "专利可以质押贷款吗")
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)  # not an uncaught exception
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "damaged" in lines[0] and "kb build" in lines[0]
    assert "Traceback" not in result.output
    assert current_target(fresh) == target  # not replaced behind the user's back


def test_kb_build_repairs_a_damaged_index(fresh):
    damaged = current_target(fresh)
    _garble(damaged / "manifest.json")
    assert kb(fresh, "ask", "专利").exit_code == 3
    result = kb(fresh, "build", "--no-gate")
    assert result.exit_code == 0, result.output
    assert current_target(fresh) != damaged
    again = kb(fresh, "ask", "专利可以质押贷款吗")
    assert again.exit_code == 0 and "出自" in again.stdout


# ---- what a build stores ------------------------------------------------------------------------
def test_the_typo_table_round_trips_through_the_index(built_settings):
    from kb.index_store import StoredIndex, TypoTable

    typos = StoredIndex(published_dir(built_settings)).lexicon.typos
    assert typos.get("质压") == "质押" and typos["地里标志"] == "地理标志"
    assert "质押" not in typos and typos.get("") is None and typos.get("zz", "-") == "-"
    assert len(typos) > 1000

    table = {"质压": "质押", "地里标志": "地理标志", "知识产全": "知识产权", "a\tb": "ab"}
    back = TypoTable.loads(TypoTable.dumps(table))
    assert dict(back) == {k: v for k, v in table.items() if "\t" not in k}
    assert back.get("知识产全") == "知识产权" and "a\tb" not in back


def test_a_misspelling_that_jieba_lists_only_as_a_prefix_or_rarity_is_still_a_typo(built_settings):
    """jieba's dictionary holds 条解 as a prefix (frequency 0) and 专力 as corpus debris (3): neither
    is a word anyone means, so both are read as 调解 and 专利; 地里 (a real word) stays itself."""
    from kb.index_store import StoredIndex

    typos = StoredIndex(published_dir(built_settings)).lexicon.typos
    assert typos.get("专力") == "专利" and typos.get("条解") == "调解"
    assert "地里" not in typos and typos.get("地里标志") == "地理标志"


def test_a_changed_evaluation_set_is_not_compared_with_the_old_figures(fresh):
    """Adding a hard question lowers hit@1 without the index getting worse: only the floor applies."""
    dev = fresh.corpus_dir / "eval" / "dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8")
                   + '  - q: "规划的基本原则有哪些"\n    expect: [plan:box6.2]\n    topic: general\n',
                   encoding="utf-8")
    with (fresh.corpus_dir / "dict" / "userdict.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n数据知识产权 5000\n")  # the index changes too, so there is something to publish
    result = kb(fresh, "build")
    assert result.exit_code == 0, result.output
    assert "evaluation questions changed since the serving index" in result.output
    assert "published" in result.output
    again = kb(fresh, "build", "--force")  # same questions now: compared, and equal
    assert "evaluation: hit@1" in again.output
    assert "evaluation questions changed" not in again.output


def test_a_question_is_read_by_sound_without_loading_pypinyin(built_settings):
    """The characters' readings are stored with the index: a serving process that meets 只是产权 never
    imports pypinyin (0.15 s of a cold start), it looks the readings up."""
    script = ("import sys; from kb.settings import KbSettings; from kb.publish import published_dir; "
              "from kb.snapshot import Snapshot; s = KbSettings(); "
              "q = Snapshot.open(published_dir(s), s).answerer.queries.analyse('科技型小微企业搞只是产权有扶持吗'); "
              "print('知识产权' in q.terms, 'pypinyin' in sys.modules)")
    env = {**os.environ, "KB_CORPUS_DIR": str(built_settings.corpus_dir), "KB_DATA_DIR": str(built_settings.data_dir),
           "KB_CACHE_ROOT": str(built_settings.cache_dir)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
