"""Build an index into a fresh directory and publish it by switching one symlink atomically.

Layout under ``<data_dir>/index``::

    builds/<stamp>/      complete indexes (the newest few are kept for processes still reading them)
    builds/.tmp-<stamp>/ a build in progress; a crash leaves only this behind, never a half index
    current -> builds/<stamp>   the published one; replaced with os.replace, so readers see old or new

A serving process compares ``current`` with what it has open and switches between two questions.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from kb.errors import CorpusError, IndexDamagedError, IndexMissingError, QualityGateError
from kb.settings import KbSettings

KEEP_BUILDS = 3
CODE_DIR = Path(__file__).resolve().parent


_KB_IMPORT = re.compile(r"^\s*(?:from\s+(kb\.\w+)\s+import|import\s+(kb\.\w+))", re.MULTILINE)


def build_modules(root: str = "kb.index_store") -> list[Path]:
    """The kb modules an index is built by: ``root`` and every kb module it imports, transitively.

    Found by reading the import statements (also those inside functions), so a change to the
    answering or CLI code does not make the index stale, while a change to the parser, normaliser,
    tokenizer or index writer does.
    """
    seen: set[str] = set()
    todo = [root]
    while todo:
        name = todo.pop()
        path = CODE_DIR / (name.split(".", 1)[1] + ".py")
        if name in seen or not path.is_file():
            continue
        seen.add(name)
        todo.extend(a or b for a, b in _KB_IMPORT.findall(path.read_text(encoding="utf-8")))
    return sorted(CODE_DIR / (n.split(".", 1)[1] + ".py") for n in seen)


def fingerprint(settings: KbSettings) -> str:
    """Hash of every input of a build: corpus files, dictionary, and the kb code that builds."""
    digest = hashlib.sha256()
    corpus = settings.corpus_dir
    files = [p for pattern in ("plans/*", "faq/*.yaml", "*.yaml", "dict/*.txt") for p in corpus.glob(pattern)]
    named = [(p.relative_to(corpus).as_posix(), p) for p in sorted(set(files)) if p.is_file()]
    named += [(f"kb/{p.name}", p) for p in build_modules()]
    for name, path in named:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _current_link(settings: KbSettings) -> Path:
    return settings.index_root / "current"


def published_dir(settings: KbSettings) -> Path:
    """The directory of the index published now; IndexMissingError when there is none."""
    link = _current_link(settings)
    try:
        target = (link.parent / os.readlink(link)).resolve()
    except OSError as exc:
        raise IndexMissingError("no index has been published yet: run `kb build`") from exc
    if not (target / "manifest.json").is_file():
        raise IndexMissingError(f"the published index {target} is incomplete: run `kb build`")
    return target


def published_manifest(settings: KbSettings) -> dict | None:
    import json

    try:
        manifest = json.loads((published_dir(settings) / "manifest.json").read_text(encoding="utf-8"))
    except (IndexMissingError, OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def is_stale(settings: KbSettings) -> bool:
    manifest = published_manifest(settings)
    return manifest is None or manifest.get("fingerprint") != fingerprint(settings)


@contextmanager
def build_lock(settings: KbSettings):
    """One build at a time (Whoosh allows one writer; two publishers would race on ``current``)."""
    settings.index_root.mkdir(parents=True, exist_ok=True)
    with open(settings.index_root / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _switch(settings: KbSettings, build: Path) -> None:
    link = _current_link(settings)
    tmp_link = link.with_name(f".current-{os.getpid()}")
    tmp_link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(build, link.parent), tmp_link)
    os.replace(tmp_link, link)


def _prune(settings: KbSettings, keep: Path) -> None:
    builds = settings.index_root / "builds"
    for leftover in builds.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    done = sorted((p for p in builds.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[:-KEEP_BUILDS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def build_and_publish(settings: KbSettings, *, gate: bool = True, force: bool = False,
                      progress=None) -> dict:
    """Check the corpus, build a new index, check and evaluate it, publish it. Returns its manifest.

    Any problem ``kb check`` reports (CorpusError listing them all), a failed gate or a crash leaves the
    serving index untouched: only a complete, checked build is renamed into place and switched to.

    With ``gate``, an index whose evaluation falls below the serving one (or the configured floor)
    is not published (QualityGateError) unless ``force``.
    """
    from kb.check import checked_corpus, require_own_answers
    from kb.index_store import write_index

    say = progress or (lambda message: None)
    corpus = checked_corpus(settings.corpus_dir)  # CorpusError listing every problem `kb check` finds
    with build_lock(settings):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        builds = settings.index_root / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        tmp = builds / f".tmp-{stamp}"
        manifest = {
            "fingerprint": fingerprint(settings),
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "units": len(corpus.units), "faq": len(corpus.faq), "contacts": len(corpus.contacts),
            "plans": sorted(corpus.plans),
        }
        try:
            write_index(corpus, tmp, settings.cache_dir, manifest)
            say(f"built {len(corpus.units)} units, {len(corpus.faq)} FAQ entries")
            asked = require_own_answers(tmp, corpus, settings)  # every FAQ question finds its own entry
            say(f"checked: each of the {asked} FAQ questions is answered by its own entry")
            if gate:
                from kb.quality_gate import evaluate_candidate

                manifest["evaluation"] = evaluate_candidate(tmp, settings, force=force, progress=say)
                (tmp / "manifest.json").write_text(_json(manifest), encoding="utf-8")
            final = builds / stamp
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _switch(settings, final)
        _refused_path(settings).unlink(missing_ok=True)
        _prune(settings, final)
        say(f"published {final.name}")
        return manifest


def _json(data: dict) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=1)


def _refused_path(settings: KbSettings) -> Path:
    return settings.index_root / "refused.json"


def _refused_reason(settings: KbSettings, fingerprint_now: str) -> str | None:
    """Why a build of exactly these inputs was refused by the gate, if it was."""
    import json

    try:
        refused = json.loads(_refused_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return refused.get("reason") if refused.get("fingerprint") == fingerprint_now else None


def is_damaged(settings: KbSettings) -> bool:
    """True when ``current`` points at an existing build whose manifest is missing or unreadable.

    (A ``current`` that points nowhere is a missing index, built on demand; a damaged one is not
    silently replaced: its files may be wanted, and the damage may have a cause worth a look.)
    """
    link = _current_link(settings)
    return link.is_symlink() and link.resolve().is_dir() and published_manifest(settings) is None


def ensure_index(settings: KbSettings, progress=None) -> None:
    """Build and publish when no index exists or the corpus, dictionary or build code changed since.

    The first index is published as it is; a rebuild of a stale one passes the quality gate, and
    when it fails the gate the serving index stays (the report says why) and the same inputs are
    not built again by the next command (``kb build`` still is). A damaged published index raises
    IndexDamagedError rather than being rebuilt behind the user's back.
    """
    say = progress or print
    manifest = published_manifest(settings)
    if manifest is None:
        if is_damaged(settings):
            raise IndexDamagedError(f"the published index {_current_link(settings).resolve()} is damaged "
                                    "(manifest.json missing or unreadable): run `kb build` to rebuild it")
        build_and_publish(settings, gate=False, progress=progress)
        return
    now = fingerprint(settings)
    if manifest.get("fingerprint") == now:
        return
    reason = _refused_reason(settings, now)
    if reason:
        say(f"serving an index older than the corpus (the rebuild was refused: {reason})")
        return
    try:
        build_and_publish(settings, gate=True, progress=progress)
    except (QualityGateError, CorpusError) as exc:  # a failed gate, or a corpus being edited (kb check)
        say(f"kept the serving index: {exc}")
        _refused_path(settings).write_text(_json({"fingerprint": now, "reason": str(exc)}), encoding="utf-8")
