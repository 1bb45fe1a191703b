"""Shared fixtures: a real corpus copied to a temporary folder and a real on-disk index built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.settings import PROJECT_ROOT, KbSettings

CORPUS = PROJECT_ROOT / "corpus"


def make_settings(root: Path, **overrides) -> KbSettings:
    """Settings pointing at a private copy of the corpus and a private data folder under ``root``."""
    corpus = root / "corpus"
    if not corpus.exists():
        shutil.copytree(CORPUS, corpus)
    return KbSettings(corpus_dir=corpus, data_dir=root / "var", **overrides)


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory) -> KbSettings:
    """Settings whose index has been built once for the whole test session (read-only use)."""
    from kb.publish import build_and_publish

    settings = make_settings(tmp_path_factory.mktemp("kb"))
    build_and_publish(settings, gate=False)
    return settings


@pytest.fixture(scope="session")
def live_kb(built_settings):
    from kb.service import LiveKnowledgeBase

    return LiveKnowledgeBase(built_settings, build_if_needed=False)


@pytest.fixture
def question_log(tmp_path):
    from kb.question_log import QuestionLog

    log = QuestionLog(tmp_path / "questions.sqlite3")
    yield log
    log.close()
