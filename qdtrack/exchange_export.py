"""Export the plan and its history so ``import`` reads it back: every entry with its identity
(uid), original recorder and time, withdrawn ones with their withdrawal, and the plan's own
history (changes with who and when, milestones and their reports). No SQL here."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator, Sequence
from typing import Any

from .errors import BadInput
from .i18n import _
from .ledger import Ledger
from .model import Entry, PlanChange, Task
from .periods import now_iso, today
from .quantity import QuantityError, format_quantity
from .render import to_csv
from .render_json import to_json
from .sheets import cell_text

UPDATE_KEYS = ["id", "quarter", "as_of", "value", "metric", "note", "status", "correction"]
INFO_KEYS = ["task", "number", "unit", "recorded_at", "recorded_by", "source", "update_id", "uid",
             "withdrawn_reason", "withdrawn_at", "withdrawn_by", "withdrawn_source"]  # fmt: skip
PLAN_KEYS = ["id", "bullet", "area", "area_title", "section", "title", "text", "listed", "parent", "parts",
             "covered_by_parts", "owners", "metric_pos", "metric", "target_text", "target", "unit", "comparator", "kind", "baseline"]  # fmt: skip
PLAN_HEADERS = ["序号", "条目", "领域", "领域名称", "小节", "事项内容", "报告原文", "挂牌", "上级", "分解事项",
                "由分解事项跟踪", "责任单位", "指标序号", "指标", "目标", "目标值", "单位", "比较", "类型", "基数"]  # fmt: skip
CHANGE_KEYS = ["item", "metric", "field", "old", "new", "recorded_at", "recorded_by", "source"]
MILESTONE_KEYS = ["item", "n", "due", "text", "removed", "done_on", "done_note", "done_at", "done_by", "done_source"]
#: Sheets of the xlsx export, and the JSON keys of the same records.
CHANGES_SHEET, MILESTONES_SHEET = "计划变更", "时间节点"


def value_text(value: float | None, unit: str | None) -> str:
    """A figure as ``import`` reads it back: with its unit when it has a known one."""
    if value is None:
        return ""
    try:
        return format_quantity(value, unit)
    except QuantityError:
        return cell_text(float(value)) or "0"


def update_records(entries: Sequence[Entry], titles: dict[int, str], uids: dict[int, str],
                   voids: dict[int, tuple[str, str, str, str]]) -> list[dict[str, Any]]:  # fmt: skip
    """The history in the order it was recorded, withdrawn entries with their withdrawal."""
    out = []
    for e in sorted(entries, key=lambda e: e.id):
        void = voids.get(e.id, ("", "", "", ""))
        out.append({
            "id": e.ref, "quarter": e.quarter, "as_of": e.as_of.isoformat(), "value": value_text(e.value, e.unit),
            "metric": e.metric_name or "", "note": e.note or "", "status": e.status or "",
            "correction": 1 if e.correction else "", "task": titles.get(e.task_id, ""), "number": e.value,
            "unit": e.unit or "", "recorded_at": e.recorded_at, "recorded_by": e.recorded_by, "source": e.source,
            "update_id": e.id, "uid": uids.get(e.id, ""), "withdrawn_reason": void[0], "withdrawn_at": void[1],
            "withdrawn_by": void[2], "withdrawn_source": void[3],
        })  # fmt: skip
    return out


def plan_records(tasks: Sequence[Task]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for t in tasks:
        base = {"id": t.ref, "bullet": t.bullet or "", "area": t.area_no, "area_title": t.area_title,
                "section": t.section_title or "", "title": t.title, "text": t.text or "", "listed": 1 if t.listed else 0,
                "parent": t.parent_ref or "", "parts": ", ".join(t.parts), "covered_by_parts": 1 if t.covered_by_parts else 0,
                "owners": "、".join(t.owners)}  # fmt: skip
        out += [base] if not t.metrics else [
            {**base, "metric_pos": m.pos, "metric": m.name, "target_text": m.target_text, "target": m.target,
             "unit": m.unit, "comparator": m.comparator, "kind": m.kind, "baseline": m.baseline}
            for m in t.metrics
        ]  # fmt: skip
    return out


def change_records(changes: Sequence[PlanChange]) -> list[dict[str, Any]]:
    """The plan's changes, oldest first."""
    return [{"item": c.item, "metric": c.metric, "field": c.field, "old": c.old, "new": c.new,
             "recorded_at": c.recorded_at, "recorded_by": c.recorded_by, "source": c.source}
            for c in sorted(changes, key=lambda c: c.id)]  # fmt: skip


def milestone_records(rows: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(MILESTONE_KEYS, r, strict=True)) for r in rows]


def _history(ledger: Ledger, y: int, tasks: Sequence[Task], owner: str | None) -> dict[str, list[dict[str, Any]]]:
    refs = {t.ref for t in tasks}
    titles = {t.id: t.title for t in tasks}
    entries = [e for e in ledger.log(y) if e.task_id in titles]
    uid_of_id = {i: u for u, i in ledger.entry_uids(y).items()}
    changes = [c for c in ledger.plan_changes(y) if owner is None or c.item in refs]
    milestones = [r for r in ledger.milestone_rows(y) if r[0] in refs]
    return {
        "updates": update_records(entries, titles, uid_of_id, ledger.voids_of(y)),
        "plan_changes": change_records(changes),
        "milestones": milestone_records(milestones),
    }


def export_json(tasks: Sequence[Task], year: int, history: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    metric_keys = ("pos", "name", "unit", "target", "target_text", "comparator", "kind", "baseline")
    return {
        "year": year, "exported_at": now_iso(),
        "tasks": [{"id": t.ref, "bullet": t.bullet, "listed_no": t.listed_no, "area": t.area_no, "area_title": t.area_title,
                   "section": t.section_title, "title": t.title, "text": t.text, "listed_text": t.listed_text,
                   "parent": t.parent_ref, "parts": list(t.parts), "covered_by_parts": t.covered_by_parts,
                   "owners": list(t.owners), "metrics": [{k: getattr(m, k) for k in metric_keys} for m in t.metrics]} for t in tasks],
        "updates": [{**r, "correction": bool(r["correction"])} for r in history["updates"]],
        "plan_changes": history["plan_changes"], "milestones": history["milestones"],
    }  # fmt: skip


def write_sheet(ws: Any, title: str, headers: Sequence[str], keys: Sequence[str], records: Sequence[dict[str, Any]]) -> None:
    """One sheet: a bold grey header, the records, wide wrapped text columns, the header frozen."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .report.xlsx import put

    wide = {"title": 48, "text": 48, "note": 60, "task": 40, "area_title": 24, "section": 24, "source": 30, "uid": 20}
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


def export_xlsx(tasks: Sequence[Task], year: int, history: dict[str, list[dict[str, Any]]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    write_sheet(wb.active, "计划", PLAN_HEADERS, PLAN_KEYS, plan_records(tasks))
    keys = UPDATE_KEYS + INFO_KEYS
    write_sheet(wb.create_sheet(), "更新", keys, keys, history["updates"])
    write_sheet(wb.create_sheet(), CHANGES_SHEET, CHANGE_KEYS, CHANGE_KEYS, history["plan_changes"])
    write_sheet(wb.create_sheet(), MILESTONES_SHEET, MILESTONE_KEYS, MILESTONE_KEYS, history["milestones"])
    wb.properties.title = f"qdtrack export {year}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_csv_chunks(ledger: Ledger, year: int | None, owner: str | None = None) -> tuple[datetime.date, Iterator[bytes]]:
    """``export --format csv`` streamed: the same bytes as ``export``, read and written a batch of
    entries at a time, so memory does not grow with the history (issue 14)."""
    from .views import check_owner

    y = ledger.resolve_year(year, today())
    tasks = ledger.plan(y)
    check_owner(tasks, owner, y)
    titles = {t.id: t.title for t in tasks if owner is None or owner in t.owners}
    voids, keys = ledger.voids_of(y), UPDATE_KEYS + INFO_KEYS

    def chunks() -> Iterator[bytes]:
        yield to_csv([], keys).encode("utf-8")
        for batch in ledger.iter_entries(y):
            entries = [e for e, _ in batch if e.task_id in titles]
            records = update_records(entries, titles, {e.id: uid or "" for e, uid in batch}, voids)
            yield to_csv(records, keys, bom=False, header=False, exact=True).encode("utf-8")

    return today(), chunks()


def export(ledger: Ledger, year: int | None, fmt: str, owner: str | None = None) -> tuple[datetime.date, bytes]:
    """The plan and its history as csv (entries only), json or xlsx; with ``owner``, that unit's tasks."""
    from .views import check_owner

    y = ledger.resolve_year(year, today())
    tasks = ledger.plan(y)
    check_owner(tasks, owner, y)
    if owner is not None:
        tasks = [t for t in tasks if owner in t.owners]
    history = _history(ledger, y, tasks, owner)
    if fmt == "csv":
        return today(), to_csv(history["updates"], UPDATE_KEYS + INFO_KEYS, exact=True).encode("utf-8")
    if fmt == "json":
        return today(), to_json(export_json(tasks, y, history)).encode("utf-8")
    if fmt == "xlsx":
        return today(), export_xlsx(tasks, y, history)
    raise BadInput(_("unknown export format {fmt!r}; use csv, xlsx or json").format(fmt=fmt))
