"""The report as a workbook in the ledger's own layout; ``put``/``sheet_title``/``header`` are shared with export."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .. import render
from ..model import DISPLAY_ORDER as STATUSES
from ..model import MetricVerdict, TaskVerdict, counts
from ..texts import HEADERS
from .gather import Report

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

XLSX_FILLS = {"done": "C6EFCE", "ahead": "CCF2F4", "on_track": "DDEBF7", "lagging": "FFC7CE", "no_data": "FFEB9C", "not_judged": "E4DFEC"}
LEDGER_HEADERS = ["序号", "事项内容", "目标", "累计完成", HEADERS["zh"]["percent"], HEADERS["zh"]["expected"], "状态", "进展情况"]  # fmt: skip
LEDGER_WIDTHS = [8, 48, 16, 16, 9, 11, 9, 60]
POINTS_FORMAT = "+0.0;-0.0;0.0"


def put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write one cell; text is always text (never a formula, whatever it starts with)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = value.replace("\x00", "")
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def sheet_title(text: str, used: set[str]) -> str:
    """A valid, unique (case-insensitive) sheet name for ``text``; ``used`` collects the names taken."""
    bad = "[]:*?/\\"
    name = "".join("_" if ch in bad else ch for ch in text).strip("'")[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def header(ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[float] | None = None) -> None:
    """A bold, grey, centred header row; column widths when given."""
    from openpyxl.styles import Alignment, Font, PatternFill

    for i, text in enumerate(headers, start=1):
        cell = put(ws, row, i, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if widths:
        from openpyxl.utils import get_column_letter

        for i, wdt in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = wdt


def _number(x: float | None) -> float | None:
    """A displayed figure: one decimal, rounded half up (56.25 → 56.3) like every table."""
    return None if x is None else float(render.round_half_up(x))


def _progress(mv: MetricVerdict | None) -> float | None:
    """The % column: percent done, or for a rate the points above or below its target (shown +0.4 / -2.2)."""
    if mv is None:
        return None
    return _number(mv.points_vs_target if mv.metric.is_rate else mv.percent)


def _ledger_rows(ws: Worksheet, start: int, verdicts: Iterable[TaskVerdict], lang: str) -> int:
    """The ledger layout, one row per metric; returns the next free row."""
    from openpyxl.styles import Alignment, PatternFill

    w = render.words(lang)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    r = start
    for tv in verdicts:
        t = tv.task
        metrics: list[MetricVerdict | None] = list(tv.metrics) or [None]
        for i, mv in enumerate(metrics):
            title = t.title if i == 0 else ""
            if mv is not None and len(tv.metrics) > 1:
                title = (title + "\n" if title else "") + "· " + mv.metric.name
            status = mv.status if mv is not None else tv.status
            ref = t.ref
            values = [
                int(ref) if ref.isdigit() else ref,
                title,
                mv.metric.target_text if mv else "",
                render.fmt_value(mv.actual, mv.metric.unit) if mv else "",
                _progress(mv),
                _number(mv.expected_percent if mv else None),
                w[status],
                (f"[{tv.note.quarter}] {tv.note.text}" if tv.note else "") if i == 0 else "",
            ]
            for col, v in enumerate(values, start=1):
                cell = put(ws, r, col, v)
                cell.alignment = wrap if col in (2, 8) else top
                if col in (5, 6):
                    cell.number_format = POINTS_FORMAT if col == 5 and mv and mv.metric.is_rate else "0.0"
            ws.cell(row=r, column=7).fill = PatternFill("solid", fgColor=XLSX_FILLS[status])
            r += 1
    return r


def _area_sheet(sheet: Worksheet, verdicts: list[TaskVerdict], lang: str) -> None:
    """One area's sheet: the ledger layout, filterable, printed landscape one page wide."""
    header(sheet, 1, LEDGER_HEADERS, LEDGER_WIDTHS)
    _ledger_rows(sheet, 2, verdicts, lang)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{max(1, sheet.max_row)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def to_xlsx(rep: Report, lang: str = "zh") -> bytes:
    """The ledger's own layout: a summary sheet, then one sheet per area. Headers are Chinese."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    lang = "zh"  # the ledger's layout is Chinese
    w = render.words(lang)
    wb = Workbook()
    ws = wb.active
    used: set[str] = set()
    ws.title = sheet_title("汇总", used)
    heads = ["领域", "名称", "事项数", *(w[s] for s in STATUSES)]
    header(ws, 1, heads, [8, 48, 16, 16, 9, 11, 9, 60])
    for i, s in enumerate(STATUSES, start=4):
        ws.cell(row=1, column=i).fill = PatternFill("solid", fgColor=XLSX_FILLS[s])
    r = 2
    for area, vs in rep.groups:
        c = counts(vs)
        for col, v in enumerate([area.no, area.title, len(vs), *(c[s] for s in STATUSES)], start=1):
            put(ws, r, col, v).alignment = Alignment(wrap_text=col == 2, vertical="top")
        r += 1
    c = counts(rep.verdicts)
    for col, v in enumerate(["", "合计", len(rep.verdicts), *(c[s] for s in STATUSES)], start=1):
        put(ws, r, col, v).font = Font(bold=True)
    r += 2
    put(ws, r, 1, f"截至 {rep.as_of.isoformat()} · 生成于 {rep.generated_at}").font = Font(italic=True)
    r += 2
    put(ws, r, 1, "挂牌事项").font = Font(bold=True, size=12)
    r += 1
    header(ws, r, LEDGER_HEADERS)
    listed = [tv for tv in rep.verdicts if tv.task.listed]
    listed.sort(key=lambda tv: tv.task.listed_no or 0)
    _ledger_rows(ws, r + 1, listed, lang)
    ws.freeze_panes = "A2"

    for area, vs in rep.groups:
        _area_sheet(wb.create_sheet(sheet_title(f"{area.no} {area.title}", used)), vs, lang)
    wb.properties.title = f"{rep.year}年重点任务进展（截至{rep.as_of.isoformat()}）"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
