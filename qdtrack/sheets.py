"""Read update rows from a spreadsheet or file: path -> rows, no ledger.

``.csv`` (UTF-8 with or without BOM; GB18030 as Excel saves it in China),
``.xlsx`` (openpyxl) and ``.json`` (an export). One row per update, columns
``id, quarter, value, metric, note`` (or 序号, 季度, 数值, 指标, 进展情况),
optional ``status`` and ``correction``; others are ignored.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import pathlib

from .errors import BadInput

COLUMNS = {
    "id": ("id", "序号", "编号"),
    "quarter": ("quarter", "季度"),
    "value": ("value", "数值"),
    "metric": ("metric", "指标"),
    "note": ("note", "进展情况"),
    "status": ("status",),
    "correction": ("correction", "更正"),
}
ALIASES = {alias: key for key, names in COLUMNS.items() for alias in names}
COLUMN_HINT = "id, quarter, value, metric, note (or 序号, 季度, 数值, 指标, 进展情况)"
UPDATE_SHEETS = ("更新", "updates")


# -- reading -------------------------------------------------------------------------


def _header_key(text) -> str | None:
    if text is None:
        return None
    h = str(text).replace("\ufeff", "").strip().lower()
    return ALIASES.get(h)


def cell_text(value) -> str | None:
    """A cell as the text a user would type; empty cells are None."""
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
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]  # undo the spreadsheet-safety quote our own exports add
    return text or None


def _rows_from_table(table, source: str):
    """``table``: iterable of lists (header first). Yields (row number, {column: text})."""
    it = iter(table)
    header = None
    for n, row in enumerate(it, start=1):
        if row and any(cell_text(c) for c in row):
            header = (n, list(row))
            break
    if header is None:
        raise BadInput(f"{source} is empty; it needs a header row with the columns {COLUMN_HINT}")
    first, names = header
    index = {}
    for i, name in enumerate(names):
        key = _header_key(name)
        if key and key not in index:
            index[key] = i
    if "id" not in index:
        raise BadInput(
            f"{source} has no id column (序号); its header row (row {first}) must name the columns {COLUMN_HINT}"
        )
    if "quarter" not in index:
        raise BadInput(f"{source} has no quarter column (季度); add one with quarters such as 2025Q2")
    out = []
    for n, row in enumerate(it, start=first + 1):
        cells = list(row)
        values = {k: cell_text(cells[i]) if i < len(cells) else None for k, i in index.items()}
        if not any(cell_text(c) for c in cells):
            continue  # a blank line
        out.append((n, values))
    return out


def read_update_rows(file: str) -> list[tuple[int, dict]]:
    """[(row number, {column: text or None})] from a .csv, .xlsx or .json file."""
    path = pathlib.Path(file)
    ext = path.suffix.lower()
    if ext not in (".csv", ".xlsx", ".json"):
        raise BadInput(
            f"cannot import {file}: unknown file type {ext or '(none)'}; give a .csv or .xlsx file (or a .json from qdtrack export)"
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"cannot import {file}: no such file; check the path") from None
    except IsADirectoryError:
        raise BadInput(f"cannot import {file}: it is a folder; give a .csv or .xlsx file") from None
    except OSError as e:
        raise BadInput(f"cannot read {file}: {e.strerror}; check its permissions") from None
    if ext == ".csv":
        rows = _rows_from_table(csv.reader(io.StringIO(_decode(data, file), newline="")), file)
    elif ext == ".xlsx":
        rows = _rows_from_table(_xlsx_table(data, file), file)
    else:
        rows = _json_rows(data, file)
    if not rows:
        raise BadInput(f"{file} holds no update rows under its header; add one row per update")
    return rows


def _decode(data: bytes, file: str) -> str:
    if b"\x00" in data[:4096]:
        raise BadInput(f"cannot import {file}: it is not a text CSV file (save it as CSV UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise BadInput(f"cannot import {file}: it is neither UTF-8 nor GB18030 text; save it as CSV UTF-8") from None


def _xlsx_table(data: bytes, file: str):
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise BadInput(f"cannot import {file}: not a readable .xlsx workbook ({e}); save it again as .xlsx") from None
    try:
        names = {n.strip().lower(): n for n in wb.sheetnames}
        sheet = next((wb[names[s]] for s in UPDATE_SHEETS if s in names), wb.worksheets[0])
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()


def _json_rows(data: bytes, file: str):
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadInput(f"cannot import {file}: not valid JSON ({e}); give a file made by qdtrack export") from None
    items = obj.get("updates") if isinstance(obj, dict) else obj
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BadInput(
            f"cannot import {file}: expected a list of updates (the 'updates' of qdtrack export --format json)"
        )
    out = []
    for n, item in enumerate(items, start=1):
        values = {}
        for name, value in item.items():
            key = _header_key(name)
            if key and key not in values:
                values[key] = cell_text(value)
        if "id" not in values:
            raise BadInput(f"{file} row {n}, column id: missing; every update needs the task's id")
        values.setdefault("quarter", None)
        out.append((n, values))
    return out
