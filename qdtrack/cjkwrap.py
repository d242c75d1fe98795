"""Help text that wraps Chinese by its display width.

Click wraps help with ``textwrap``: it counts characters (a Chinese character takes two
columns) and breaks only at spaces (Chinese has none), and it joins a paragraph's lines
with spaces. ``CJKFormatter`` keeps click's behaviour for text without wide characters
and otherwise wraps by display width, between any two Chinese characters, never
starting a line with closing punctuation (，。；：）…). ``TrContext`` makes commands use it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

import click
from click.formatting import HelpFormatter, iter_rows, wrap_text

#: Set by ``qdtrack.i18n.activate``: the help being shown is Chinese.
chinese = False

_NO_LINE_START = frozenset("，。、；：？！）》」』】”’…%,.;:!?)")


def _is_wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal."""
    return sum(2 if _is_wide(c) else 1 for c in text)


def has_wide(text: str) -> bool:
    return any(_is_wide(c) for c in text)


def _units(text: str) -> list[str]:
    """Where a line may break: runs of narrow characters, single wide characters, spaces."""
    units: list[str] = []
    run = ""
    for c in text:
        if c == " " or _is_wide(c):
            if run:
                units.append(run)
                run = ""
            units.append(c)
        else:
            run += c
    return units + [run] if run else units


def _fill(text: str, limit: int, indent: str) -> list[str]:
    lines: list[str] = []
    line, used = indent, width(indent)
    for unit in _units(text):
        fresh = line == indent
        if unit == " " and (fresh or used + 1 > limit):
            continue
        if not fresh and used + width(unit) > limit and unit not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = indent, width(indent)
            if unit == " ":
                continue
        line += unit
        used += width(unit)
    return lines + [line.rstrip()]


def _join(lines: list[str]) -> str:
    """A paragraph's lines as one: no space where both sides are Chinese."""
    text = ""
    for line in lines:
        if text and not (_is_wide(text[-1]) and _is_wide(line[0])):
            text += " "
        text += line
    return text


def wrap(text: str, limit: int, indent: str = "") -> str:
    """Click's ``wrap_text(..., preserve_paragraphs=True)``, by display width for Chinese."""
    if not has_wide(text):
        return wrap_text(text, limit, initial_indent=indent, subsequent_indent=indent, preserve_paragraphs=True)
    paragraphs: list[list[str]] = [[]]
    for line in text.expandtabs().splitlines():
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    out = []
    for par in (p for p in paragraphs if p):
        pad = indent + " " * (len(par[0]) - len(par[0].lstrip()))
        if par[0].strip() == "\b":
            out.append("\n".join((pad + line).rstrip() for line in par[1:]))  # as written, like click
        else:
            out.append("\n".join(_fill(_join([line.strip() for line in par]), limit, pad)))
    return "\n\n".join(out)


class CJKFormatter(HelpFormatter):
    """Click's formatter, wrapping Chinese help by display width (English help, even with a
    Chinese word in it, wraps exactly as click wraps it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chinese = chinese

    def write_heading(self, heading: str) -> None:
        if not self.chinese:
            return super().write_heading(heading)
        self.write(f"{'':>{self.current_indent}}{heading}：\n")  # a full-width colon, as after 用法

    def write_text(self, text: str) -> None:
        if not self.chinese:
            return super().write_text(text)
        self.write(wrap(text, self.width, " " * self.current_indent))
        self.write("\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not self.chinese or not any(has_wide(first + second) for first, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max(width(first) for first, _second in rows), col_max) + col_spacing
        for first, second in iter_rows(rows, 2):
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - 2, 10)).splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class TrContext(click.Context):
    formatter_class = CJKFormatter
