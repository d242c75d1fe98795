"""Exceptions raised by the library; the CLI turns them into one-line messages."""


class QdtrackError(Exception):
    """Base class. ``exit_code`` is what the command exits with."""

    exit_code = 2


class BadInput(QdtrackError):
    """The user typed something we cannot use (exit 2)."""

    exit_code = 2


class NotFound(BadInput):
    """An ID, area or year that is not in the ledger (exit 2)."""


class EnvironmentFault(QdtrackError):
    """The ledger file or its folder is unusable (exit 1)."""

    exit_code = 1


class Busy(QdtrackError):
    """Another process holds the write lock for longer than the timeout (exit 3)."""

    exit_code = 3
