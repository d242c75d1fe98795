"""Import updates from a spreadsheet and export the plan and its history.

Reading: ``.csv`` (UTF-8 with or without BOM; GB18030 as Excel saves it in
China), ``.xlsx`` (openpyxl) and ``.json`` (an export). One row per update,
columns ``id, quarter, value, metric, note`` (or 序号, 季度, 数值, 指标,
进展情况), optional ``status`` and ``correction``; others are ignored.
Every row goes through ``recording.plan_update``, the rules of ``qdtrack
update``. No SQL here: the CLI hands the planned rows to ``Ledger.insert_updates``.
"""

from __future__ import annotations

import io

from . import render
from .errors import BadInput
from .ledger import find_task, now_iso
from .quantity import QuantityError, format_quantity
from .recording import Change, choose_quarter, plan_update, who
from .sheets import cell_text, read_update_rows  # noqa: F401  (read_update_rows: moved, kept importable)

TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}
FALSE = {"0", "false", "no", "n", "否"}
FAKE_ID_BASE = 1 << 60  # ids for rows planned in memory; real ids are far below


# -- checking --------------------------------------------------------------------------


def _flag(text: str | None, where: str) -> bool:
    if text is None:
        return False
    t = text.strip().lower()
    if t in TRUE:
        return True
    if t in FALSE:
        return False
    raise BadInput(f"{where}, column correction: {text!r} is not 1 or 0 (yes or no)")


def _column_of(message: str, values: dict) -> str:
    low = message.lower()
    if "--metric" in message or "no metric" in low:
        return "metric"
    if "--note" in message:
        return "note"
    if "--status" in message or "status is computed" in low:
        return "status"
    if message.startswith("bullet") or message.startswith("no task"):
        return "id"
    if message.startswith("quarter") or "quarter" in low.split(";")[0] and values.get("value") is None:
        return "quarter"
    if values.get("value") is not None:
        return "value"
    return "id"


def _as_import_words(message: str) -> str:
    for old, new in (
        ("add --correct", "set the correction column to 1"),
        ("--correct", "correction"),
        ("--value", "value"),
        ("--add", "value"),
        ("--metric", "metric"),
        ("--note", "note"),
        ("--status", "status"),
    ):
        message = message.replace(old, new)
    return message


def plan_import(tasks: list[dict], year: int, rows, file: str, by: str | None = None) -> list[dict]:
    """Check every row like ``qdtrack update`` would, each seeing the rows above it.

    Returns [{"rowno", "task", "row"}]; raises BadInput naming the row and
    column of the first bad row. ``tasks`` is changed in memory (planned rows
    are appended to their task's updates), never in the ledger.
    """
    who(by)  # a bad --by is the command's fault, not a row's
    planned = []
    for i, (n, v) in enumerate(rows):
        where = f"{file} row {n}"

        def fail(column, message, where=where):
            raise BadInput(f"{where}, column {column}: {_as_import_words(message)}; nothing was recorded")

        if not v.get("id"):
            fail("id", "empty; give the task's listed number (1-44) or bullet ID")
        try:
            find_task(tasks, v["id"])
        except BadInput as e:
            fail("id", str(e))
        if not v.get("quarter"):
            fail("quarter", f"empty; give the quarter the figure is for, e.g. {year}Q2")
        try:
            choose_quarter(v["quarter"], year, None)
        except BadInput as e:
            fail("quarter", str(e))
        if v.get("value") is None and v.get("note") is None and v.get("status") is None:
            fail("value", "nothing to record: give a value, a note or a status")
        change = Change(
            ref=v["id"],
            value=v.get("value"),
            metric=v.get("metric") if v.get("value") is not None else None,
            quarter=v["quarter"],
            note=v.get("note"),
            status=v.get("status"),
            correct=_flag(v.get("correction"), where),
            by=by,
            source=f"import {file} row {n}",
        )
        if v.get("metric") is not None and v.get("value") is None:
            fail("metric", "a metric needs a value to go with it")
        try:
            task, new = plan_update(tasks, year, change)
        except QuantityError as e:
            fail("value", str(e))
        except BadInput as e:
            fail(_column_of(str(e), v), str(e))
        for row in new:
            task["updates"].append({**row, "id": FAKE_ID_BASE + i})
            planned.append({"rowno": n, "task": task, "row": row})
    return planned


def describe(planned, tasks) -> list[str]:
    """One line per planned update, for --dry-run."""
    lines = []
    for p in planned:
        t, r = p["task"], p["row"]
        parts = [f"row {p['rowno']}: {t['ref']} {r['quarter']}"]
        if r["metric_id"] is not None:
            m = next(m for m in t["metrics"] if m["id"] == r["metric_id"])
            parts.append(f"{m['name']} {render.fmt_value(r['value'], m['unit'])}")
        if r["status"]:
            parts.append(f"status {r['status']}")
        if r["correction"]:
            parts.append("(correction)")
        if r["note"]:
            parts.append("note: " + " ".join(r["note"].split())[:60] + ("…" if len(r["note"]) > 60 else ""))
        lines.append(" ".join(parts))
    return lines


# -- export ------------------------------------------------------------------------------

UPDATE_KEYS = ["id", "quarter", "value", "metric", "note", "status", "correction"]
INFO_KEYS = ["task", "number", "unit", "recorded_at", "recorded_by", "source", "update_id"]
PLAN_KEYS = ["id", "bullet", "area", "area_title", "section", "title", "text", "listed", "parent", "parts"]
PLAN_KEYS += ["covered_by_parts", "metric_pos", "metric", "target_text", "target", "unit", "comparator", "kind"]
PLAN_KEYS += ["baseline"]
PLAN_HEADERS = ["序号", "条目", "领域", "领域名称", "小节", "事项内容", "报告原文", "挂牌", "上级", "分解事项"]
PLAN_HEADERS += ["由分解事项跟踪", "指标序号", "指标", "目标", "目标值", "单位", "比较", "类型", "基数"]


def value_text(value, unit) -> str:
    """A figure as ``import`` reads it back: with its unit when it has a known one."""
    if value is None:
        return ""
    try:
        return format_quantity(value, unit)
    except QuantityError:
        return cell_text(float(value)) or "0"


def update_records(tasks) -> list[dict]:
    """The full update history, in the order it was recorded."""
    out = []
    for t in tasks:
        metrics = {m["id"]: m for m in t["metrics"]}
        for u in t["updates"]:
            m = metrics.get(u["metric_id"])
            out.append(
                {
                    "id": t["ref"],
                    "quarter": u["quarter"],
                    "value": value_text(u["value"], m["unit"]) if m else "",
                    "metric": m["name"] if m else "",
                    "note": u["note"] or "",
                    "status": u["status"] or "",
                    "correction": 1 if u["correction"] else "",
                    "task": t["title"],
                    "number": u["value"],
                    "unit": m["unit"] if m else "",
                    "recorded_at": u["recorded_at"],
                    "recorded_by": u["recorded_by"],
                    "source": u["source"],
                    "update_id": u["id"],
                }
            )
    out.sort(key=lambda r: r["update_id"])
    return out


def plan_records(tasks) -> list[dict]:
    by_id = {t["id"]: t for t in tasks}
    out = []
    for t in tasks:
        base = {
            "id": t["ref"],
            "bullet": t["bullet"] or "",
            "area": t["area_no"],
            "area_title": t["area_title"],
            "section": t["section_title"] or "",
            "title": t["title"],
            "text": t["text"] or "",
            "listed": 1 if t["listed"] else 0,
            "parent": by_id[t["parent_id"]]["ref"] if t["parent_id"] in by_id else "",
            "parts": ", ".join(t["parts"]),
            "covered_by_parts": 1 if t["covered_by_parts"] else 0,
        }
        if not t["metrics"]:
            out.append(base)
        for m in t["metrics"]:
            out.append(
                {
                    **base,
                    "metric_pos": m["pos"],
                    "metric": m["name"],
                    "target_text": m["target_text"],
                    "target": m["target"],
                    "unit": m["unit"],
                    "comparator": m["comparator"],
                    "kind": m["kind"],
                    "baseline": m.get("baseline"),
                }
            )
    return out


def export_json(tasks, year) -> dict:
    by_id = {t["id"]: t for t in tasks}
    return {
        "year": year,
        "exported_at": now_iso(),
        "tasks": [
            {
                "id": t["ref"],
                "bullet": t["bullet"],
                "listed_no": t["listed_no"],
                "area": t["area_no"],
                "area_title": t["area_title"],
                "section": t["section_title"],
                "title": t["title"],
                "text": t["text"],
                "listed_text": t["listed_text"],
                "parent": by_id[t["parent_id"]]["ref"] if t["parent_id"] in by_id else None,
                "parts": t["parts"],
                "covered_by_parts": bool(t["covered_by_parts"]),
                "metrics": [
                    {
                        k: m.get(k)
                        for k in ("pos", "name", "unit", "target", "target_text", "comparator", "kind", "baseline")
                    }
                    for m in t["metrics"]
                ],
            }
            for t in tasks
        ],
        "updates": [{**r, "correction": bool(r["correction"])} for r in update_records(tasks)],
    }


def export_xlsx(tasks, year) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .report import put

    wb = Workbook()
    sheets = [
        (wb.active, "计划", PLAN_HEADERS, PLAN_KEYS, plan_records(tasks)),
        (wb.create_sheet(), "更新", UPDATE_KEYS + INFO_KEYS, UPDATE_KEYS + INFO_KEYS, update_records(tasks)),
    ]
    wide = {"title": 48, "text": 48, "note": 60, "task": 40, "area_title": 24, "section": 24, "source": 30}
    for ws, title, headers, keys, records in sheets:
        ws.title = title
        for c, h in enumerate(headers, start=1):
            cell = put(ws, 1, c, h)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
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


def export(tasks, year, fmt) -> bytes:
    if fmt == "csv":
        keys = UPDATE_KEYS + INFO_KEYS
        return render.to_csv(update_records(tasks), keys).encode("utf-8")
    if fmt == "json":
        return render.to_json(export_json(tasks, year)).encode("utf-8")
    if fmt == "xlsx":
        return export_xlsx(tasks, year)
    raise BadInput(f"unknown export format {fmt!r}; use csv, xlsx or json")
