"""Helpers shared by tests (a module of its own: every test directory has a conftest.py)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from kb.settings import PROJECT_ROOT, KbSettings

CORPUS = PROJECT_ROOT / "corpus"
# One cache folder for the whole test session: its files are named by what they were built from and
# written atomically, so sharing it only spares every test's build the same jieba and model training.
SHARED_CACHE = Path(tempfile.mkdtemp(prefix="kb-tests-cache-"))


def make_settings(root: Path, **overrides) -> KbSettings:
    """Settings pointing at a private copy of the corpus and a private data folder under ``root``."""
    corpus = root / "corpus"
    if not corpus.exists():
        shutil.copytree(CORPUS, corpus)
    return KbSettings(corpus_dir=corpus, data_dir=root / "var", **{"cache_root": SHARED_CACHE, **overrides})
