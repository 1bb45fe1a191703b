"""Shared fixtures: a real corpus copied to a temporary folder and a real on-disk index built from it."""

from __future__ import annotations

import pytest

from kb_support import make_settings  # noqa: F401  (re-exported for fixtures below)


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


@pytest.fixture(scope="session")
def queries(built_settings):
    """The question analyser of the built index: how a question is read, before any answer."""
    from kb.publish import published_dir
    from kb.snapshot import Snapshot

    return Snapshot.open(published_dir(built_settings), built_settings).answerer.queries


@pytest.fixture
def question_log(tmp_path):
    from kb.question_log import QuestionLog

    log = QuestionLog(tmp_path / "questions.sqlite3")
    yield log
    log.close()
