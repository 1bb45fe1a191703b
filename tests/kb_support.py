"""Helpers shared by tests (a module of its own: every test directory has a conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kb.settings import PROJECT_ROOT, KbSettings

CORPUS = PROJECT_ROOT / "corpus"


def make_settings(root: Path, **overrides) -> KbSettings:
    """Settings pointing at a private copy of the corpus and a private data folder under ``root``."""
    corpus = root / "corpus"
    if not corpus.exists():
        shutil.copytree(CORPUS, corpus)
    return KbSettings(corpus_dir=corpus, data_dir=root / "var", **overrides)
