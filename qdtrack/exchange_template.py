"""The outgoing 台账: a quarter's blank progress ledger (xlsx) for the responsible units to fill in.

One row per task (per metric where a task has several): 序号, 季度 (filled in), 事项内容,
责任单位, 指标, 目标, 上次填报数 (the figure in force, with its quarter), and the empty 进展情况
and 本季度累计 (year-to-date figure) columns. ``qdtrack import`` reads the filled sheet back:
the title row (``2025年二季度进展情况台账``) is skipped, rows left empty are counted and passed over. No SQL here.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from .exchange_export import value_text, write_sheet
from .i18n import format_quarter
from .ledger import Ledger
from .model import Facts, Metric, Task, select
from .periods import parse_quarter, today

HEADERS = ["序号", "季度", "事项内容", "责任单位", "指标", "目标", "上次填报数", "进展情况", "本季度累计"]
KEYS = ["id", "quarter", "title", "owners", "metric", "target", "last", "note", "value"]


def _last(m: Metric, facts: Facts) -> str:
    f = facts.figures.get(m.id)
    return f"{value_text(f.value, m.unit)}（{f.quarter}）" if f else ""


def template_rows(tasks: list[Task], quarter: str, facts: Facts) -> list[dict[str, Any]]:
    rows = []
    for t in tasks:
        base = {"id": t.ref, "quarter": quarter, "title": t.title, "owners": "、".join(t.owners), "note": "", "value": ""}
        if not t.metrics:
            due = "；".join(f"{ms.due.isoformat()} {ms.text}" for ms in t.milestones)
            rows.append({**base, "metric": "", "target": due, "last": ""})
        for m in t.metrics:
            rows.append({**base, "metric": m.name if len(t.metrics) > 1 else "", "target": m.target_text, "last": _last(m, facts)})
    return rows


def template_xlsx(ledger: Ledger, quarter_text: str, year: int | None, owner: str | None) -> tuple[datetime.date, bytes]:
    """The blank 台账 of a quarter: the listed items, or with ``owner`` every task that unit shares in."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .views import check_owner

    y0 = ledger.resolve_year(year, today())
    q = parse_quarter(quarter_text, default_year=y0)
    y = ledger.resolve_year(q.year, today())
    tasks = ledger.plan(y)
    check_owner(tasks, owner, y)
    chosen = select(tasks, owner=owner) if owner is not None else [t for t in select(tasks) if t.listed]
    facts = ledger.facts(y, min(q.end, today()))
    wb = Workbook()
    ws = wb.active
    write_sheet(ws, "台账", HEADERS, KEYS, template_rows(chosen, str(q), facts))
    ws.insert_rows(1)
    title = f"{format_quarter(q, 'zh')}进展情况台账" + (f" · {owner}" if owner else "")  # Chinese whatever --lang
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    ws.freeze_panes = "A3"
    for col, width in (("C", 48), ("H", 60), ("I", 14), ("G", 18)):
        ws.column_dimensions[col].width = width
    wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return today(), buf.getvalue()
