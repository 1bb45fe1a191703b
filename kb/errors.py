"""Errors the knowledge base raises; channels and the CLI turn them into one clear message."""


class KbError(Exception):
    """Base class: the message is meant for the person who ran the command."""


class CorpusError(KbError):
    """A corpus file is malformed; the message starts with ``file:line:``."""


class IndexMissingError(KbError):
    """No usable index has been published yet."""


class IndexDamagedError(IndexMissingError):
    """The published index exists but cannot be read (a file missing or garbled)."""


class QualityGateError(KbError):
    """A new index scores below the one serving now; it was not published."""
