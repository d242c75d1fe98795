"""A progress bar on stderr for long work (``import``, ``ingest``), shown only on a terminal.

Nothing is drawn for the first ``DELAY`` seconds, so work that takes less than that stays
silent; nothing at all is written when stderr is not a terminal (a pipe, a file, cron, tests).
The bar is click's ``progressbar``, imported only once it is drawn.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any, TextIO

DELAY = 1.0  # seconds of work before a bar appears
EVERY = 64  # items between looks at the clock
REDRAW = 0.1  # seconds between redraws


class Progress:
    """``with Progress(total, label) as bar: ... bar.advance()`` once per item done."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total, self.label = total, label
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self._shown = 0  # items the bar has been told of
        self._bar: Any = None
        self._start = self._drawn = time.monotonic()
        self._terminal = _is_terminal(self.stream)

    def __enter__(self) -> Progress:
        self._start = time.monotonic()
        return self

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._terminal and self.done % EVERY < n:
            self._draw()

    def _draw(self, last: bool = False) -> None:
        now = time.monotonic()
        if self._bar is None:
            if now - self._start < DELAY:
                return
            import click

            self._bar = click.progressbar(length=self.total, label=self.label, file=self.stream)
            self._bar.__enter__()
        elif now - self._drawn < REDRAW and not last:
            return
        self._bar.update(self.done - self._shown)
        self._shown, self._drawn = self.done, now

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._draw(last=True)
            self._bar.__exit__(kind, error, tb)
            self._bar = None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


__all__ = ["Progress"]
