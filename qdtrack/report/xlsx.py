"""The report as a workbook in the ledger's own layout; ``put``/``sheet_title``/``header`` are shared with export."""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .. import render
from ..model import DISPLAY_ORDER as STATUSES
from ..model import MetricVerdict, TaskVerdict, counts
from ..texts import HEADERS
from .gather import Report
from .text import note_text

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

XLSX_FILLS = {"done": "C6EFCE", "ahead": "CCF2F4", "on_track": "DDEBF7", "lagging": "FFC7CE", "no_data": "FFEB9C", "not_judged": "E4DFEC"}
LEDGER_HEADERS = ["序号", "事项内容", "目标", "目标值", "累计完成", "单位", HEADERS["zh"]["percent"], HEADERS["zh"]["expected"], "状态", "进展情况"]  # fmt: skip
LEDGER_WIDTHS = [8, 44, 16, 12, 12, 9, 10, 10, 9, 56]
WRAPPED = (2, 3, 10)  # 事项内容, 目标 and 进展情况 wrap; their rows are made tall enough
QUARTER_HEADERS = ["序号", "事项内容", "指标", "目标", "单位", "一季度", "二季度", "三季度", "四季度"]
QUARTER_WIDTHS = [8, 40, 22, 16, 9, 13, 13, 13, 13]
POINTS_FORMAT = "+0.0;-0.0;0.0"
NUMBER_FORMAT = "#,##0.####"
LINE_HEIGHT = 15.0  # points per wrapped line at the default 11 pt font


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


def _ledger_values(tv: TaskVerdict, mv: MetricVerdict | None, first: bool, lang: str) -> list[Any]:
    """One row of the ledger layout: the ID as text, numbers as numbers, the unit beside them."""
    t = tv.task
    title = t.title if first else ""
    if mv is not None and len(tv.metrics) > 1:
        title = (title + "\n" if title else "") + "· " + mv.metric.name
    status = mv.status if mv is not None else tv.status
    m = mv.metric if mv is not None else None
    return [
        t.ref,
        title,
        m.target_text if m else "",
        m.target if m else None,
        mv.actual if mv else None,
        m.unit if m else "",
        _progress(mv),
        _number(mv.expected_percent if mv else None),
        render.words(lang)[status],
        note_text(tv) if first else "",
    ]


def _ledger_rows(ws: Worksheet, start: int, verdicts: Iterable[TaskVerdict], lang: str) -> int:
    """The ledger layout, one row per metric; returns the next free row."""
    from openpyxl.styles import Alignment, PatternFill

    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    r = start
    for tv in verdicts:
        metrics: list[MetricVerdict | None] = list(tv.metrics) or [None]
        for i, mv in enumerate(metrics):
            values = _ledger_values(tv, mv, i == 0, lang)
            for col, v in enumerate(values, start=1):
                cell = put(ws, r, col, v)
                cell.alignment = wrap if col in WRAPPED else top
                if col in (4, 5):
                    cell.number_format = NUMBER_FORMAT
                elif col in (7, 8):
                    cell.number_format = POINTS_FORMAT if col == 7 and mv and mv.metric.is_rate else "0.0"
            status = mv.status if mv is not None else tv.status
            ws.cell(row=r, column=9).fill = PatternFill("solid", fgColor=XLSX_FILLS[status])
            fit_height(ws, r, LEDGER_WIDTHS, WRAPPED)
            r += 1
    return r


def text_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet cell: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_height(ws: Worksheet, row: int, widths: Sequence[float], wrapped: Sequence[int]) -> None:
    """Make a row tall enough for its wrapped cells (spreadsheets do not grow rows written by a program)."""
    lines = 1
    for col in wrapped:
        value = ws.cell(row=row, column=col).value
        if isinstance(value, str) and value:
            width = max(1.0, widths[col - 1] - 1)
            lines = max(lines, sum(max(1, math.ceil(text_width(part) / width)) for part in value.split("\n")))
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * min(lines, 27)  # Excel's limit is 409 points


def print_setup(ws: Worksheet, header_rows: str = "1:1", landscape: bool = True) -> None:
    """A4, one page wide (as many tall as needed), the header rows repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _area_sheet(sheet: Worksheet, verdicts: list[TaskVerdict], lang: str) -> None:
    """One area's sheet: the ledger layout, filterable, printed on A4 one page wide."""
    header(sheet, 1, LEDGER_HEADERS, LEDGER_WIDTHS)
    _ledger_rows(sheet, 2, verdicts, lang)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:J{max(1, sheet.max_row)}"
    print_setup(sheet)


def _quarter_sheet(ws: Worksheet, rep: Report) -> None:
    """分季度: every metric's figure in force at the end of each quarter (一季度 … 四季度), as numbers."""
    from openpyxl.styles import Alignment

    header(ws, 1, QUARTER_HEADERS, QUARTER_WIDTHS)
    r = 2
    for tv in rep.verdicts:
        for mv in tv.metrics:
            by_q = {qf.quarter: qf.actual for qf in rep.quarters.get(mv.metric.id, [])}
            m = mv.metric
            values = [tv.task.ref, tv.task.title, m.name, m.target_text, m.unit, *(by_q.get(q) for q in range(1, 5))]
            for col, v in enumerate(values, start=1):
                cell = put(ws, r, col, v)
                cell.alignment = Alignment(wrap_text=col in (2, 3, 4), vertical="top")
                if col >= 6:
                    cell.number_format = NUMBER_FORMAT
            fit_height(ws, r, QUARTER_WIDTHS, (2, 3, 4))
            r += 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{max(1, r - 1)}"
    print_setup(ws)


def _summary_sheet(ws: Worksheet, rep: Report, lang: str) -> None:
    """汇总: counts per area and status, then the listed items (挂牌事项) in the ledger layout."""
    from openpyxl.styles import Alignment, Font, PatternFill

    w = render.words(lang)
    heads = ["领域", "名称", "事项数", *(w[s] for s in STATUSES)]
    header(ws, 1, heads)
    for i, s in enumerate(STATUSES, start=4):
        ws.cell(row=1, column=i).fill = PatternFill("solid", fgColor=XLSX_FILLS[s])
    r = 2
    for area, vs in rep.groups:
        c = counts(vs)
        for col, v in enumerate([area.no, area.title, len(vs), *(c[s] for s in STATUSES)], start=1):
            put(ws, r, col, v).alignment = Alignment(wrap_text=col == 2, vertical="top")
        fit_height(ws, r, LEDGER_WIDTHS, (2,))
        r += 1
    c = counts(rep.verdicts)
    for col, v in enumerate(["", "合计", len(rep.verdicts), *(c[s] for s in STATUSES)], start=1):
        put(ws, r, col, v).font = Font(bold=True)
    r += 2
    # the history chain's head (check --head); in Chinese like the rest of the 台账, whatever --lang
    pin = f" · 历史校验码 {rep.chain_head[:12]}" if rep.chain_head else ""
    put(ws, r, 1, f"截至 {rep.as_of.isoformat()} · 生成于 {rep.generated_at}{pin}").font = Font(italic=True)
    r += 2
    put(ws, r, 1, "挂牌事项").font = Font(bold=True, size=12)
    r += 1
    header(ws, r, LEDGER_HEADERS, LEDGER_WIDTHS)
    _ledger_rows(ws, r + 1, rep.listed, lang)
    ws.freeze_panes = "A2"
    print_setup(ws, f"{r}:{r}")


def to_xlsx(rep: Report, lang: str = "zh") -> bytes:
    """The ledger's own layout: a summary sheet, one sheet per area, and 分季度. Headers are Chinese."""
    from openpyxl import Workbook

    lang = "zh"  # the ledger's layout is Chinese
    wb = Workbook()
    ws = wb.active
    used: set[str] = set()
    ws.title = sheet_title("汇总", used)
    _summary_sheet(ws, rep, lang)
    for area, vs in rep.groups:
        _area_sheet(wb.create_sheet(sheet_title(f"{area.no} {area.title}", used)), vs, lang)
    _quarter_sheet(wb.create_sheet(sheet_title("分季度", used)), rep)
    wb.properties.title = f"{rep.year}年重点任务进展（截至{rep.as_of.isoformat()}）"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
