"""Read update rows from a spreadsheet or file: path -> rows, no ledger.

``.csv`` (one encoding per file: UTF-8 with or without BOM, or GB18030 as
Excel saves it in China; delimiter comma, semicolon or tab), ``.xlsx``
(openpyxl, read-only) and ``.json`` (an export). One row per update, columns
``id, quarter, value, metric, note`` (or 序号, 季度, 数值, 指标, 进展情况),
optional ``status`` and ``correction``; others are ignored. Title rows above
the header are skipped: the first row naming a known column is the header.

Every row keeps its number and, per field, the column it came from, so a
caller can name both without parsing messages. A cell that cannot be read
(a formula without a saved result, an error value, an oversized cell) is a
``Cell.problem``; ``SheetRow.check`` raises it as a ``CellError``. Anything
hostile or out of bounds (see the ``MAX_*`` limits) is one ``BadInput`` line.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import decimal
import io
import json
import math
import pathlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from .errors import BadInput
from .i18n import N_, _
from .sheets_file import MAX_FILE_BYTES as MAX_FILE_BYTES  # re-exported: the limit of every input file
from .sheets_file import read_bytes as read_bytes
from .sheets_file import shown as shown

MAX_ROWS = 200_000  # rows read from one sheet (header and blank rows included)
MAX_COLUMNS = 256  # columns read from one sheet; a wider declared sheet is refused
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_HEADER_SEARCH = 20  # title rows allowed above the header row
MAX_JSON_DIGITS = 300  # digits in one JSON integer (a float's range)

COLUMNS = {
    "id": ("id", "序号", "编号"),
    "quarter": ("quarter", "季度"),
    "value": ("value", "数值"),
    "metric": ("metric", "指标"),
    "note": ("note", "进展情况"),
    "status": ("status",),
    "correction": ("correction", "更正"),
    "as_of": ("as_of", "截至", "截至日期"),
    "unit": ("unit", "单位"),
    # the cycle (issue 11): an office's 台账, and the history columns of an export
    "increment": ("increment", "本季度新增"), "reporter": ("reporter", "填报单位"),
    "milestones": ("milestones", "时间节点"), "last": ("last", "上次填报数"),
    **{k: (k,) for k in ("uid", "recorded_at", "recorded_by", "source", "withdrawn_reason", "withdrawn_at", "withdrawn_by", "withdrawn_source")},
}  # fmt: skip
ALIASES = {alias: key for key, names in COLUMNS.items() for alias in names} | {"本季度累计": "value"}  # the template's figure
COLUMN_HINT = N_("id, quarter, value, metric, note (or 序号, 季度, 数值, 指标, 进展情况)")
UPDATE_SHEETS = ("更新", "updates")
EXTENSIONS = (".csv", ".xlsx", ".json")

Raw = tuple[str | None, str | None]  # (text, problem) of one cell before the header is known


@dataclasses.dataclass(frozen=True)
class Cell:
    """One field of a row: its text (None when empty), where it came from, and what is wrong with it."""

    text: str | None
    header: str  # the header as written in the file ("数值", "value"; the key for JSON)
    letter: str | None = None  # spreadsheet column letter; None for JSON
    problem: str | None = None  # why the cell cannot be used; None when it can

    @property
    def where(self) -> str:
        return f"{self.header} ({self.letter})" if self.letter else self.header


@dataclasses.dataclass(frozen=True)
class SheetRow:
    """A row under the header: its number as a spreadsheet shows it, its known fields by key."""

    number: int
    cells: Mapping[str, Cell]

    def text(self, key: str) -> str | None:
        cell = self.cells.get(key)
        return cell.text if cell else None

    def values(self) -> dict[str, str | None]:
        """{key: text or None} with every mapped column present (the shape exchange uses)."""
        return {key: cell.text for key, cell in self.cells.items()}

    def check(self, source: str) -> None:
        """Raise CellError for the first field that cannot be read."""
        for key, cell in self.cells.items():
            if cell.problem:
                raise CellError(source, self.number, key, cell)


@dataclasses.dataclass(frozen=True)
class Sheet:
    source: str  # the file name as given, for messages
    header_row: int  # 0 for JSON
    rows: tuple[SheetRow, ...]


class CellError(BadInput):
    """A cell that cannot be read; row, field and column are attributes, not only words."""

    def __init__(self, source: str, row: int, key: str, cell: Cell) -> None:
        self.source, self.row, self.key, self.cell = source, row, key, cell
        extras = [x for x in (cell.header if cell.header.lower() != key else None, cell.letter) if x]
        column = f"{key} ({', '.join(extras)})" if extras else key
        super().__init__(_("{source} row {row}, column {column}: {problem}; nothing was recorded").format(source=source, row=row, column=column, problem=cell.problem))


# -- cells -----------------------------------------------------------------------------


def _header_key(text: object) -> str | None:
    if text is None:
        return None
    h = str(text).replace("\ufeff", "").strip().lower()
    return ALIASES.get(h)


def cell_text(value: object) -> str | None:
    """A cell as the text a user would type; empty cells are None."""
    if type(value) is str:  # a CSV field (the common case): as below, without the type tests
        return _typed(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return _typed(str(value))


def _typed(value: str) -> str | None:
    text = value.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]  # undo the spreadsheet-safety quote our own exports add
    return text or None


def _raw(text: str | None) -> Raw:
    if text is not None and len(text) > MAX_CELL_CHARS:
        return None, _("the cell holds {n:,} characters, more than {limit:,}; shorten it").format(n=len(text), limit=MAX_CELL_CHARS)
    return text, None


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


# -- rows from a table -----------------------------------------------------------------


def _find_header(it: Iterator[Sequence[Raw]], source: str) -> tuple[int, list[str | None]]:
    empty = True
    for n, row in enumerate(it, start=1):
        texts = [text for text, _ in row]
        if any(_header_key(t) for t in texts):
            return n, texts
        empty = empty and not any(texts)
        if n >= MAX_HEADER_SEARCH:
            break
    if empty:
        raise BadInput(_("{source} is empty; it needs a header row with the columns {columns}").format(source=source, columns=COLUMN_HINT))
    raise BadInput(_("{source} has no header row in its first {n} rows; it needs a header row with the columns {columns}").format(source=source, n=MAX_HEADER_SEARCH, columns=COLUMN_HINT))


def sheet_from_table(table: Iterable[Sequence[Raw]], source: str) -> Sheet:
    """``table``: rows of (text, problem), header first (title rows above it are skipped)."""
    it = iter(table)
    first, names = _find_header(it, source)
    index = header_index(names, source, first)
    out = []
    for n, row in table_rows(it, index, first, source):
        cells = {}
        for key, i in index.items():
            text, problem = row[i] if i < len(row) else (None, None)
            cells[key] = Cell(text, names[i] or key, column_letter(i), problem)
        out.append(SheetRow(n, cells))
    return Sheet(source, first, tuple(out))


def table_rows(rows: Iterator[Sequence[Raw]], index: Mapping[str, int], first: int, source: str) -> Iterator[tuple[int, Sequence[Raw]]]:
    """(row number, row) of the rows under the header row ``first``, blank lines skipped (nothing in
    the known columns); BadInput past MAX_ROWS."""
    columns = tuple(index.values())
    for n, row in enumerate(rows, start=first + 1):
        if n > MAX_ROWS:
            raise BadInput(_("{source} has more than {limit:,} rows; split it into smaller files").format(source=source, limit=MAX_ROWS))
        width = len(row)
        for i in columns:
            if i < width and any(row[i]):  # text or a problem
                yield n, row
                break


def header_index(names: Sequence[str | None], source: str, first: int) -> dict[str, int]:
    """{column key: its index} of a header row; BadInput for a key given twice or a missing id or quarter."""
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        key = _header_key(name)
        if key and key in index:
            raise BadInput(_("{source}: columns {a} and {b} both give the {key}; keep one of them").format(source=source, a=column_letter(index[key]), b=column_letter(i), key=key))
        if key:
            index[key] = i
    if "id" not in index:
        raise BadInput(_("{source} has no id column (序号); its header row (row {first}) must name the columns {columns}").format(source=source, first=first, columns=COLUMN_HINT))
    if "quarter" not in index:
        raise BadInput(_("{source} has no quarter column (季度); add one with quarters such as 2025Q2").format(source=source))
    return index


# -- the file ----------------------------------------------------------------------------


def _json_where(e: ValueError) -> str:
    return _("line {line}, column {column}").format(line=e.lineno, column=e.colno) if isinstance(e, json.JSONDecodeError) else str(e)[:80]


def read_sheet(file: str) -> Sheet:
    """The update rows of a .csv, .xlsx or .json file; BadInput (one line) for anything unusable."""
    ext = pathlib.PurePath(file).suffix.lower()
    name = shown(file)
    if ext not in EXTENSIONS:
        raise BadInput(_("cannot import {name}: unknown file type {ext}; give a .csv or .xlsx file (or a .json from qdtrack export)").format(name=name, ext=ext or _("(none)")))
    data = read_bytes(file)
    if ext == ".csv":
        sheet = sheet_from_table(csv_table(data, name), name)
    elif ext == ".xlsx":
        sheet = sheet_from_table(xlsx_table(data, name), name)
    else:
        sheet = _json_sheet(data, name)
    if not sheet.rows:
        raise BadInput(_("{name} holds no update rows under its header; add one row per update").format(name=name))
    return sheet


def read_update_rows(file: str) -> list[tuple[int, dict[str, str | None]]]:
    """[(row number, {column: text or None})], as exchange.plan_import takes them.

    A row with an unreadable cell raises CellError (row and column named).
    """
    sheet = read_sheet(file)
    for row in sheet.rows:
        row.check(sheet.source)
    return [(row.number, row.values()) for row in sheet.rows]


# -- CSV -------------------------------------------------------------------------------------


def _line_encoding(line: bytes) -> str | None:
    """Return "utf-8", "gb18030", or None for a line that reads the same in both; UnicodeDecodeError for neither."""
    if line.isascii():
        return None
    try:
        line.decode("utf-8")
        return "utf-8"  # UTF-8 Chinese also decodes as GB18030 (into other characters): UTF-8 wins
    except UnicodeDecodeError:
        line.decode("gb18030")
        return "gb18030"


def decode_csv(data: bytes, source: str) -> str:
    """The text of a CSV file in one encoding, decided line by line; mixed files are refused."""
    fix = _("save the whole file again as CSV UTF-8")
    if b"\x00" in data:
        raise BadInput(_("cannot import {source}: it holds NUL bytes, so it is not a text CSV file; {fix}").format(source=source, fix=fix))
    bom = data.startswith(b"\xef\xbb\xbf")
    data = data.removeprefix(b"\xef\xbb\xbf")
    first: dict[str, int] = {}  # encoding -> first line in it
    for n, line in enumerate(data.split(b"\n"), start=1):  # b"\n" is never part of a GB18030 character
        try:
            enc = _line_encoding(line)
        except UnicodeDecodeError:
            raise BadInput(_("cannot import {source}: line {n} is neither UTF-8 nor GB18030 text; {fix}").format(source=source, n=n, fix=fix)) from None
        if enc:
            first.setdefault(enc, n)
    if bom and "gb18030" in first:
        raise BadInput(_("cannot import {source}: it is marked UTF-8 but line {line} is GB18030 text; {fix}").format(source=source, line=first['gb18030'], fix=fix))
    if len(first) > 1:
        raise BadInput(_("cannot import {source}: line {line} is UTF-8 but line {line2} is GB18030; a file must use one encoding; {fix}").format(source=source, line=first['utf-8'], line2=first['gb18030'], fix=fix))
    return data.decode("gb18030" if "gb18030" in first else "utf-8")


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: the sniffer's guess, checked against the header it gives."""
    sample = "\n".join(text[:8192].split("\n")[:MAX_HEADER_SEARCH])
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        guess = ","
    for d in dict.fromkeys((guess, ",", ";", "\t")):
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=d))
        except csv.Error:
            continue
        if any(sum(1 for c in row if _header_key(c)) >= 2 for row in rows):
            return d
    return guess


def csv_table(data: bytes | str, source: str) -> Iterator[list[Raw]]:
    """The rows of a CSV file's bytes (or of its text, once ``decode_csv`` has read it)."""
    text = data if isinstance(data, str) else decode_csv(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)  # an unclosed quote never swallows the rows below it
    n = 0
    known: dict[str, Raw] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            limit = csv.field_size_limit()
            why = _("a field is longer than {limit:,} characters; shorten it").format(limit=limit) if "field limit" in str(e) else _("malformed CSV ({error}); check the quotes in it").format(error=e)
            raise BadInput(_("{source} row {row}: {why}; nothing was recorded").format(source=source, row=n + 1, why=why)) from None
        n += 1
        yield [known.get(field) or _csv_cell(field, known) for field in row]


def _csv_cell(field: str, known: dict[str, Raw]) -> Raw:
    """A CSV field as a cell; short ones are remembered (ids, quarters, dates and units repeat down a file)."""
    raw = _raw(cell_text(field))
    if len(field) <= 32:
        if len(known) >= 4096:
            known.clear()  # bounded: what repeats is soon remembered again
        known[field] = raw
    return raw


# -- xlsx ------------------------------------------------------------------------------------


def _is_percent(number_format: str) -> bool:
    """Whether a number format shows a percentage (a % outside quoted text and escapes)."""
    plain = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in plain


def _percent_text(value: int | float) -> str:
    """0.085 shown as 8.5% -> "8.5%", exactly (no float noise, no display rounding)."""
    d = decimal.Decimal(repr(value) if isinstance(value, float) else value) * 100
    return format(d.normalize(), "f") + "%"


def _xlsx_cell(value: object, number_format: str, kind: str) -> Raw:
    from .sheets_xlsx import ERROR, FORMULA

    if kind == FORMULA:
        return None, (
            _("a formula without a saved result; open the file in Excel or LibreOffice, let it calculate and save it")
        )
    if kind == ERROR:
        return None, _("the cell shows the error {value}; fix its formula").format(value=value)
    if isinstance(value, float) and not math.isfinite(value):
        return None, _("the cell is not a finite number")
    if isinstance(value, int | float) and not isinstance(value, bool) and _is_percent(number_format):
        return _raw(_percent_text(value))
    return _raw(cell_text(value))


class _RawRow(Sequence[Raw]):
    """An xlsx row whose cells become text only when asked for (most columns never are)."""

    def __init__(self, facts: Sequence[tuple[Any, str, str]]) -> None:
        self.facts = facts

    def __len__(self) -> int:
        return len(self.facts)

    @overload
    def __getitem__(self, i: int) -> Raw: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Raw]: ...
    def __getitem__(self, i: int | slice) -> Raw | Sequence[Raw]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return _xlsx_cell(*self.facts[i])


def xlsx_table(data: bytes, source: str, sheet: Sequence[str] | None = None) -> Iterator[Sequence[Raw]]:
    from .sheets_xlsx import xlsx_rows

    for row in xlsx_rows(data, source, MAX_ROWS, MAX_COLUMNS, sheet):
        yield _RawRow(row)


# -- JSON ----------------------------------------------------------------------------------


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_DIGITS:
        raise BadInput(_("holds a number with {n:,} digits").format(n=len(text)))
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadInput(_("holds the number {value}, too large").format(value=text[:40]))
    return value


def _json_constant(text: str) -> Any:
    raise BadInput(_("holds {text}, which is not a number").format(text=text))


def _json_load(data: bytes, source: str) -> Any:
    try:
        return json.loads(
            data.decode("utf-8-sig"),
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except BadInput as e:
        raise BadInput(_("cannot import {source}: it {error}; give a file made by qdtrack export").format(source=source, error=e)) from None
    except UnicodeDecodeError:
        raise BadInput(_("cannot import {source}: not UTF-8 text; give a file made by qdtrack export").format(source=source)) from None
    except RecursionError:
        raise BadInput(_("cannot import {source}: its JSON is nested too deeply; give a file made by qdtrack export").format(source=source)) from None
    except (json.JSONDecodeError, ValueError) as e:
        raise BadInput(_("cannot import {source}: not valid JSON ({error}); give a file made by qdtrack export").format(source=source, error=_json_where(e))) from None


def _json_cell(name: str, value: object) -> Cell:
    kind = type(value).__name__ if isinstance(value, dict | list) else None
    kind = "true/false" if isinstance(value, bool) and _header_key(name) != "correction" else kind  # true is no task 1
    if kind:
        return Cell(None, name, None, _("expected text or a number, found a JSON {kind}").format(kind=kind))
    if isinstance(value, str) and re.search("[\ud800-\udfff]", value):
        return Cell(None, name, None, _("holds an escaped lone surrogate (\\ud800-\\udfff), which is not text; fix the file"))
    text, problem = _raw(cell_text(value))
    return Cell(text, name, None, problem)


def _json_sheet(data: bytes, source: str) -> Sheet:
    obj = _json_load(data, source)
    items = obj.get("updates") if isinstance(obj, dict) else obj
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BadInput(_("cannot import {source}: expected a list of updates (the 'updates' of qdtrack export --format json)").format(source=source))
    if len(items) > MAX_ROWS:
        raise BadInput(_("{source} has more than {limit:,} updates; split it into smaller files").format(source=source, limit=MAX_ROWS))
    out = []
    for n, item in enumerate(items, start=1):
        cells: dict[str, Cell] = {}
        for name, value in item.items():
            key = _header_key(name)
            if key and key in cells:
                cells[key] = Cell(None, str(name), None, _("given twice (also as {other}); keep one").format(other=cells[key].header))
            elif key:
                cells[key] = _json_cell(str(name), value)
        if "id" not in cells:
            raise BadInput(_("{source} row {n}, column id: missing; every update needs the task's id").format(source=source, n=n))
        cells.setdefault("quarter", Cell(None, "quarter"))
        out.append(SheetRow(n, cells))
    return Sheet(source, 0, tuple(out))
