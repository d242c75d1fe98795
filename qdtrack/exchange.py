"""Import entries from a spreadsheet, and export the plan and its history.

Reading files is ``sheets.py``'s job. Importing checks every row by the rules of ``qdtrack
update`` (``recording.plan_entry``) inside ONE write transaction, each row against the ledger
and the rows above it, so it is all or nothing: a bad row rolls everything back and names its
row and column; ``--dry-run`` does the same and rolls back at the end. No SQL here.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from . import recording, rules
from .errors import BadInput
from .ledger import Ledger
from .model import Entry, Task, find_task
from .periods import now_iso, today
from .quantity import QuantityError, canonical_unit, format_quantity, parse_quantity
from .render import to_csv
from .render_json import to_json
from .sheets import cell_text, read_update_rows

#: An option named in ``update``'s messages, and the import column that stands for it.
OPTION = re.compile(r"--([a-z]+)\b")
COLUMN_OF = {"correct": "correction", "on": "as_of"}
TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}
FALSE = {"0", "false", "no", "n", "否"}
T = TypeVar("T")


class RowError(BadInput):
    """A bad row of an import file: its row number and column are data, not parsed text."""

    def __init__(self, file: str, row: int, column: str, message: str) -> None:
        self.file, self.row, self.column = file, row, column
        words = message.replace("add --correct", "set the correction column to 1")
        words = OPTION.sub(lambda m: f"the {COLUMN_OF.get(m.group(1), m.group(1))} column", words)
        super().__init__(f"{file} row {row}, column {column}: {words}; nothing was recorded")


@dataclass(frozen=True)
class Imported:
    row: int
    task: Task
    entry: dict[str, Any]


def _flag(text: str | None) -> bool:
    if text is None:
        return False
    t = text.strip().lower()
    if t in TRUE or t in FALSE:
        return t in TRUE
    raise BadInput(f"{text!r} is not 1 or 0 (yes or no)")


def _at(file: str, n: int, column: str, check: Callable[[], T]) -> T:
    """Run one check of a row; its failure names the row and this column."""
    try:
        return check()
    except BadInput as e:
        raise RowError(file, n, column, str(e)) from None


def _with_unit(file: str, n: int, value: str | None, unit: str | None) -> str | None:
    """The value with the row's unit column added when the value is written without one ("7" + "条").

    A value that already carries its unit (as ``export`` writes "5.9%" beside unit "%") is kept;
    one whose unit contradicts the unit column is refused.
    """
    if value is None or not unit or not unit.strip():
        return value
    try:
        written = parse_quantity(value).unit
    except QuantityError:
        return value  # the value column reports it
    wanted = _at(file, n, "unit", lambda: canonical_unit(unit.strip()))
    if written is None:
        return value + unit.strip()
    if written != wanted:
        why = f"the value {value} is in {written} but the unit column says {unit}; make them agree"
        raise RowError(file, n, "unit", why)
    return value


def _change(file: str, n: int, v: dict[str, str | None], by: str | None) -> recording.Change:
    value, on = _with_unit(file, n, v.get("value"), v.get("unit")), v.get("as_of")
    return recording.Change(
        ref=v["id"] or "", value=value, metric=v.get("metric") if value is not None else None,
        quarter=v.get("quarter") if not on else None, on=on, note=v.get("note"), status=v.get("status"),
        correct=_at(file, n, "correction", lambda: _flag(v.get("correction"))), by=by, source=f"import {file} row {n}",
    )  # fmt: skip


def _check_row(ledger: Ledger, tasks: Sequence[Task], year: int, file: str, n: int, v: dict[str, str | None], by: str | None) -> Imported:
    if not v.get("id"):
        raise RowError(file, n, "id", "empty; give the task's listed number (1-44) or bullet ID")
    task = _at(file, n, "id", lambda: find_task(tasks, v["id"] or ""))
    if not v.get("quarter") and not v.get("as_of"):
        raise RowError(file, n, "quarter", f"empty; give the quarter the figure is for, e.g. {year}Q2")
    if v.get("value") is None and v.get("note") is None and v.get("status") is None:
        raise RowError(file, n, "value", "nothing to record: give a value, a note or a status")
    if v.get("metric") is not None and v.get("value") is None:
        raise RowError(file, n, "metric", "a metric needs a value to go with it")
    change = _change(file, n, v, by)
    now = today()
    _at(file, n, "quarter", lambda: recording.entry_date(change.quarter, change.on, year, now))
    if change.value is not None:
        parsed = _at(file, n, "value", lambda: parse_quantity(change.value or ""))
        metric = _at(file, n, "metric", lambda: recording.choose_metric(task, change.metric, parsed.unit))
        _at(file, n, "value", lambda: recording.figure(parsed, change.value or "", metric, "value"))
    if change.note is not None:
        problem = rules.note_problem(change.note)
        if problem:
            raise RowError(file, n, "note", problem.replace("--note", "the note"))
    planned = _at(file, n, "status" if change.status else "value", lambda: recording.plan_entry(task, year, change, now, ledger))
    return Imported(n, task, planned.row)


def import_file(ledger: Ledger, file: str, year: int | None, by: str | None, dry_run: bool) -> tuple[int, list[Imported]]:
    """Record every row of ``file`` or none; with ``dry_run`` check them all and record none."""
    rows = read_update_rows(file)
    recording.who(by)  # a bad --by is the command's fault, not a row's
    y = ledger.resolve_year(year, today())
    tasks = ledger.plan(y)
    done: list[Imported] = []

    class DryRun(Exception):
        pass

    try:
        with ledger.write():
            for n, v in rows:
                item = _check_row(ledger, tasks, y, file, n, v, by)
                ledger.insert_entry(item.entry)
                done.append(item)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return y, done


def describe(planned: Sequence[Imported]) -> list[str]:
    """One line per entry, for --dry-run."""
    lines = []
    for p in planned:
        r, t = p.entry, p.task
        parts = [f"row {p.row}: {t.ref} {r['quarter']}" + (f" (as of {r['on_date']})" if r["on_date"] else "")]
        if r["metric_id"] is not None:
            m = next(m for m in t.metrics if m.id == r["metric_id"])
            parts.append(f"{m.name} = {format_quantity(r['value'], m.unit)}")
        if r["status"]:
            parts.append(f"status {r['status']}")
        if r["correction"]:
            parts.append("correction")
        if r["note"]:
            parts.append("note: " + " ".join(r["note"].split())[:60])
        lines.append("; ".join(parts))
    return lines


# -- export ---------------------------------------------------------------------------------

UPDATE_KEYS = ["id", "quarter", "as_of", "value", "metric", "note", "status", "correction"]
INFO_KEYS = ["task", "number", "unit", "recorded_at", "recorded_by", "source", "update_id"]
PLAN_KEYS = ["id", "bullet", "area", "area_title", "section", "title", "text", "listed", "parent", "parts",
             "covered_by_parts", "metric_pos", "metric", "target_text", "target", "unit", "comparator", "kind", "baseline"]  # fmt: skip
PLAN_HEADERS = ["序号", "条目", "领域", "领域名称", "小节", "事项内容", "报告原文", "挂牌", "上级", "分解事项",
                "由分解事项跟踪", "指标序号", "指标", "目标", "目标值", "单位", "比较", "类型", "基数"]  # fmt: skip


def value_text(value: float | None, unit: str | None) -> str:
    """A figure as ``import`` reads it back: with its unit when it has a known one."""
    if value is None:
        return ""
    try:
        return format_quantity(value, unit)
    except QuantityError:
        return cell_text(float(value)) or "0"


def update_records(entries: Sequence[Entry], titles: dict[int, str]) -> list[dict[str, Any]]:
    """The history in the order it was recorded; withdrawn entries are left out."""
    return [
        {
            "id": e.ref, "quarter": e.quarter, "as_of": e.as_of.isoformat(), "value": value_text(e.value, e.unit),
            "metric": e.metric_name or "", "note": e.note or "", "status": e.status or "",
            "correction": 1 if e.correction else "", "task": titles.get(e.task_id, ""), "number": e.value,
            "unit": e.unit or "", "recorded_at": e.recorded_at, "recorded_by": e.recorded_by, "source": e.source,
            "update_id": e.id,
        }  # fmt: skip
        for e in sorted(entries, key=lambda e: e.id)
        if not e.voided
    ]


def plan_records(tasks: Sequence[Task]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for t in tasks:
        base = {"id": t.ref, "bullet": t.bullet or "", "area": t.area_no, "area_title": t.area_title,
                "section": t.section_title or "", "title": t.title, "text": t.text or "", "listed": 1 if t.listed else 0,
                "parent": t.parent_ref or "", "parts": ", ".join(t.parts), "covered_by_parts": 1 if t.covered_by_parts else 0}  # fmt: skip
        out += [base] if not t.metrics else [
            {**base, "metric_pos": m.pos, "metric": m.name, "target_text": m.target_text, "target": m.target,
             "unit": m.unit, "comparator": m.comparator, "kind": m.kind, "baseline": m.baseline}
            for m in t.metrics
        ]  # fmt: skip
    return out


def export_json(tasks: Sequence[Task], year: int, updates: list[dict[str, Any]]) -> dict[str, Any]:
    metric_keys = ("pos", "name", "unit", "target", "target_text", "comparator", "kind", "baseline")
    return {
        "year": year, "exported_at": now_iso(),
        "tasks": [{"id": t.ref, "bullet": t.bullet, "listed_no": t.listed_no, "area": t.area_no, "area_title": t.area_title,
                   "section": t.section_title, "title": t.title, "text": t.text, "listed_text": t.listed_text,
                   "parent": t.parent_ref, "parts": list(t.parts), "covered_by_parts": t.covered_by_parts,
                   "metrics": [{k: getattr(m, k) for k in metric_keys} for m in t.metrics]} for t in tasks],
        "updates": [{**r, "correction": bool(r["correction"])} for r in updates],
    }  # fmt: skip


def export_xlsx(tasks: Sequence[Task], year: int, updates: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .report.xlsx import put

    wb = Workbook()
    sheets = [(wb.active, "计划", PLAN_HEADERS, PLAN_KEYS, plan_records(tasks)),
              (wb.create_sheet(), "更新", UPDATE_KEYS + INFO_KEYS, UPDATE_KEYS + INFO_KEYS, updates)]  # fmt: skip
    wide = {"title": 48, "text": 48, "note": 60, "task": 40, "area_title": 24, "section": 24, "source": 30}
    for ws, title, headers, keys, records in sheets:
        ws.title = title
        for c, h in enumerate(headers, start=1):
            cell = put(ws, 1, c, h)
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="D9D9D9")
        for r, rec in enumerate(records, start=2):
            for c, k in enumerate(keys, start=1):
                v = rec.get(k)
                cell = put(ws, r, c, "" if v is None else v)
                if k in wide:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for c, k in enumerate(keys, start=1):
            ws.column_dimensions[get_column_letter(c)].width = wide.get(k, 12)
        ws.freeze_panes = "A2"
    wb.properties.title = f"qdtrack export {year}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export(ledger: Ledger, year: int | None, fmt: str) -> tuple[datetime.date, bytes]:
    """The plan and its history as csv (history only), json or xlsx."""
    y = ledger.resolve_year(year, today())
    tasks = ledger.plan(y)
    updates = update_records(ledger.log(y), {t.id: t.title for t in tasks})
    if fmt == "csv":
        return today(), to_csv(updates, UPDATE_KEYS + INFO_KEYS).encode("utf-8")
    if fmt == "json":
        return today(), to_json(export_json(tasks, y, updates)).encode("utf-8")
    if fmt == "xlsx":
        return today(), export_xlsx(tasks, y, updates)
    raise BadInput(f"unknown export format {fmt!r}; use csv, xlsx or json")
