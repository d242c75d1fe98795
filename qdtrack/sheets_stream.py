"""The update rows of an import file, read in two passes so that ``import`` holds no row it is done with.

The first pass (``open_rows``) reads the whole file and raises everything that makes it unusable,
exactly as ``sheets.read_sheet`` would (unknown type, unreadable bytes, no header, a malformed or
oversized CSV, too many rows, no rows at all), and lists its unreadable cells; it keeps only what
the rows need to be read again and the first row's values. The second pass (iterating the
``Rows``) yields ``(row number, {column: text or None})`` one row at a time, as
``SheetRow.values`` gives them. A CSV is parsed again from its decoded text (cheap, and nothing
per row is held); an .xlsx keeps the text of its known columns from the first pass (openpyxl is
too slow to read it twice); a JSON export is held whole by the JSON parser anyway.
"""

from __future__ import annotations

import pathlib
from collections.abc import Callable, Iterator, Sequence

from .errors import BadInput
from .i18n import _
from .sheets import (
    EXTENSIONS,
    Cell,
    CellError,
    Raw,
    Sheet,
    _find_header,
    _json_sheet,
    column_letter,
    csv_table,
    decode_csv,
    header_index,
    read_bytes,
    shown,
    table_rows,
    xlsx_table,
)

Values = dict[str, str | None]
MAX_UNREADABLE = 21  # unreadable cells kept: import names 20 and says when there are more


class Rows:
    """An import file after its first pass: its rows are read again on each iteration."""

    def __init__(self, source: str, again: Callable[[], Iterator[tuple[int, Values]]]) -> None:
        self.source = source
        self._again = again
        self.count = 0  # rows under the header (blank lines not counted)
        self.first: Values | None = None  # the first row's values
        self.unreadable: list[str] = []  # one line per row with a cell that cannot be read (the first MAX_UNREADABLE)
        self.more_unreadable = False

    @property
    def template(self) -> bool:
        """Whether the file is a filled-in template (it has the 上次填报数 column)."""
        return self.first is not None and "last" in self.first

    def __iter__(self) -> Iterator[tuple[int, Values]]:
        return self._again()

    def _saw(self, number: int, values: Callable[[], Values], problem: str | None) -> None:
        self.count += 1
        if self.first is None:
            self.first = values()
        if problem is not None:
            if len(self.unreadable) < MAX_UNREADABLE:
                self.unreadable.append(problem)
            else:
                self.more_unreadable = True


def _values(row: Sequence[Raw], index: dict[str, int]) -> Values:
    n = len(row)
    return {key: row[i][0] if i < n else None for key, i in index.items()}


def _problem(source: str, number: int, row: Sequence[Raw], index: dict[str, int], names: Sequence[str | None]) -> str | None:
    """The first unreadable cell of a row, as ``SheetRow.check`` words it; None when all can be read."""
    for key, i in index.items():
        if i < len(row) and row[i][1] is not None:
            text, problem = row[i]
            return str(CellError(source, number, key, Cell(text, names[i] or key, column_letter(i), problem)))
    return None


def _table(source: str, table: Callable[[], Iterator[Sequence[Raw]]], keep: bool) -> Rows:
    """Rows of a csv or xlsx table; ``keep``: hold the known columns' text instead of reading it again."""
    it = table()
    first, names = _find_header(it, source)
    index = header_index(names, source, first)
    kept: list[tuple[int, tuple[str | None, ...]]] = []
    keys = tuple(index)

    def again() -> Iterator[tuple[int, Values]]:
        if keep:
            return ((n, dict(zip(keys, texts, strict=True))) for n, texts in kept)
        rows = table()
        for _skipped in range(first):  # the title rows and the header, found in the first pass
            next(rows)
        columns = tuple(index.items())
        return ((n, {key: row[i][0] if i < len(row) else None for key, i in columns}) for n, row in table_rows(rows, index, first, source))

    out = Rows(source, again)
    for n, row in table_rows(it, index, first, source):
        out._saw(n, lambda: _values(row, index), _problem(source, n, row, index, names))  # noqa: B023 - called at once
        if keep:
            kept.append((n, tuple(_values(row, index).values())))
    return out


def _sheet(sheet: Sheet) -> Rows:
    out = Rows(sheet.source, lambda: ((row.number, row.values()) for row in sheet.rows))
    for row in sheet.rows:
        try:
            row.check(sheet.source)
            problem = None
        except CellError as e:
            problem = str(e)
        out._saw(row.number, row.values, problem)
    return out


def open_rows(file: str) -> Rows:
    """The first pass over a .csv, .xlsx or .json file; BadInput (one line) for anything unusable."""
    ext = pathlib.PurePath(file).suffix.lower()
    name = shown(file)
    if ext not in EXTENSIONS:
        raise BadInput(_("cannot import {name}: unknown file type {ext}; give a .csv or .xlsx file (or a .json from qdtrack export)").format(name=name, ext=ext or _("(none)")))  # fmt: skip
    data = read_bytes(file)
    if ext == ".csv":
        text = decode_csv(data, name)
        del data
        rows = _table(name, lambda: csv_table(text, name), keep=False)
    elif ext == ".xlsx":
        rows = _table(name, lambda: iter(xlsx_table(data, name)), keep=True)
    else:
        rows = _sheet(_json_sheet(data, name))
    if not rows.count:
        raise BadInput(_("{name} holds no update rows under its header; add one row per update").format(name=name))
    return rows


__all__ = ["Rows", "Values", "open_rows"]
